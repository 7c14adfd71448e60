// Events per second, in one-second buckets of the host clock, for the rate chart: the last
// HISTORY_SECONDS seconds of each series are kept, older buckets are reused.
import { RATE_SERIES_NAMES, type RateSeriesName, type TrafficRates } from './model'

export const HISTORY_SECONDS = 300

export class RateMeter {
  /** The second (floor(ms / 1000)) each slot holds; -1 when empty. */
  private readonly seconds = new Float64Array(HISTORY_SECONDS).fill(-1)
  private readonly counts = new Map<RateSeriesName, Float64Array>(RATE_SERIES_NAMES.map((name) => [name, new Float64Array(HISTORY_SECONDS)]))

  add(name: RateSeriesName, t: number, n = 1): void {
    const second = Math.floor(t / 1000)
    const slot = this.slot(second)
    const counts = this.counts.get(name) as Float64Array
    counts[slot] = (counts[slot] as number) + n
  }

  /** The rates of the last complete second before `now`. */
  lastSecond(now: number): TrafficRates {
    const second = Math.floor(now / 1000) - 1
    const values = Object.fromEntries(RATE_SERIES_NAMES.map((name) => [name, this.value(name, second)])) as Record<RateSeriesName, number>
    return { second: second * 1000, ...values }
  }

  /** Per-second values of the last `count` complete seconds, oldest first. */
  series(now: number, count: number): { start: number; values: Record<RateSeriesName, number[]> } {
    const n = Math.max(1, Math.min(HISTORY_SECONDS - 1, Math.floor(count)))
    const last = Math.floor(now / 1000) - 1
    const first = last - n + 1
    const values = Object.fromEntries(RATE_SERIES_NAMES.map((name) => [name, Array.from({ length: n }, (_, i) => this.value(name, first + i))])) as Record<RateSeriesName, number[]>
    return { start: first * 1000, values }
  }

  clear(): void {
    this.seconds.fill(-1)
    for (const counts of this.counts.values()) counts.fill(0)
  }

  private value(name: RateSeriesName, second: number): number {
    const slot = ((second % HISTORY_SECONDS) + HISTORY_SECONDS) % HISTORY_SECONDS
    return this.seconds[slot] === second ? ((this.counts.get(name) as Float64Array)[slot] as number) : 0
  }

  private slot(second: number): number {
    const slot = ((second % HISTORY_SECONDS) + HISTORY_SECONDS) % HISTORY_SECONDS
    if (this.seconds[slot] !== second) {
      this.seconds[slot] = second
      for (const counts of this.counts.values()) counts[slot] = 0
    }
    return slot
  }
}
