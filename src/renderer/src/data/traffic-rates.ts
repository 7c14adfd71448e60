// The rate chart's data: messages per second each way, and lost, over the last two minutes.
// Seeded from traffic.rates when the view opens, then one point per second from the batches
// (each carries the last complete second); a second no batch spoke for counts as zero.
import type { RateSeriesName, TrafficRates } from '../../../common/traffic/model'

export const RATE_HISTORY_SECONDS = 120
export const CHART_SERIES = ['aToB', 'bToA', 'lost'] as const satisfies readonly RateSeriesName[]
export type ChartSeries = (typeof CHART_SERIES)[number]

export class RateHistory {
  /** Seconds since the epoch, oldest first, one per second without gaps. */
  private seconds: number[] = []
  private values: Record<ChartSeries, number[]> = { aToB: [], bToA: [], lost: [] }

  constructor(readonly length = RATE_HISTORY_SECONDS) {}

  /** traffic.rates' answer: per-second values from `start` (ms since the epoch); seconds before `since` (the session's start) are left out. */
  seed(start: number, values: Partial<Record<RateSeriesName, number[]>>, since = Number.NEGATIVE_INFINITY): void {
    this.clear()
    const first = Math.floor(start / 1000)
    const sinceSecond = Math.floor(since / 1000)
    const count = Math.max(0, ...CHART_SERIES.map((name) => values[name]?.length ?? 0))
    for (let i = 0; i < count; i++) {
      if (first + i < sinceSecond) continue
      this.put(first + i, { aToB: values.aToB?.[i] ?? 0, bToA: values.bToA?.[i] ?? 0, lost: values.lost?.[i] ?? 0 })
    }
  }

  /** A batch's rates; returns whether the chart has a new point. */
  add(rates: Pick<TrafficRates, 'second' | ChartSeries>): boolean {
    const second = Math.floor(rates.second / 1000)
    const last = this.seconds[this.seconds.length - 1]
    if (last !== undefined && second < last) return false
    if (last === second) {
      // The same second again (batches come ten a second): the latest figures win.
      for (const name of CHART_SERIES) this.values[name][this.values[name].length - 1] = rates[name]
      return false
    }
    if (last !== undefined) for (let gap = Math.max(last + 1, second - this.length + 1); gap < second; gap++) this.put(gap, { aToB: 0, bToA: 0, lost: 0 })
    this.put(second, rates)
    return true
  }

  clear(): void {
    this.seconds = []
    this.values = { aToB: [], bToA: [], lost: [] }
  }

  /** uPlot's data: x in seconds since the epoch, then A → B, B → A and lost. */
  data(): [number[], number[], number[], number[]] {
    return [this.seconds.slice(), this.values.aToB.slice(), this.values.bToA.slice(), this.values.lost.slice()]
  }

  get points(): number {
    return this.seconds.length
  }

  private put(second: number, rates: Record<ChartSeries, number>): void {
    this.seconds.push(second)
    for (const name of CHART_SERIES) this.values[name].push(rates[name])
    const excess = this.seconds.length - this.length
    if (excess > 0) {
      this.seconds.splice(0, excess)
      for (const name of CHART_SERIES) this.values[name].splice(0, excess)
    }
  }
}
