// The virtual lab in the technician's words: what each fault scenario stages, what each twin
// is doing, and what the lab as a whole is doing.
import type { LabFault, LabItem, LabState, LabStep } from '../../../common/contract'

export const LAB_FAULT_TEXT: Record<LabFault, { label: string; what: string }> = {
  'stun-unreachable': { label: 'STUN server unreachable', what: 'The STUN server does not answer, so neither device learns its public address.' },
  'signalling-down': { label: 'Signalling broker down', what: 'The signalling broker is stopped: the devices cannot find each other.' },
  'peer-missing': { label: 'Peer never appears', what: 'Only the site A device runs; it waits for a partner that never answers.' },
  'packet-loss': { label: 'Packet loss on the link', what: 'The link between the sites loses half of the messages; messages are sent on both sites.' },
  'stock-receive-bug': { label: 'Stock firmware receive bug', what: 'Both devices run the stock example\'s receive bug: every message from the other side is dropped.' },
  'boot-loop': { label: 'Boot loop', what: 'The site A device restarts every 3 seconds.' },
  panic: { label: 'Firmware crash (panic)', what: 'The site A device crashes 3 seconds after it starts, again and again.' },
  'cable-pulled': { label: 'Cable pulled during flashing', what: 'The site B device\'s cable is pulled while its firmware is being written.' },
}

export const STEP_TEXT: Record<LabStep, string> = {
  starting: 'starting',
  flashing: 'writing the firmware',
  provisioning: 'writing the pair settings',
  booting: 'booting',
  connected: 'connected to the other device',
  running: 'running',
  failed: 'failed',
  blank: 'blank, waiting to be commissioned',
}

export function stepTone(step: LabStep): string {
  if (step === 'connected') return 'ok'
  if (step === 'failed') return 'danger'
  if (step === 'running') return 'warning'
  return 'accent'
}

/** The lab's state as a headline. */
export function statusText(state: LabState): string {
  switch (state.status) {
    case 'stopped':
      return 'Not running'
    case 'starting':
      return 'Starting…'
    case 'ready':
      return state.blank ? 'Ready to be commissioned: two blank virtual ESP32s' : 'Ready: the two virtual ESP32s are connected to each other'
    case 'fault':
      return `Running with the fault "${state.fault ? LAB_FAULT_TEXT[state.fault].label : ''}"`
    case 'stopping':
      return 'Stopping…'
    case 'failed':
      return 'Could not start'
  }
}

export function statusTone(state: LabState): string {
  if (state.status === 'ready') return 'ok'
  if (state.status === 'failed') return 'danger'
  if (state.status === 'fault') return 'warning'
  return 'accent'
}

export type LabTwinItem = Extract<LabItem, { kind: 'twin' }>

export function twinItem(state: LabState, role: 1 | 2): LabTwinItem | undefined {
  return state.items.find((item): item is LabTwinItem => item.kind === 'twin' && item.role === role)
}

export function itemUrl(state: LabState, kind: 'signalling' | 'stun'): { url: string; down: boolean } | undefined {
  const item = state.items.find((candidate) => candidate.kind === kind)
  return item && (item.kind === 'signalling' || item.kind === 'stun') ? { url: item.url, down: item.down === true } : undefined
}

/** Whether the lab runs something the Monitor, ICE and Traffic views can look at. */
export function isUp(state: LabState): boolean {
  return state.status === 'ready' || state.status === 'fault'
}
