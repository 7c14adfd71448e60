// A session's ring of recent lines (and events): the newest items within a count and a text
// budget, every item numbered, readable from any seq.
import { describe, expect, it } from 'vitest'
import { SeqRing } from '../../../src/main/monitor/seq-ring'

type Line = { seq: number; text: string }
const ringOf = (maxItems: number, maxChars: number) => new SeqRing<Line>(maxItems, maxChars, (line) => line.text.length)
const push = (ring: SeqRing<Line>, text: string) => ring.push((seq) => ({ seq, text }))

describe('seq ring', () => {
  it('keeps the newest items, numbers every item, and reads from any seq', () => {
    const ring = ringOf(3, 1000)
    expect([ring.firstSeq, ring.nextSeq]).toEqual([1, 1])
    for (const text of ['a', 'b', 'c', 'd', 'e']) push(ring, text)
    expect([ring.firstSeq, ring.nextSeq]).toEqual([3, 6])
    expect(ring.read(1, 10).map((line) => [line.seq, line.text])).toEqual([[3, 'c'], [4, 'd'], [5, 'e']])
    expect(ring.read(4, 1).map((line) => line.text)).toEqual(['d'])
    expect(ring.read(6, 10)).toEqual([])
    // Wrapping around many times keeps the order.
    for (let i = 0; i < 1000; i++) push(ring, `n${i}`)
    expect(ring.read(0, 10).map((line) => line.text)).toEqual(['n997', 'n998', 'n999'])
    expect(ring.firstSeq).toBe(1003)
  })

  it('keeps no more text than its budget, but always the newest item', () => {
    const ring = ringOf(100, 10)
    push(ring, '12345')
    push(ring, '6789')
    push(ring, 'abc')
    expect(ring.read(1, 10).map((line) => line.text)).toEqual(['6789', 'abc'])
    push(ring, 'x'.repeat(50))
    expect(ring.read(1, 10).map((line) => line.seq)).toEqual([4])
  })
})
