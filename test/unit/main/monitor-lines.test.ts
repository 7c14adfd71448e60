// The monitor's line rule and its ring of recent lines.
import { describe, expect, it } from 'vitest'
import { LineRing } from '../../../src/main/monitor/line-ring'
import { LineSplitter } from '../../../src/main/monitor/line-splitter'

const bytes = (text: string) => new TextEncoder().encode(text)

describe('line splitter', () => {
  it('ends lines at "\\n", drops the "\\r" before it, and holds a line until it ends', () => {
    const splitter = new LineSplitter()
    expect(splitter.push(bytes('I (12) boot: one\r\nI (13) boot: tw'))).toEqual(['I (12) boot: one'])
    expect(splitter.push(bytes('o\r'))).toEqual([])
    expect(splitter.push(bytes('\n\nmid\rdle\r\n'))).toEqual(['I (13) boot: two', '', 'mid\rdle'])
    expect(splitter.flush()).toBeUndefined()
    expect(splitter.push(bytes('no end'))).toEqual([])
    expect(splitter.flush()).toBe('no end')
    expect(splitter.flush()).toBeUndefined()
  })

  it('cuts a line after the limit, whatever the chunks, and keeps multi-byte characters split across chunks', () => {
    const splitter = new LineSplitter(8)
    expect(splitter.push(bytes('abcdefghij'))).toEqual(['abcdefgh'])
    expect(splitter.push(bytes('klmnop\n'))).toEqual(['ijklmnop'])
    // Exactly the limit and then the newline: one line.
    expect(splitter.push(bytes('12345678'))).toEqual([])
    expect(splitter.push(bytes('\n'))).toEqual(['12345678'])
    const euro = bytes('€\n')
    expect(splitter.push(euro.subarray(0, 1))).toEqual([])
    expect(splitter.push(euro.subarray(1))).toEqual(['€'])
  })

  it('gives the same lines however the stream is chunked', () => {
    const text = bytes('I (1) a: x\r\n'.repeat(50) + 'y'.repeat(9000) + '\ntail')
    const whole = new LineSplitter()
    const expected = [...whole.push(text), whole.flush()]
    for (const size of [1, 7, 4096, 4097]) {
      const chunked = new LineSplitter()
      const lines: (string | undefined)[] = []
      for (let at = 0; at < text.length; at += size) lines.push(...chunked.push(text.subarray(at, at + size)))
      lines.push(chunked.flush())
      expect(lines).toEqual(expected)
    }
    expect(expected.filter((line) => line?.startsWith('y')).map((line) => line?.length)).toEqual([4096, 4096, 808])
  })
})

describe('line ring', () => {
  it('keeps the newest lines, numbers every line, and reads from any seq', () => {
    const ring = new LineRing(3, 1000)
    expect([ring.firstSeq, ring.nextSeq]).toEqual([1, 1])
    for (const text of ['a', 'b', 'c', 'd', 'e']) ring.push({ hostTime: 0, text })
    expect([ring.firstSeq, ring.nextSeq]).toEqual([3, 6])
    expect(ring.read(1, 10).map((line) => [line.seq, line.text])).toEqual([[3, 'c'], [4, 'd'], [5, 'e']])
    expect(ring.read(4, 1).map((line) => line.text)).toEqual(['d'])
    expect(ring.read(6, 10)).toEqual([])
  })

  it('keeps no more text than its budget, but always the newest line', () => {
    const ring = new LineRing(100, 10)
    ring.push({ hostTime: 0, text: '12345' })
    ring.push({ hostTime: 0, text: '6789' })
    ring.push({ hostTime: 0, text: 'abc' })
    expect(ring.read(1, 10).map((line) => line.text)).toEqual(['6789', 'abc'])
    ring.push({ hostTime: 0, text: 'x'.repeat(50) })
    expect(ring.read(1, 10).map((line) => line.seq)).toEqual([4])
  })
})
