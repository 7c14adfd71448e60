// A bridge test's result as the card words it: the verdict against the thresholds set, both
// directions, and what the bridge does not carry phrased as facts about it.
import { describe, expect, it } from 'vitest'
import type { BridgeTestResult } from '../../../src/common/traffic/bridge-test-result'
import { bridgeTestView, describeLoss, stepWords } from '../../../src/renderer/src/data/bridge-test-view'

const direction = { sent: 50, received: 50, lost: 0, duplicates: 0, reordered: 0, p50Ms: 12.3, p95Ms: 31.6, maxMs: 40, lossPercent: 0 }

function result(overrides: Partial<BridgeTestResult> = {}): BridgeTestResult {
  return {
    a: 'mqtt://a:1883',
    b: 'mqtt://b:1883',
    nonce: '01234567',
    startedAt: 0,
    durationMs: 9000,
    clock: { offsetMs: -2.5, roundTripMs: 4, samples: 10 },
    aToB: direction,
    bToA: direction,
    qos1Carried: false,
    retainCarried: false,
    qos: { aToB: { received: 0 }, bToA: { received: 0 } },
    retain: { aToB: { arrived: true, stored: false }, bToA: { arrived: true, stored: false } },
    maxPayloadBytes: 4052,
    maxPayload: { aToB: 4052, bToA: 4052, limit: 4052 },
    shortPayload: { topicBytes: 52, payloadBytes: 8, aToB: true, bToA: true, controlAToB: true, controlBToA: true },
    throughput: { stepMs: 1000, steps: [{ rate: 50, aToB: { sent: 50, received: 50 }, bToA: { sent: 50, received: 50 } }], maxLossFreeRate: 50 },
    findings: [{ code: 'qos-not-carried', severity: 'info', message: 'QoS 1 is not carried.' }],
    thresholds: { maxLoss: { count: 0 }, maxP95Ms: 500 },
    pass: true,
    ...overrides,
  }
}

describe('bridge test card', () => {
  it('says a passing bridge passed, with the thresholds, and QoS 1 and retain as facts, not failures', () => {
    const view = bridgeTestView(result())
    expect(view.verdict).toBe('The bridge passed.')
    expect(view.thresholds).toBe('Pass means no message lost and 95 % of the probes under 500 ms, both ways.')
    expect(view.directions.map((row) => [row.label, row.sent, row.received, row.lost, row.p50, row.p95])).toEqual([
      ['A → B', 50, 50, '0', '12 ms', '32 ms'],
      ['B → A', 50, 50, '0', '12 ms', '32 ms'],
    ])
    const facts = Object.fromEntries(view.facts.map((fact) => [fact.label, [fact.tone, fact.value]]))
    expect(facts['QoS 1']).toEqual(['info', 'not carried: a QoS 1 message arrives at QoS 0'])
    expect(facts['Retained messages']).toEqual(['info', 'not retained on the other side (arrived both ways)'])
    expect(facts['Largest payload']).toEqual(['ok', "4052 bytes both ways (all the firmware's wrap carries on this topic)"])
    expect(facts['Short payload']).toEqual(['ok', '8 bytes on a 52-byte topic crossed both ways'])
    expect(facts.Throughput).toEqual(['ok', 'no loss up to 50 messages per second each way (the highest rate tried)'])
    expect(facts.Clocks?.[1]).toBe("B's clock is 2.5 ms behind A's (round trip 4.0 ms)")
    expect(view.findings).toEqual([{ code: 'qos-not-carried', severity: 'info', message: 'QoS 1 is not carried.', tone: 'info' }])
  })

  it('says why a bridge failed, and names the stock length check when the short payload is lost one way', () => {
    const view = bridgeTestView(
      result({
        pass: false,
        aToB: { ...direction, received: 40, lost: 10, lossPercent: 20 },
        shortPayload: { topicBytes: 52, payloadBytes: 8, aToB: false, bToA: true, controlAToB: true, controlBToA: true },
        maxPayloadBytes: 1000,
        throughput: null,
        thresholds: { maxLoss: { percent: 5 }, maxP95Ms: 200 },
        findings: [{ code: 'loss', severity: 'error', message: '10 of 50 probes A → B were lost (20 %), more than the 5 % allowed.' }],
      }),
    )
    expect(view.pass).toBe(false)
    expect(view.verdict).toBe('The bridge failed: 10 of 50 probes A → B were lost (20 %), more than the 5 % allowed.')
    expect(view.thresholds).toBe('Pass means at most 5 % lost and 95 % of the probes under 200 ms, both ways.')
    expect(view.directions[0]?.lost).toBe('10 (20 %)')
    const facts = Object.fromEntries(view.facts.map((fact) => [fact.label, [fact.tone, fact.value]]))
    expect(facts['Short payload']).toEqual(['warning', '8 bytes on a 52-byte topic crossed B → A only: the receiver drops payloads shorter than their topic'])
    expect(facts['Largest payload']).toEqual(['warning', '1000 bytes both ways (of 4052 the wrap would carry)'])
    expect(facts.Throughput).toBeUndefined()
    expect(view.findings[0]?.tone).toBe('danger')
  })

  it('words the steps and loss thresholds', () => {
    expect(stepWords('max-payload')).toBe('Finding the largest payload that crosses')
    expect(stepWords(undefined)).toBe('Starting')
    expect(describeLoss({ count: 0 })).toBe('no message lost')
    expect(describeLoss({ count: 2 })).toBe('at most 2 lost')
    expect(describeLoss({ percent: 0 })).toBe('no message lost')
  })
})
