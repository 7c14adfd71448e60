// One press of "Flash": the devices it went to, and one line that says how it went.
import type { FlashJob } from '../../../common/contract'
import type { ErrorView } from './error-view'

export interface FlashRun {
  id: number
  startedAt: number
  bundleId: string
  /** What was flashed, as the bundle names itself. */
  source: string
  /** The rate asked for; 0: the fastest each device's port is known to take. */
  baud: number
  /** Every block written, without comparing with the devices first. */
  full?: boolean
  ports: string[]
  /** The job key (jobs store) of each port's latest attempt; a retry replaces it. */
  jobByPort: Record<string, string>
  /** Ports the backend refused to start a job on, with why. */
  refused: Record<string, ErrorView>
}

export interface RunSummary {
  text: string
  tone: 'running' | 'ok' | 'failed'
}

/** "2 of 2 written and verified", "1 of 2 failed: /dev/ttyUSB1; 1 written and verified". */
export function summarizeRun(run: FlashRun, jobOf: (key: string) => FlashJob | undefined): RunSummary {
  const total = run.ports.length
  const states = run.ports.map((port) => (run.refused[port] ? 'failed' : (jobOf(run.jobByPort[port] ?? '')?.type ?? 'queued')))
  const finished = states.filter((state) => state === 'done' || state === 'failed' || state === 'cancelled').length
  if (finished < total) return { text: `Flashing ${total} device${total === 1 ? '' : 's'}: ${finished} of ${total} finished`, tone: 'running' }
  const done = states.filter((state) => state === 'done').length
  const failedPorts = run.ports.filter((_, index) => states[index] === 'failed')
  const cancelled = states.filter((state) => state === 'cancelled').length
  if (done === total) return { text: `${done} of ${total} written and verified`, tone: 'ok' }
  const parts: string[] = []
  if (failedPorts.length > 0) parts.push(`${failedPorts.length} of ${total} failed: ${failedPorts.join(', ')}`)
  if (cancelled > 0) parts.push(`${cancelled} of ${total} cancelled`)
  if (done > 0) parts.push(`${done} written and verified`)
  return { text: parts.join('; '), tone: 'failed' }
}
