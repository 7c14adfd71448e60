import { describe, expect, it } from 'vitest'
import { IdRing } from '../../../src/common/traffic/id-ring'

describe('IdRing', () => {
  it('keeps the newest items under consecutive ids and reads any window by id', () => {
    const ring = new IdRing<string>(3)
    const evicted: [string, number][] = []
    for (const item of ['a', 'b', 'c', 'd', 'e']) ring.push(item, (old, id) => evicted.push([old, id]))
    expect([ring.firstId, ring.nextId, ring.size, ring.evicted]).toEqual([2, 5, 3, 2])
    expect(evicted).toEqual([['a', 0], ['b', 1]])
    expect(ring.get(1)).toBeUndefined()
    expect(ring.get(4)).toBe('e')
    expect(ring.range(0, 2)).toEqual(['c', 'd'])
    expect(ring.range(3, 10)).toEqual(['d', 'e'])
    ring.clear()
    expect([ring.firstId, ring.nextId, ring.size]).toEqual([5, 5, 0])
    expect(ring.push('f')).toBe(5)
  })

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new IdRing(0)).toThrow(RangeError)
    expect(() => new IdRing(1.5)).toThrow(RangeError)
  })
})
