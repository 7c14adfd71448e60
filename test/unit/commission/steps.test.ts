import { describe, expect, it } from 'vitest'
import {
  COMMISSION_STEPS,
  CommissionStateSchema,
  cancelFlow,
  completeFlow,
  failStep,
  finishStep,
  initialSteps,
  isCommissioned,
  nextStep,
  resumeFrom,
  resumePoint,
  skipStep,
  startStep,
  type CommissionState,
} from '../../../src/common/commission/steps'

function fresh(): CommissionState {
  return { commissionId: 'com-1', pairId: 'a1b2c3d4e5f60708', a: '/dev/ttyUSB0', b: '/dev/ttyUSB1', status: 'running', steps: initialSteps(), startedAt: 1000 }
}

/** Runs steps to `until` (exclusive), each done one ms after it started. */
function runTo(until: (typeof COMMISSION_STEPS)[number]): CommissionState {
  let state = fresh()
  for (let step = nextStep(state), t = 1000; step && step !== until; step = nextStep(state), t += 2) state = finishStep(startStep(state, step, t), step, t + 1)
  return state
}

describe('the commissioning step model', () => {
  it('starts with every step pending, in the flow\'s order', () => {
    expect(fresh().steps.map((step) => [step.id, step.status])).toEqual(COMMISSION_STEPS.map((id) => [id, 'pending']))
    expect(nextStep(fresh())).toBe('firmware')
  })

  it('keeps each step\'s times and attempts, and a skipped step counts as passed', () => {
    let state = startStep(fresh(), 'firmware', 5)
    expect(state.steps[0]).toEqual({ id: 'firmware', status: 'running', startedAt: 5, attempts: 1 })
    state = skipStep(state, 'firmware', 9, 'both already hold it')
    expect(state.steps[0]).toMatchObject({ status: 'skipped', startedAt: 5, endedAt: 9, detail: 'both already hold it' })
    expect(nextStep(state)).toBe('provision')
    for (const step of COMMISSION_STEPS.slice(1)) state = finishStep(startStep(state, step, 10), step, 11)
    state = completeFlow(state, 12)
    expect(isCommissioned(state)).toBe(true)
    expect(CommissionStateSchema.parse(state)).toEqual(state)
  })

  it('stops at a failed step with its diagnosis and resumes from it, earlier steps kept', () => {
    let state = startStep(runTo('sync'), 'sync', 50)
    const finding = { id: 'signalling-broker-unreachable' as const, severity: 'error' as const, title: 'The signalling broker could not be reached', action: 'Check the broker address.', count: 1, evidence: [] }
    state = failStep(state, 'sync', 60, { error: { code: 'TIMEOUT', message: 'A: The signalling broker could not be reached', hint: 'Check the broker address.' }, findings: [finding] })
    expect(state.status).toBe('failed')
    expect(state.endedAt).toBe(60)
    expect(nextStep(state)).toBe('connect')
    expect(isCommissioned(state)).toBe(false)
    expect(resumePoint(state)).toBe('sync')
    const resumed = resumeFrom(state, resumePoint(state))
    expect(resumed.status).toBe('running')
    expect(resumed.endedAt).toBeUndefined()
    expect(nextStep(resumed)).toBe('sync')
    expect(resumed.steps.find((step) => step.id === 'sync')).toEqual({ id: 'sync', status: 'pending', attempts: 1 })
    expect(resumed.steps.slice(0, 4)).toEqual(state.steps.slice(0, 4))
    expect(CommissionStateSchema.parse(state)).toEqual(state)
  })

  it('resumes from an earlier step on request, but not from past a step that never ended', () => {
    const failed = failStep(startStep(runTo('sync'), 'sync', 50), 'sync', 60, { error: { code: 'TIMEOUT', message: 'x' } })
    expect(nextStep(resumeFrom(failed, 'reset'))).toBe('reset')
    expect(() => resumeFrom(failed, 'connect')).toThrow(/has not finished.*Resume|cannot resume/)
  })

  it('marks the running step failed on cancel', () => {
    const state = cancelFlow(startStep(runTo('boot'), 'boot', 70), 80, 'the commissioning was cancelled')
    expect(state.status).toBe('cancelled')
    expect(state.steps.find((step) => step.id === 'boot')).toMatchObject({ status: 'failed', endedAt: 80, error: { code: 'CANCELLED' } })
  })
})
