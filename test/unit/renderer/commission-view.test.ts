// The Commission view's words: each step's state and time, where a stopped flow can resume,
// the headline, the report's file names and a pair's history named as a technician says it.
import { describe, expect, it } from 'vitest'
import { failStep, finishStep, initialSteps, skipStep, startStep, type CommissionState } from '../../../src/common/commission/steps'
import type { HistoryEntry } from '../../../src/common/contract'
import { durationText, headline, pairHistory, reportFileName, resumableSteps, stepRows, stoppedAt } from '../../../src/renderer/src/data/commission-view'

const T0 = 1_700_000_000_000

function fresh(): CommissionState {
  return { commissionId: 'com-1234abcd', pairId: 'ab12cd34ef56ab78', a: 'rfc2217://127.0.0.1:4001', b: 'rfc2217://127.0.0.1:4002', status: 'running', steps: initialSteps(), startedAt: T0 }
}

/** A flow that did firmware (skipped), provision, reset and boot, and failed at sync with a diagnosis. */
function failedAtSync(): CommissionState {
  let state = fresh()
  state = skipStep(startStep(state, 'firmware', T0), 'firmware', T0 + 2000, 'A already holds this firmware; B already holds this firmware')
  for (const [id, at] of [['provision', 3000], ['reset', 8000], ['boot', 9000]] as const) state = finishStep(startStep(state, id, T0 + at - 1000), id, T0 + at)
  state = startStep(state, 'sync', T0 + 9000)
  return failStep(state, 'sync', T0 + 49_000, {
    error: { code: 'TIMEOUT', message: 'A: the signalling broker at 127.0.0.1:1883 is unreachable', hint: 'Check the signalling broker address.' },
    findings: [{ id: 'signalling-broker-unreachable', severity: 'error', title: 'the signalling broker at 127.0.0.1:1883 is unreachable', action: 'Check the signalling broker address and that it runs.', count: 3, evidence: [] }],
  })
}

describe('commissioning steps as the page shows them', () => {
  it('gives each step its number, words, state and time, a running one counting up', () => {
    const state = startStep(fresh(), 'firmware', T0)
    const rows = stepRows(state, T0 + 65_400)
    expect(rows.map((row) => row.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
    expect(rows[0]).toMatchObject({ label: 'Check the firmware and flash where it differs', statusLabel: 'running', time: '1 min 05 s', watching: false })
    expect(rows[1]).toMatchObject({ statusLabel: 'waiting', time: '' })
  })

  it('shows a failed step with its error and diagnosis, and where it may resume', () => {
    const state = failedAtSync()
    const rows = stepRows(state, T0 + 100_000)
    expect(rows[0]).toMatchObject({ statusLabel: 'not needed', tone: 'ok', time: '2.0 s' })
    const sync = rows[4]
    expect(sync).toMatchObject({ id: 'sync', statusLabel: 'failed', tone: 'danger', time: '40 s' })
    expect(sync?.error).toEqual({ message: 'A: the signalling broker at 127.0.0.1:1883 is unreachable.', hint: 'Check the signalling broker address.' })
    expect(sync?.findings).toEqual([{ title: 'the signalling broker at 127.0.0.1:1883 is unreachable', action: 'Check the signalling broker address and that it runs.', severity: 'error' }])
    expect(stoppedAt(state)).toBe('sync')
    expect(resumableSteps(state)).toEqual(['firmware', 'provision', 'reset', 'boot', 'sync'])
    expect(headline(state)).toEqual({ text: 'The commissioning of pair ab12cd34ef56ab78 stopped at step 5, "Both devices meet on the signalling broker". Read what to do there, then try again from that step.', tone: 'danger' })
  })

  it('counts attempts, links a running watch step to the consoles, and offers no resume while running or once done', () => {
    let state = failedAtSync()
    state = { ...state, status: 'running', steps: state.steps.map((step) => (step.id === 'sync' ? { id: 'sync', status: 'pending', attempts: 1 } : step)) }
    state = startStep(state, 'sync', T0 + 60_000)
    const sync = stepRows(state, T0 + 61_000)[4]
    expect(sync).toMatchObject({ attempt: '2nd attempt', watching: true, statusLabel: 'running' })
    expect(resumableSteps(state)).toEqual([])
    expect(stoppedAt(state)).toBeUndefined()
    expect(headline(state).text).toBe('Commissioning pair ab12cd34ef56ab78: step 5, "Both devices meet on the signalling broker"…')
    const done = { ...state, status: 'done' as const }
    expect(resumableSteps(done)).toEqual([])
    expect(headline(done)).toEqual({ text: 'Pair ab12cd34ef56ab78 is commissioned: every step passed, the bridge test too.', tone: 'ok' })
  })

  it('shows a cancelled step as stopped, not as a failure to explain', () => {
    let state = startStep(fresh(), 'firmware', T0)
    state = { ...state, status: 'cancelled', steps: state.steps.map((step) => (step.id === 'firmware' ? { ...step, status: 'failed', endedAt: T0 + 500, error: { code: 'CANCELLED', message: 'the commissioning was cancelled' } } : step)) }
    const [firmware] = stepRows(state)
    expect(firmware).toMatchObject({ statusLabel: 'stopped', tone: 'warning' })
    expect(firmware?.error).toBeUndefined()
    expect(resumableSteps(state)).toEqual(['firmware'])
    expect(headline(state).tone).toBe('warning')
  })

  it('writes durations a technician reads at a glance', () => {
    expect(durationText(400)).toBe('0.4 s')
    expect(durationText(12_300)).toBe('12 s')
    expect(durationText(125_000)).toBe('2 min 05 s')
  })

  it('names the report files as the data folder does', () => {
    expect(reportFileName(fresh(), 'json')).toBe('pairkit-commissioning-ab12cd34ef56ab78-com-1234abcd.json')
    expect(reportFileName(fresh(), 'html')).toBe('pairkit-commissioning-ab12cd34ef56ab78-com-1234abcd.html')
  })
})

describe("a pair's history", () => {
  const entry = (endedAt: number, operation: HistoryEntry['operation'], role: 1 | 2, extra: Partial<HistoryEntry> = {}): HistoryEntry => ({
    id: `${operation}-${role}-${endedAt}`, startedAt: endedAt - 10, endedAt, deviceId: role === 1 ? '/dev/ttyUSB0' : '/dev/ttyUSB1', operation, outcome: 'done', regions: [], pair: { pairId: 'ab12cd34ef56ab78', role }, ...extra,
  })

  it('names each entry as commissioned, flashed or re-flashed, provisioned or re-provisioned, tested — newest first', () => {
    const rows = pairHistory([
      entry(1, 'flash', 1, { bundle: { name: 'serverless_mqtt 1.2', sha256: 'a'.repeat(64) } }),
      entry(2, 'provision', 1),
      entry(3, 'provision', 2),
      entry(4, 'bridge-test', 1),
      entry(5, 'commission', 1, { commissionId: 'com-1' }),
      entry(6, 'flash', 1, { outcome: 'failed' }),
      entry(7, 'flash', 1, { bundle: { name: 'serverless_mqtt 1.3', sha256: 'b'.repeat(64) } }),
      entry(8, 'provision', 2),
      entry(9, 'bridge-test', 2, { outcome: 'failed' }),
    ])
    expect(rows.map((row) => `${row.what} ${row.outcome}`)).toEqual([
      'Tested failed', 'Re-provisioned done', 'Re-flashed done', 'Flashed failed', 'Commissioned done', 'Tested done', 'Provisioned done', 'Provisioned done', 'Flashed done',
    ])
    expect(rows[0]).toMatchObject({ site: 'site B (role 2) · /dev/ttyUSB1', text: 'bridge test did not pass' })
    expect(rows[2]?.text).toBe('serverless_mqtt 1.3')
    expect(rows[4]?.commissionId).toBe('com-1')
  })
})
