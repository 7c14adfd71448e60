// The commissioning flow as data: its steps in order, each with a state and its times, and the
// pure moves between states (start, finish, fail, skip, resume). The backend runs the steps; the
// UI and the CLI only read this model, so they agree on what "resume from here" means.
import { z } from 'zod'
import { FindingSchema } from '../diagnosis/finding'
import { PairKitError } from '../errors'
import { SerializedErrorSchema } from '../rpc/messages'

export const COMMISSION_STEPS = ['firmware', 'provision', 'reset', 'boot', 'sync', 'connect', 'bridge-test', 'report'] as const
export const CommissionStepIdSchema = z.enum(COMMISSION_STEPS)
export type CommissionStepId = z.infer<typeof CommissionStepIdSchema>

/** What each step is, in the technician's words. */
export const STEP_LABELS: Record<CommissionStepId, string> = {
  firmware: 'Check the firmware and flash where it differs',
  provision: 'Write the pair settings (role 1 on A, role 2 on B)',
  reset: 'Reset both devices with their consoles open',
  boot: 'Both devices boot the bridge firmware',
  sync: 'Both devices meet on the signalling broker',
  connect: 'Both devices gather candidates and connect',
  'bridge-test': 'Bridge test between the two site brokers',
  report: 'Write the commissioning report',
}

/** How long a step may take before it fails with a sentence saying so. */
export const STEP_TIMEOUTS_MS: Record<CommissionStepId, number> = {
  firmware: 300_000,
  provision: 120_000,
  reset: 30_000,
  boot: 30_000,
  sync: 60_000,
  connect: 60_000,
  'bridge-test': 180_000,
  report: 30_000,
}

export const StepStatusSchema = z.enum(['pending', 'running', 'done', 'failed', 'skipped'])
export type StepStatus = z.infer<typeof StepStatusSchema>

export const CommissionStepSchema = z.object({
  id: CommissionStepIdSchema,
  status: StepStatusSchema,
  /** When it last started and ended (ms since the epoch). */
  startedAt: z.number().optional(),
  endedAt: z.number().optional(),
  /** What happened, in a sentence ("A already holds this firmware; B was flashed"). */
  detail: z.string().optional(),
  /** Why it failed: the message says what happened, the hint what to do. */
  error: SerializedErrorSchema.optional(),
  /** The Diagnoser's findings on the devices' consoles when it failed, each with what to do. */
  findings: z.array(FindingSchema).optional(),
  /** How often it ran (1 + resumes of it). */
  attempts: z.number().int().nonnegative(),
})
export type CommissionStep = z.infer<typeof CommissionStepSchema>

export const CommissionStatusSchema = z.enum(['running', 'done', 'failed', 'cancelled'])
export type CommissionStatus = z.infer<typeof CommissionStatusSchema>

export const CommissionStateSchema = z.object({
  commissionId: z.string(),
  pairId: z.string(),
  /** Device ids (normalised links) of role 1 (site A) and role 2 (site B). */
  a: z.string(),
  b: z.string(),
  status: CommissionStatusSchema,
  steps: z.array(CommissionStepSchema),
  startedAt: z.number(),
  endedAt: z.number().optional(),
  /** The report, once written. */
  reportId: z.string().optional(),
})
export type CommissionState = z.infer<typeof CommissionStateSchema>

export function initialSteps(): CommissionStep[] {
  return COMMISSION_STEPS.map((id) => ({ id, status: 'pending', attempts: 0 }))
}

function update(state: CommissionState, id: CommissionStepId, change: (step: CommissionStep) => CommissionStep): CommissionState {
  return { ...state, steps: state.steps.map((step) => (step.id === id ? change(step) : step)) }
}

export function startStep(state: CommissionState, id: CommissionStepId, now: number): CommissionState {
  return update({ ...state, status: 'running' }, id, (step) => ({ id, status: 'running', startedAt: now, attempts: step.attempts + 1 }))
}

export function finishStep(state: CommissionState, id: CommissionStepId, now: number, detail?: string): CommissionState {
  return update(state, id, (step) => ({ ...step, status: 'done', endedAt: now, ...(detail ? { detail } : {}) }))
}

export function skipStep(state: CommissionState, id: CommissionStepId, now: number, detail: string): CommissionState {
  return update(state, id, (step) => ({ ...step, status: 'skipped', startedAt: step.startedAt ?? now, endedAt: now, detail }))
}

/** The step failed: the flow stops there, and can be resumed from it. */
export function failStep(state: CommissionState, id: CommissionStepId, now: number, failure: Pick<CommissionStep, 'error' | 'findings' | 'detail'>): CommissionState {
  const failed = update(state, id, (step) => ({ ...step, status: 'failed', endedAt: now, ...failure }))
  return { ...failed, status: 'failed', endedAt: now }
}

/** Every step not yet over is left as it is; the flow is marked cancelled. */
export function cancelFlow(state: CommissionState, now: number, reason: string): CommissionState {
  const running = state.steps.find((step) => step.status === 'running')
  const stopped = running ? update(state, running.id, (step) => ({ ...step, status: 'failed', endedAt: now, error: { code: 'CANCELLED', message: reason } })) : state
  return { ...stopped, status: 'cancelled', endedAt: now }
}

export function completeFlow(state: CommissionState, now: number): CommissionState {
  return { ...state, status: 'done', endedAt: now }
}

/** The step to run next: the first one still pending; none when the flow is over. */
export function nextStep(state: CommissionState): CommissionStepId | undefined {
  return state.steps.find((step) => step.status === 'pending')?.id
}

/** Where a resume starts: the step named, else the one that failed (the first one when none did). */
export function resumePoint(state: CommissionState, from?: CommissionStepId): CommissionStepId {
  return from ?? state.steps.find((step) => step.status === 'failed')?.id ?? COMMISSION_STEPS[0]
}

/**
 * The state to resume with: `from` and every later step pending again, earlier steps kept. A
 * resume from a step whose earlier steps did not all end is refused with what to do.
 */
export function resumeFrom(state: CommissionState, from: CommissionStepId): CommissionState {
  const index = COMMISSION_STEPS.indexOf(from)
  const unfinished = state.steps.slice(0, index).find((step) => step.status !== 'done' && step.status !== 'skipped')
  if (unfinished) {
    throw new PairKitError('BAD_INPUT', `the step "${STEP_LABELS[unfinished.id]}" has not finished, so the flow cannot resume after it`, { hint: 'Resume from that step instead.' })
  }
  const steps = state.steps.map((step, at): CommissionStep => (at < index ? step : { id: step.id, status: 'pending', attempts: step.attempts }))
  const { endedAt: _ended, reportId: _report, ...rest } = state
  return { ...rest, steps, status: 'running' }
}

/** A passed flow: every step done or skipped. */
export function isCommissioned(state: CommissionState): boolean {
  return state.status === 'done' && state.steps.every((step) => step.status === 'done' || step.status === 'skipped')
}
