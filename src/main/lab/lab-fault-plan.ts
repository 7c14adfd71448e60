// What each of the lab's fault scenarios changes, using only what a real site can break: a
// server that is not there, a device that never comes, a lossy link, the stock firmware's
// receive bug, a firmware that reboots or crashes, a cable pulled while flashing. The twin's
// own fault injection (src/twin/faults.ts) does the firmware's part, named in its --faults text.
import type { LabFault } from '../../common/contract'

export type LabRole = 1 | 2

export interface LabTwinFaults {
  /** The twin's fault text (`pairkit twin --faults`), e.g. "panic=3". */
  faults?: string
  /** The firmware revision with the receive bug. */
  quirks?: 'stock'
}

export interface LabFaultPlan {
  /** STUN: the lab's server, or a loopback port nothing answers on. */
  stun: 'running' | 'unreachable'
  /** Signalling: the lab's broker, or the same broker stopped before the twins boot. */
  signalling: 'running' | 'stopped'
  /** The twins the lab starts. */
  roles: readonly LabRole[]
  twins: Partial<Record<LabRole, LabTwinFaults>>
  /** Messages on both sites' brokers, so a lossy or broken receive path has something to lose. */
  traffic: boolean
}

/** Bytes the twin of "cable pulled" sends over one connection before its link is cut: past the flasher's sync, before the demo firmware is all written (the whole write sends less than 1.5 KB back). */
export const CABLE_PULLED_AFTER_BYTES = 900

export const NO_FAULT_PLAN: LabFaultPlan = { stun: 'running', signalling: 'running', roles: [1, 2], twins: {}, traffic: false }

export function labFaultPlan(fault: LabFault | undefined): LabFaultPlan {
  switch (fault) {
    case undefined:
      return NO_FAULT_PLAN
    case 'stun-unreachable':
      return { ...NO_FAULT_PLAN, stun: 'unreachable' }
    case 'signalling-down':
      return { ...NO_FAULT_PLAN, signalling: 'stopped' }
    case 'peer-missing':
      return { ...NO_FAULT_PLAN, roles: [1] }
    case 'packet-loss':
      return { ...NO_FAULT_PLAN, twins: { 1: { faults: 'datagram-drop=0.5' }, 2: { faults: 'datagram-drop=0.5,seed=2' } }, traffic: true }
    case 'stock-receive-bug':
      return { ...NO_FAULT_PLAN, twins: { 1: { quirks: 'stock' }, 2: { quirks: 'stock' } }, traffic: true }
    case 'boot-loop':
      return { ...NO_FAULT_PLAN, twins: { 1: { faults: 'bootloop=3' } } }
    case 'panic':
      return { ...NO_FAULT_PLAN, twins: { 1: { faults: 'panic=3' } } }
    case 'cable-pulled':
      return { ...NO_FAULT_PLAN, twins: { 2: { faults: `disconnect-after=${CABLE_PULLED_AFTER_BYTES}` } } }
  }
}
