// A commissioning as the Commission view shows it: each step's state and time in the
// technician's words, where the flow may be resumed from, the headline of the whole run, the
// report's file names, and a pair's history (commissioned, re-flashed, re-provisioned, tested).
import { COMMISSION_STEPS, STEP_LABELS, type CommissionState, type CommissionStep, type CommissionStepId, type StepStatus } from '../../../common/commission/steps'
import type { CommissionRecord } from '../../../common/commission/record'
import type { HistoryEntry } from '../../../common/contract'
import { roleName, type Tone } from './device-view'
import { serializedErrorView, type ErrorView } from './error-view'

/** Steps that only watch both consoles: while they run, the Monitor and ICE views show what happens. */
export const WATCH_STEPS: readonly CommissionStepId[] = ['boot', 'sync', 'connect']

const STATUS_WORDS: Record<StepStatus, { label: string; tone: Tone }> = {
  pending: { label: 'waiting', tone: 'neutral' },
  running: { label: 'running', tone: 'warning' },
  done: { label: 'done', tone: 'ok' },
  failed: { label: 'failed', tone: 'danger' },
  skipped: { label: 'not needed', tone: 'ok' },
}

export interface StepRow {
  id: CommissionStepId
  number: number
  label: string
  status: StepStatus
  statusLabel: string
  tone: Tone
  /** How long it took, or has been running ("12 s", "1 min 05 s"); empty before it started. */
  time: string
  detail?: string
  /** Attempts beyond the first ("2nd attempt"). */
  attempt?: string
  error?: ErrorView
  /** The diagnosis: what was found and what to do, one sentence each. */
  findings: { title: string; action: string; severity: 'error' | 'warning' | 'info' }[]
  /** A running watch step: the Monitor and ICE views show it live. */
  watching: boolean
}

/** "0.4 s", "12 s", "1 min 05 s". */
export function durationText(ms: number): string {
  if (ms < 0) return '0 s'
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`
  const seconds = Math.round(ms / 1000)
  if (seconds < 60) return `${seconds} s`
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`
}

function ordinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13
  const suffix = teen ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th'
  return `${n}${suffix}`
}

function stepRow(step: CommissionStep, index: number, now: number): StepRow {
  const words = STATUS_WORDS[step.status]
  const started = step.startedAt
  const time = started === undefined || step.status === 'pending' ? '' : durationText((step.endedAt ?? now) - started)
  // A cancel shows in the headline; the step it stopped reads as stopped, not as a failure to explain.
  const cancelled = step.error?.code === 'CANCELLED'
  return {
    id: step.id,
    number: index + 1,
    label: STEP_LABELS[step.id],
    status: step.status,
    statusLabel: cancelled ? 'stopped' : words.label,
    tone: cancelled ? 'warning' : words.tone,
    time,
    ...(step.detail ? { detail: step.detail } : {}),
    ...(step.attempts > 1 ? { attempt: `${ordinal(step.attempts)} attempt` } : {}),
    ...(step.error && !cancelled ? { error: serializedErrorView(step.error) } : {}),
    findings: (step.findings ?? []).map((finding) => ({ title: finding.title, action: finding.action, severity: finding.severity })),
    watching: step.status === 'running' && WATCH_STEPS.includes(step.id),
  }
}

export function stepRows(state: CommissionState, now = Date.now()): StepRow[] {
  return state.steps.map((step, index) => stepRow(step, index, now))
}

/**
 * The steps a stopped flow can be resumed from: the one it stopped at and every earlier one
 * whose predecessors all ended (the backend's rule, in resumeFrom). None while it runs or once done.
 */
export function resumableSteps(state: CommissionState): CommissionStepId[] {
  if (state.status !== 'failed' && state.status !== 'cancelled') return []
  const result: CommissionStepId[] = []
  for (const step of state.steps) {
    result.push(step.id)
    if (step.status !== 'done' && step.status !== 'skipped') break
  }
  return result
}

/** Where "Try again from this step" starts: the failed step, else the first that did not end. */
export function stoppedAt(state: CommissionState): CommissionStepId | undefined {
  if (state.status !== 'failed' && state.status !== 'cancelled') return undefined
  return state.steps.find((step) => step.status === 'failed')?.id ?? state.steps.find((step) => step.status !== 'done' && step.status !== 'skipped')?.id
}

export interface Headline {
  text: string
  tone: Tone
}

export function headline(state: CommissionState): Headline {
  const at = (id: CommissionStepId | undefined) => (id ? `step ${COMMISSION_STEPS.indexOf(id) + 1}, "${STEP_LABELS[id]}"` : 'a step')
  switch (state.status) {
    case 'running': {
      const running = state.steps.find((step) => step.status === 'running')?.id
      return { text: `Commissioning pair ${state.pairId}: ${running ? at(running) : 'starting'}…`, tone: 'warning' }
    }
    case 'done':
      return { text: `Pair ${state.pairId} is commissioned: every step passed, the bridge test too.`, tone: 'ok' }
    case 'cancelled':
      return { text: `The commissioning of pair ${state.pairId} was cancelled at ${at(stoppedAt(state))}. Resume it, or start again.`, tone: 'warning' }
    case 'failed':
      return { text: `The commissioning of pair ${state.pairId} stopped at ${at(stoppedAt(state))}. Read what to do there, then try again from that step.`, tone: 'danger' }
  }
}

/** The report's files as PairKit names them (the same names as in the data folder). */
export function reportFileName(state: Pick<CommissionState, 'pairId' | 'commissionId'>, kind: 'json' | 'html'): string {
  return `pairkit-commissioning-${state.pairId}-${state.commissionId}.${kind}`
}

export interface PairHistoryRow {
  id: string
  time: number
  /** Commissioned, Flashed, Re-flashed, Provisioned, Re-provisioned, Tested. */
  what: string
  site: string
  outcome: HistoryEntry['outcome']
  text: string
  commissionId?: string
}

/**
 * A pair's history, newest first: each entry named as a technician says it — a second flash or
 * provisioning of the same side is a re-flash or a re-provisioning.
 */
export function pairHistory(entries: readonly HistoryEntry[]): PairHistoryRow[] {
  const oldestFirst = [...entries].sort((a, b) => a.endedAt - b.endedAt)
  const seen = new Set<string>()
  const rows = oldestFirst.map((entry): PairHistoryRow => {
    const role = entry.pair?.role
    const key = `${entry.operation}:${role ?? entry.deviceId}`
    const again = entry.outcome === 'done' && seen.has(key)
    if (entry.outcome === 'done') seen.add(key)
    const what = {
      commission: 'Commissioned',
      flash: again ? 'Re-flashed' : 'Flashed',
      provision: again ? 'Re-provisioned' : 'Provisioned',
      'bridge-test': 'Tested',
    }[entry.operation]
    const text = entry.operation === 'flash' && entry.bundle ? entry.bundle.name : entry.operation === 'bridge-test' ? (entry.outcome === 'done' ? 'bridge test passed' : 'bridge test did not pass') : ''
    return {
      id: entry.id,
      time: entry.endedAt,
      what,
      site: role ? `${roleName(role)} · ${entry.deviceId}` : entry.deviceId,
      outcome: entry.outcome,
      text,
      ...(entry.commissionId ? { commissionId: entry.commissionId } : {}),
    }
  })
  return rows.reverse()
}

/** A record in the pair's list: when, how it ended, and whether it has a report to open. */
export function recordLine(record: CommissionRecord): { headline: Headline; hasReport: boolean; startedAt: number; notes: string } {
  return { headline: headline(record.state), hasReport: record.report !== undefined, startedAt: record.state.startedAt, notes: record.input.notes }
}
