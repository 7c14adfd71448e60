// The line splitter: line breaks of every kind, UTF-8 across chunks, ANSI colours, the cap.
import { describe, expect, it } from 'vitest'
import { LineSplitter, type LogLine } from '../../../src/common/logs'

function split(input: string | Uint8Array, cap?: number): LogLine[] {
  return new LineSplitter(cap).lines(input, true)
}

function splitBytewise(input: Uint8Array, cap?: number): LogLine[] {
  const splitter = new LineSplitter(cap)
  const lines: LogLine[] = []
  for (let i = 0; i < input.length; i++) lines.push(...splitter.lines(input.subarray(i, i + 1)))
  lines.push(...splitter.lines(new Uint8Array(0), true))
  return lines
}

const texts = (lines: LogLine[]) => lines.map((line) => line.text)

describe('LineSplitter', () => {
  it('ends lines at \\n, \\r\\n, a run of \\r before \\n, and a lone \\r', () => {
    const input = 'a\nb\r\nc\rd\r\r\ne\n\nf\r\rg\n\rh'
    expect(texts(split(input))).toEqual(['a', 'b', 'c', 'd', 'e', '', 'f', 'g', '', 'h'])
    expect(input.split(/\r+\n?|\n/)).toEqual(['a', 'b', 'c', 'd', 'e', '', 'f', 'g', '', 'h'])
  })

  it('gives the same lines however the bytes are chunked', () => {
    const input = new TextEncoder().encode('I (1) t: €uro\r\r\nä\rö\r\n\x1b[0;31mE (2) t: x\x1b[0m\r\nlast')
    const whole = split(input)
    expect(splitBytewise(input)).toEqual(whole)
    for (let at = 0; at <= input.length; at++) {
      const splitter = new LineSplitter()
      const lines = [...splitter.lines(input.subarray(0, at)), ...splitter.lines(input.subarray(at), true)]
      expect(lines).toEqual(whole)
    }
    expect(texts(whole)).toEqual(['I (1) t: €uro', 'ä', 'ö', 'E (2) t: x', 'last'])
  })

  it('decodes broken UTF-8 with U+FFFD, also at the end of the input', () => {
    expect(texts(split(Uint8Array.from([0x61, 0xff, 0x62, 0x0a, 0xe2, 0x82, 0x0a, 0xe2, 0x82])))).toEqual(['a\ufffdb', '\ufffd', '\ufffd'])
  })

  it('removes ANSI sequences and keeps the first colour', () => {
    expect(split('\x1b[0;32mI (5) t: ok\x1b[0m\n\x1b[39m00:00:01 INFO    a.c:1: x\x1b[0m\x1b[0K\nplain\n\x1b[1mbold only\x1b[0m\n')).toEqual([
      { text: 'I (5) t: ok', colour: 'green' },
      { text: '00:00:01 INFO    a.c:1: x', colour: 'default' },
      { text: 'plain' },
      { text: 'bold only' },
    ])
  })

  it('cuts a line over the cap into pieces marked continued, keeping ANSI sequences and surrogate pairs whole', () => {
    const long = 'x'.repeat(150)
    expect(split(`${long}\nnext`, 64).map((line) => [line.text.length, line.continued === true])).toEqual([
      [64, false],
      [64, true],
      [22, true],
      [4, false],
    ])
    // An ESC sequence that would straddle the cut goes to the next piece whole.
    const coloured = `${'y'.repeat(60)}\x1b[0;31mred${'z'.repeat(10)}`
    const pieces = split(coloured, 64)
    expect(pieces.map((line) => line.text)).toEqual(['y'.repeat(60), `red${'z'.repeat(10)}`])
    expect(pieces[1]?.colour).toBe('red')
    const emoji = `${'e'.repeat(63)}😀tail`
    expect(split(emoji, 64).map((line) => line.text)).toEqual(['e'.repeat(63), '😀tail'])
  })

  it('holds at most the cap for an unterminated line, however long', () => {
    const splitter = new LineSplitter(1024)
    let pieces = 0
    for (let i = 0; i < 1000; i++) {
      pieces += splitter.lines('q'.repeat(1000)).length
      expect(splitter.pendingLength).toBeLessThanOrEqual(1024)
    }
    pieces += splitter.lines('', true).length
    expect(pieces).toBe(Math.ceil(1_000_000 / 1024))
  })

  it('refuses a cap too small to hold an ANSI sequence', () => {
    expect(() => new LineSplitter(10)).toThrow(/at least 64/)
  })
})
