// One line of a device's history, and how a finished job becomes one. The renderer knows
// the jobs of this session; the backend's history will come as the same records.
import type { FlashJob } from '../../../common/contract'
import { ProbeResultSchema } from '../../../common/contract'
import type { FlashResult } from '../../../common/flasher/job-state'
import { asSentence } from './error-view'
import { formatBytes } from './format'

export interface HistoryEntry {
  /** Which device: its port for now, until devices are known by their MAC. */
  device: string
  port: string
  operation: FlashJob['operation']
  outcome: 'done' | 'failed' | 'cancelled'
  /** When it ended, ms since the epoch. */
  time: number
  /** One sentence: what came of it. */
  summary: string
}

export interface DeviceHistory {
  device: string
  /** Newest first. */
  entries: HistoryEntry[]
}

const OPERATION_NAMES: Partial<Record<FlashJob['operation'], string>> = { probe: 'Probe', flash: 'Flash', erase: 'Erase', 'read-flash': 'Read flash' }

export function operationName(operation: FlashJob['operation']): string {
  return OPERATION_NAMES[operation] ?? operation
}

export function historyEntryOf(job: FlashJob & { type: 'done' | 'failed' | 'cancelled' }, time: number): HistoryEntry {
  return { device: job.port, port: job.port, operation: job.operation, outcome: job.type, time, summary: summaryOf(job) }
}

function summaryOf(job: FlashJob & { type: 'done' | 'failed' | 'cancelled' }): string {
  if (job.type === 'failed') return asSentence(job.error.message)
  if (job.type === 'cancelled') return 'Cancelled.'
  if (job.operation === 'flash') {
    const result = job.result as Partial<FlashResult> | undefined
    return result?.bytes !== undefined && result.seconds !== undefined
      ? `Written and verified: ${formatBytes(result.bytes)} in ${result.seconds.toFixed(0)} s.`
      : 'Written and verified.'
  }
  if (job.operation === 'probe') {
    const parsed = ProbeResultSchema.safeParse(job.result)
    if (!parsed.success) return 'Probed.'
    const app = parsed.data.apps?.find((entry) => entry.descriptor)?.descriptor
    return `${parsed.data.description ?? parsed.data.chip}${app ? `, running ${app.projectName} ${app.version}` : ''}.`
  }
  return 'Done.'
}

/** Entries grouped per device, the device with the latest entry first. */
export function groupByDevice(entries: readonly HistoryEntry[]): DeviceHistory[] {
  const groups = new Map<string, HistoryEntry[]>()
  for (const entry of [...entries].sort((a, b) => b.time - a.time)) {
    const list = groups.get(entry.device)
    if (list) list.push(entry)
    else groups.set(entry.device, [entry])
  }
  return [...groups].map(([device, list]) => ({ device, entries: list }))
}
