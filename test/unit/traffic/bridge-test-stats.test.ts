// The bridge test's arithmetic: the clock offset from round trips when the two sides' clocks
// disagree, one-way latencies corrected by it, loss, duplicates, reordering and the thresholds.
import { describe, expect, it } from 'vitest'
import { analyseProbes, estimateClockOffset, parseLossThreshold, percentile, lossWithin, p95Within } from '../../../src/common/traffic/bridge-test-stats'
import { seededRandom } from '../serverless/seeded-random'

describe('estimateClockOffset', () => {
  it('finds the other clock\'s offset from round trips whatever it is, within half the shortest round trip', () => {
    for (const skew of [0, 5000, -123_456.5, 3.25]) {
      const random = seededRandom(Math.abs(Math.round(skew)) + 1)
      const trips = Array.from({ length: 20 }, (_, i) => {
        const t1 = 1000 * i
        const up = 5 + random() * 40 // A → B, on the true clock
        const turn = random() * 3
        const down = 5 + random() * 40
        return { t1, t2: t1 + up + skew, t3: t1 + up + turn + skew, t4: t1 + up + turn + down }
      })
      const estimate = estimateClockOffset(trips)
      expect(estimate).toBeDefined()
      expect(Math.abs((estimate?.offsetMs ?? Number.NaN) - skew)).toBeLessThanOrEqual((estimate?.roundTripMs ?? 0) / 2)
    }
  })

  it('is exact for symmetric paths and ignores impossible samples', () => {
    expect(estimateClockOffset([{ t1: 0, t2: 1010, t3: 1011, t4: 21 }, { t1: 50, t2: 0, t3: 0, t4: 40 }])).toEqual({ offsetMs: 1000, roundTripMs: 20 })
    expect(estimateClockOffset([])).toBeUndefined()
  })
})

describe('analyseProbes', () => {
  it('counts loss, duplicates and reordering, and corrects latency by the offset', () => {
    const sendTimes = [0, 10, 20, 30, 40]
    // B's clock is 5000 ms ahead; seq 1 lost, seq 3 before seq 2, seq 0 twice.
    const arrivals = [
      { seq: 0, at: 5005 },
      { seq: 0, at: 5006 },
      { seq: 3, at: 5037 },
      { seq: 2, at: 5038 },
      { seq: 4, at: 5049 },
      { seq: 99, at: 5050 },
    ]
    expect(analyseProbes(sendTimes, arrivals, 5000)).toEqual({ sent: 5, received: 4, lost: 1, duplicates: 1, reordered: 1, p50Ms: 7, p95Ms: 18, maxMs: 18, lossPercent: 20 })
  })

  it('has no latency when nothing arrived', () => {
    expect(analyseProbes([0, 1], [], 0)).toMatchObject({ received: 0, lost: 2, p50Ms: null, p95Ms: null, lossPercent: 100 })
  })
})

describe('thresholds', () => {
  it('reads a loss threshold as a count or a percentage', () => {
    expect(parseLossThreshold('0')).toEqual({ count: 0 })
    expect(parseLossThreshold('3')).toEqual({ count: 3 })
    expect(parseLossThreshold('2.5%')).toEqual({ percent: 2.5 })
    for (const bad of ['', '-1', '1.5', '101%', 'five', '5 %x']) expect(parseLossThreshold(bad)).toBeUndefined()
  })

  it('passes loss at the threshold and p95 only below it', () => {
    const result = analyseProbes([0, 0, 0, 0], [{ seq: 0, at: 100 }, { seq: 1, at: 200 }, { seq: 2, at: 300 }], 0)
    expect(lossWithin(result, { count: 1 })).toBe(true)
    expect(lossWithin(result, { count: 0 })).toBe(false)
    expect(lossWithin(result, { percent: 25 })).toBe(true)
    expect(lossWithin(result, { percent: 24.9 })).toBe(false)
    expect(p95Within(result, 301)).toBe(true)
    expect(p95Within(result, 300)).toBe(false)
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).toBe(10)
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50)).toBe(5)
  })
})
