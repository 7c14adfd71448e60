// The rate chart's history: seeded from traffic.rates since the session began, then one point
// per second from the batches, seconds no batch spoke for as zero, two minutes at most.
import { describe, expect, it } from 'vitest'
import { RateHistory } from '../../../src/renderer/src/data/traffic-rates'

const S = 1_700_000_000
const rates = (second: number, aToB: number, bToA = 0, lost = 0) => ({ second: second * 1000, aToB, bToA, lost })

describe('RateHistory', () => {
  it('keeps the seeded seconds from the session start on', () => {
    const history = new RateHistory()
    history.seed(S * 1000, { aToB: [0, 0, 5, 6], bToA: [0, 0, 1, 2], lost: [0, 0, 0, 1] }, (S + 2) * 1000 + 500)
    expect(history.data()).toEqual([[S + 2, S + 3], [5, 6], [1, 2], [0, 1]])
  })

  it('adds one point per new second, updates the current one, and fills silent seconds with zeros', () => {
    const history = new RateHistory()
    expect(history.add(rates(S, 10))).toBe(true)
    expect(history.add(rates(S, 12))).toBe(false)
    expect(history.add(rates(S + 3, 7, 1))).toBe(true)
    expect(history.add(rates(S + 1, 99))).toBe(false)
    expect(history.data()).toEqual([[S, S + 1, S + 2, S + 3], [12, 0, 0, 7], [0, 0, 0, 1], [0, 0, 0, 0]])
  })

  it('keeps the last `length` seconds', () => {
    const history = new RateHistory(5)
    for (let i = 0; i < 12; i++) history.add(rates(S + i, i))
    expect(history.data()[0]).toEqual([S + 7, S + 8, S + 9, S + 10, S + 11])
    expect(history.data()[1]).toEqual([7, 8, 9, 10, 11])
    // A long silence does not add more zeros than the chart shows.
    history.add(rates(S + 1000, 1))
    expect(history.points).toBe(5)
    expect(history.data()[0]).toEqual([S + 996, S + 997, S + 998, S + 999, S + 1000])
  })
})
