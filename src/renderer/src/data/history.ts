// The history as the page shows it: each write, commissioning and bridge test grouped under its
// device, newest first, with what was written (the firmware's name and SHA-256, or the pair and
// role) in one line.
import type { HistoryEntry } from '../../../common/contract'
import { asSentence } from './error-view'
import { roleName } from './device-view'

export interface DeviceHistory {
  deviceId: string
  /** What the device was at its latest entry, as far as PairKit knew. */
  chip?: string
  mac?: string
  /** Newest first. */
  entries: HistoryEntry[]
}

/** The first 12 hex digits: enough to tell two builds apart at a glance. */
export function shortSha256(sha256: string): string {
  return sha256.slice(0, 12)
}

const OPERATION_NAMES: Record<HistoryEntry['operation'], string> = {
  flash: 'Firmware',
  provision: 'Pair settings',
  commission: 'Commissioning',
  'bridge-test': 'Bridge test',
}

export function operationName(operation: HistoryEntry['operation']): string {
  return OPERATION_NAMES[operation]
}

/** What was written, in a few words. */
export function writtenText(entry: HistoryEntry): string {
  if (entry.pair) return `pair ${entry.pair.pairId}, ${roleName(entry.pair.role)}`
  if (entry.bundle) return entry.bundle.name
  return ''
}

/** How it ended, in a sentence. */
export function outcomeText(entry: HistoryEntry): string {
  if (entry.outcome === 'failed') return entry.error ? asSentence(entry.error.message) : entry.operation === 'bridge-test' ? 'Failed: loss or latency over the thresholds.' : 'Failed.'
  if (entry.outcome === 'cancelled') return entry.deviceState ? `Cancelled: ${entry.deviceState}.` : 'Cancelled.'
  if (entry.operation === 'commission') return 'Commissioned: every step passed, the bridge test too.'
  if (entry.operation === 'bridge-test') return 'Passed: messages crossed both ways within the thresholds.'
  return 'Written and verified by MD5.'
}

/** Entries grouped per device, the device with the latest entry first. */
export function groupByDevice(entries: readonly HistoryEntry[]): DeviceHistory[] {
  const groups = new Map<string, DeviceHistory>()
  for (const entry of [...entries].sort((a, b) => b.endedAt - a.endedAt)) {
    let group = groups.get(entry.deviceId)
    if (!group) {
      group = { deviceId: entry.deviceId, entries: [], ...(entry.chip ? { chip: entry.chip } : {}), ...(entry.mac ? { mac: entry.mac } : {}) }
      groups.set(entry.deviceId, group)
    }
    group.entries.push(entry)
  }
  return [...groups.values()]
}
