// Exact counters of a traffic session. Every message counts in exactly one place, the one its
// crossing's current classification names (correlator.ts CrossingCategory); when a crossing is
// classified again (matched, settled, a late arrival), it moves from the old place to the new one.
// Nothing here depends on the buffer, so the counts stay exact when old rows fall out of it.
import type { CrossingCategory } from './correlator'
import { LostReasonSchema, type LostReason, type Site, type SourceKind, type TrafficCounters } from './model'

type DirectionCounts = TrafficCounters['aToB']

function emptyDirection(): DirectionCounts {
  return { crossed: 0, lost: 0, duplicates: 0, pending: 0, bytes: 0 }
}

function emptySources(): TrafficCounters['observed']['A'] {
  return { mqtt: 0, console: 0, peer: 0, signalling: 0 }
}

export function emptyLostReasons(): Record<LostReason, number> {
  return Object.fromEntries(LostReasonSchema.options.map((reason) => [reason, 0])) as Record<LostReason, number>
}

export class TrafficCounterSet {
  private observed = { A: emptySources(), B: emptySources() }
  private aToB = emptyDirection()
  private bToA = emptyDirection()
  private unseen = { A: 0, B: 0 }
  private localCounts = { A: 0, B: 0 }
  private lostReasons = emptyLostReasons()

  observe(site: Site, source: SourceKind): void {
    this.observed[site][source]++
  }

  local(site: Site): void {
    this.localCounts[site]++
  }

  /** Moves a crossing from `before` (undefined when new) to `after`. */
  move(before: CrossingCategory | undefined, after: CrossingCategory): void {
    if (before) this.apply(before, -1)
    this.apply(after, 1)
  }

  snapshot(buffer: TrafficCounters['buffer']): TrafficCounters {
    return {
      observed: { A: { ...this.observed.A }, B: { ...this.observed.B } },
      aToB: { ...this.aToB },
      bToA: { ...this.bToA },
      unseen: { ...this.unseen },
      local: { ...this.localCounts },
      lostReasons: { ...this.lostReasons },
      buffer,
    }
  }

  clear(): void {
    this.observed = { A: emptySources(), B: emptySources() }
    this.aToB = emptyDirection()
    this.bToA = emptyDirection()
    this.unseen = { A: 0, B: 0 }
    this.localCounts = { A: 0, B: 0 }
    this.lostReasons = emptyLostReasons()
  }

  private apply(category: CrossingCategory, sign: 1 | -1): void {
    if (category.kind === 'unseen') {
      this.unseen[category.site] += sign
      return
    }
    const counts = category.direction === 'a-to-b' ? this.aToB : this.bToA
    switch (category.kind) {
      case 'pending':
        counts.pending += sign
        break
      case 'crossed':
        counts.crossed += sign
        counts.bytes += sign * category.bytes
        break
      case 'duplicate':
        counts.duplicates += sign
        break
      case 'lost':
        counts.lost += sign
        this.lostReasons[category.reason ?? 'unknown'] += sign
        break
    }
  }
}
