// The rows the Traffic view holds: a window of the backend's buffer by id, fed by batches
// (with rows left out counted) and by reads, bounded around what is on screen.
import { describe, expect, it } from 'vitest'
import type { TrafficCounters, TrafficRow } from '../../../src/common/traffic/model'
import { TrafficRowCache } from '../../../src/renderer/src/data/traffic-rows'

function row(id: number, extra: Partial<TrafficRow> = {}): TrafficRow {
  return { id, t: 1_700_000_000_000 + id, site: 'A', source: 'mqtt', topic: `t/${id}`, size: 4, qos: 0, retain: false, direction: 'unknown', fate: 'pending', ...extra }
}

function counters(firstId: number, nextId: number): TrafficCounters {
  const direction = { crossed: 0, lost: 0, duplicates: 0, pending: 0, bytes: 0 }
  const sources = { mqtt: 0, console: 0, peer: 0, signalling: 0 }
  return {
    observed: { A: sources, B: sources },
    aToB: direction,
    bToA: direction,
    unseen: { A: 0, B: 0 },
    local: { A: 0, B: 0 },
    lostReasons: {},
    buffer: { capacity: 100_000, size: nextId - firstId, firstId, nextId, evicted: firstId, skippedWhilePaused: 0 },
  } as TrafficCounters
}

function batch(ids: number[], range: [number, number], omittedRows = 0, updates: TrafficRow[] = []) {
  return { rows: ids.map((id) => row(id)), updates, omittedRows, counters: counters(...range) }
}

describe('TrafficRowCache', () => {
  it('keeps the rows of batches by id, with the buffer range the counters give', () => {
    const cache = new TrafficRowCache()
    cache.applyBatch(batch([0, 1, 2], [0, 3]))
    expect(cache.total).toBe(3)
    expect(cache.get(1)?.topic).toBe('t/1')
    expect(cache.missing(0, 3)).toEqual([])
  })

  it('counts the rows a batch left out and lists them as missing, to be read by id', () => {
    const cache = new TrafficRowCache()
    // 500 new rows, the newest 200 sent.
    cache.applyBatch(batch(Array.from({ length: 200 }, (_, i) => 300 + i), [0, 500], 300))
    expect(cache.notSentLive).toBe(300)
    expect(cache.missing(250, 320)).toEqual([{ from: 250, to: 300 }])
    cache.applyRead(Array.from({ length: 50 }, (_, i) => row(250 + i)), { firstId: 0, nextId: 500 }, 275)
    expect(cache.missing(250, 320)).toEqual([])
    // Nothing beyond the buffer is asked for.
    expect(cache.missing(490, 600)).toEqual([])
  })

  it('applies a new classification, dropping what no longer applies (lost turned crossed)', () => {
    const cache = new TrafficRowCache()
    cache.applyBatch({ ...batch([], [0, 1]), rows: [row(0, { fate: 'lost', direction: 'a-to-b', lostReason: 'link-loss', detail: 'lost on the way' })] })
    cache.applyBatch(batch([], [0, 1], 0, [{ ...row(0), direction: 'a-to-b', fate: 'crossed', latencyMs: 12, correlationId: 4 }]))
    const updated = cache.get(0)
    expect(updated).toMatchObject({ fate: 'crossed', latencyMs: 12, correlationId: 4, topic: 't/0' })
    expect(updated?.lostReason).toBeUndefined()
    expect(updated?.detail).toBeUndefined()
    // An update for a row the page does not hold is ignored, not invented.
    cache.applyBatch(batch([], [0, 1], 0, [{ ...row(7), fate: 'crossed' }]))
    expect(cache.get(7)).toBeUndefined()
  })

  it('forgets rows that left the backend buffer', () => {
    const cache = new TrafficRowCache()
    cache.applyBatch(batch([0, 1, 2, 3], [0, 4]))
    cache.applyBatch(batch([4, 5], [3, 6]))
    expect(cache.get(2)).toBeUndefined()
    expect(cache.get(3)).toBeDefined()
    expect(cache.total).toBe(3)
  })

  it('holds at most maxRows, the newest while following and those around the focus otherwise', () => {
    const cache = new TrafficRowCache(100)
    for (let start = 0; start < 1000; start += 100) cache.applyBatch(batch(Array.from({ length: 100 }, (_, i) => start + i), [0, start + 100]))
    expect(cache.size).toBe(100)
    expect(cache.get(899)).toBeUndefined()
    expect(cache.get(900)).toBeDefined()
    expect(cache.get(999)).toBeDefined()
    // Scrolled back to id 300: rows read there stay, the newest go first.
    cache.applyRead(Array.from({ length: 100 }, (_, i) => row(250 + i)), { firstId: 0, nextId: 1000 }, 300)
    expect(cache.size).toBe(100)
    expect(cache.get(250)).toBeDefined()
    expect(cache.get(349)).toBeDefined()
    expect(cache.get(999)).toBeUndefined()
    // New rows arriving meanwhile do not push out what is on screen.
    cache.applyBatch(batch([1000, 1001], [0, 1002]), 300)
    expect(cache.get(300)).toBeDefined()
    expect(cache.size).toBeLessThanOrEqual(100)
  })

  it('starts again empty on clear, ids going on', () => {
    const cache = new TrafficRowCache()
    cache.applyBatch(batch([0, 1], [0, 2], 5))
    cache.clear()
    expect(cache.size).toBe(0)
    expect(cache.total).toBe(0)
    expect(cache.notSentLive).toBe(0)
    expect(cache.firstId).toBe(2)
  })
})
