// What the Monitor and ICE views look at: one device, or a pair — the two devices whose last
// probe found the pair's settings, role 1 as site A and role 2 as site B — shown side by side.
import type { Device } from '../../../common/contract'
import { deviceLine } from './device-view'

export type Target = { kind: 'device'; deviceId: string } | { kind: 'pair'; pairId: string; a?: string; b?: string }

export interface TargetChoice {
  /** The select's value: "pair:<id>" or "device:<id>". */
  key: string
  label: string
  target: Target
}

/** Every pair some known device belongs to, then every known device. */
export function targetChoices(devices: readonly Device[]): { pairs: TargetChoice[]; devices: TargetChoice[] } {
  const pairs = new Map<string, { a?: Device; b?: Device }>()
  for (const device of devices) {
    const facts = device.facts
    if (!facts?.pairId || !facts.role) continue
    const entry = pairs.get(facts.pairId) ?? {}
    const side = facts.role === 1 ? 'a' : 'b'
    const holder = entry[side]
    // Two devices claiming one side: the later probe is the one in the pair now (as the backend decides).
    if (!holder || (holder.facts?.probedAt ?? 0) < facts.probedAt) entry[side] = device
    pairs.set(facts.pairId, entry)
  }
  return {
    pairs: [...pairs].map(([pairId, { a, b }]) => ({
      key: `pair:${pairId}`,
      label: `Pair ${pairId}: site A ${a?.id ?? '(no device)'}, site B ${b?.id ?? '(no device)'}`,
      target: { kind: 'pair', pairId, ...(a ? { a: a.id } : {}), ...(b ? { b: b.id } : {}) },
    })),
    devices: devices.map((device) => ({ key: `device:${device.id}`, label: deviceLine(device), target: { kind: 'device', deviceId: device.id } })),
  }
}

/** The devices a target shows, in order (site A first). */
export function targetDevices(target: Target): string[] {
  if (target.kind === 'device') return [target.deviceId]
  return [target.a, target.b].filter((id): id is string => id !== undefined)
}

/** The choice a kept key names, else the first pair, else the first device. */
export function chooseTarget(choices: { pairs: TargetChoice[]; devices: TargetChoice[] }, key: string): TargetChoice | undefined {
  const all = [...choices.pairs, ...choices.devices]
  return all.find((choice) => choice.key === key) ?? all[0]
}

/** "site A" or "site B" for a device of a pair target, else undefined. */
export function siteOf(target: Target, deviceId: string): 'A' | 'B' | undefined {
  if (target.kind !== 'pair') return undefined
  return target.a === deviceId ? 'A' : target.b === deviceId ? 'B' : undefined
}
