// The arithmetic of the bridge test: the clock offset between the two sides from ping-pong
// round trips (as NTP does), one-way latencies, loss, duplicates and reordering of a probe
// sequence, and the verdict against the technician's thresholds. Each side's times are read
// from that side's own clock; nothing here assumes the two clocks agree.
import type { DirectionResult, LossThreshold } from './bridge-test-result'

/**
 * One round trip: t1 = ping sent (A's clock), t2 = ping received (B's), t3 = pong sent (B's),
 * t4 = pong received (A's).
 */
export interface RoundTrip {
  t1: number
  t2: number
  t3: number
  t4: number
}

/**
 * B's clock minus A's: θ = ((t2 − t1) + (t3 − t4)) / 2 of the round trip with the smallest
 * delay δ = (t4 − t1) − (t3 − t2), whose error is at most δ / 2 (NTP's clock filter).
 */
export function estimateClockOffset(trips: readonly RoundTrip[]): { offsetMs: number; roundTripMs: number } | undefined {
  let best: { offsetMs: number; roundTripMs: number } | undefined
  for (const { t1, t2, t3, t4 } of trips) {
    const delay = t4 - t1 - (t3 - t2)
    if (!Number.isFinite(delay) || delay < 0) continue
    if (!best || delay < best.roundTripMs) best = { offsetMs: (t2 - t1 + (t3 - t4)) / 2, roundTripMs: delay }
  }
  return best
}

/** Nearest-rank percentile of sorted values; null for none. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number
}

export interface ProbeArrival {
  seq: number
  /** The receiver's clock. */
  at: number
}

/**
 * One direction's probes: `sendTimes[seq]` on the sender's clock, arrivals in the order they came
 * on the receiver's clock, `offsetMs` = receiver's clock − sender's.
 */
export function analyseProbes(sendTimes: readonly number[], arrivals: readonly ProbeArrival[], offsetMs: number): DirectionResult {
  const firstArrival = new Map<number, number>()
  let duplicates = 0
  let reordered = 0
  let highest = -1
  for (const { seq, at } of arrivals) {
    if (!(seq >= 0 && seq < sendTimes.length)) continue
    if (firstArrival.has(seq)) {
      duplicates++
      continue
    }
    firstArrival.set(seq, at)
    if (seq < highest) reordered++
    highest = Math.max(highest, seq)
  }
  const latencies = [...firstArrival].map(([seq, at]) => round(at - offsetMs - (sendTimes[seq] as number))).sort((x, y) => x - y)
  const sent = sendTimes.length
  const received = firstArrival.size
  return {
    sent,
    received,
    lost: sent - received,
    duplicates,
    reordered,
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
    maxMs: latencies.length > 0 ? (latencies[latencies.length - 1] as number) : null,
    lossPercent: sent === 0 ? 0 : round((100 * (sent - received)) / sent),
  }
}

export function lossWithin(result: DirectionResult, threshold: LossThreshold): boolean {
  return 'count' in threshold ? result.lost <= threshold.count : result.lossPercent <= threshold.percent
}

export function p95Within(result: DirectionResult, maxP95Ms: number): boolean {
  return result.p95Ms !== null && result.p95Ms < maxP95Ms
}

/** "3" → 3 messages, "2.5%" → 2.5 per cent; undefined when it is neither. */
export function parseLossThreshold(text: string): LossThreshold | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(text)
  if (!match) return undefined
  const value = Number(match[1])
  if (match[2] === '%') return value <= 100 ? { percent: value } : undefined
  return Number.isInteger(value) ? { count: value } : undefined
}

export function describeLossThreshold(threshold: LossThreshold): string {
  return 'count' in threshold ? `${threshold.count} message${threshold.count === 1 ? '' : 's'}` : `${threshold.percent} %`
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000
}
