import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { emptyPeerStats, type PeerEventInput } from '../../../src/common/serverless/peer-events'
import { DropReporter } from '../../../src/main/peer/drop-reporter'

describe('DropReporter', () => {
  beforeEach(() => void vi.useFakeTimers())
  afterEach(() => void vi.useRealTimers())

  function reporter() {
    const stats = emptyPeerStats()
    const events: PeerEventInput[] = []
    return { stats, events, drops: new DropReporter(stats, (event) => events.push(event)) }
  }
  const summary = (events: PeerEventInput[]) => events.map((e) => (e.type === 'drop' ? `${e.direction} ${e.reason} ×${e.count} ${e.bytes} B ${e.topic ?? '-'} ${e.detail}` : e.type))

  it('reports the first drop at once and the rest of each second in one event, counting every one', () => {
    const { stats, events, drops } = reporter()
    drops.drop('from-peer', 'malformed', 10, undefined, 'too-short: 1')
    expect(summary(events)).toEqual(['from-peer malformed ×1 10 B - too-short: 1'])
    for (let i = 0; i < 999; i++) drops.drop('from-peer', 'malformed', 2, undefined, `length-mismatch: ${i}`)
    expect(events).toHaveLength(1)
    vi.advanceTimersByTime(1000)
    expect(summary(events)).toEqual(['from-peer malformed ×1 10 B - too-short: 1', 'from-peer malformed ×999 1998 B - length-mismatch: 998'])
    // A steady flood: one event per second.
    for (let second = 0; second < 5; second++) {
      for (let i = 0; i < 100; i++) drops.drop('from-peer', 'malformed', 1, undefined, 'x')
      vi.advanceTimersByTime(1000)
    }
    expect(events).toHaveLength(7)
    expect(stats.drops.malformed).toBe(1500)
  })

  it('keeps each direction and reason apart, and reports at once again after a quiet second', () => {
    const { events, drops } = reporter()
    drops.drop('from-peer', 'unknown-source', 5, undefined, 'a')
    drops.drop('to-peer', 'not-linked', 7, 't/1', 'b')
    drops.drop('local', 'slow-subscriber', 9, 't/2', 'c')
    drops.drop('local', 'slow-subscriber', 9, 't/3', 'd')
    expect(events).toHaveLength(3)
    vi.advanceTimersByTime(1000) // the slow-subscriber summary
    vi.advanceTimersByTime(1000) // a quiet second closes every window
    expect(summary(events).slice(3)).toEqual(['local slow-subscriber ×1 9 B t/3 d'])
    drops.drop('from-peer', 'unknown-source', 5, undefined, 'e')
    expect(summary(events).slice(4)).toEqual(['from-peer unknown-source ×1 5 B - e'])
  })

  it('reports what is held at once when flushed, and nothing after', () => {
    const { stats, events, drops } = reporter()
    for (let i = 0; i < 3; i++) drops.drop('to-peer', 'too-long', 5000, 'big', 'over 4096')
    drops.flush()
    expect(summary(events)).toEqual(['to-peer too-long ×1 5000 B big over 4096', 'to-peer too-long ×2 10000 B big over 4096'])
    vi.advanceTimersByTime(5000)
    expect(events).toHaveLength(2)
    expect(stats.drops['too-long']).toBe(3)
  })
})
