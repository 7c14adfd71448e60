// How the Traffic view writes a message: direction and fate in a few words, payload previews
// as text or hex, pretty JSON and a hex dump.
import { describe, expect, it } from 'vitest'
import { bytesToBase64 } from '../../../src/common/base64'
import type { TrafficRow } from '../../../src/common/traffic/model'
import { asText, directionCell, formatClock, formatCount, hexDump, previewCell, prettyJson } from '../../../src/renderer/src/data/traffic-format'

const enc = new TextEncoder()
const base = { site: 'A', direction: 'unknown', fate: 'pending' } as const

describe('direction column', () => {
  it('names the way a message crossed, and why one was lost', () => {
    expect(directionCell({ ...base, direction: 'a-to-b', fate: 'crossed' })).toEqual({ text: 'A → B', tone: 'a-to-b' })
    expect(directionCell({ ...base, direction: 'b-to-a', fate: 'crossed' })).toEqual({ text: 'B → A', tone: 'b-to-a' })
    const lost = directionCell({ ...base, direction: 'a-to-b', fate: 'lost', lostReason: 'link-loss', detail: 'Sent by A and never received by B.' })
    expect(lost).toEqual({ text: 'A → B lost: lost on the link', tone: 'lost', title: 'Sent by A and never received by B.' })
    expect(directionCell({ ...base, direction: 'b-to-a', fate: 'lost' }).text).toBe('B → A lost: no reason logged')
    expect(directionCell({ ...base, direction: 'local', fate: 'local', detail: 'A retained message the broker replayed.' })).toMatchObject({ text: 'local', tone: 'local' })
    expect(directionCell({ ...base, direction: 'a-to-b', fate: 'duplicate' }).text).toBe('A → B duplicate')
    expect(directionCell({ ...base, site: 'B', fate: 'unseen' })).toMatchObject({ text: 'B only', tone: 'other' })
    expect(directionCell({ ...base, fate: 'pending' })).toMatchObject({ text: '…', tone: 'pending' })
  })
})

describe('payload preview', () => {
  const row = (bytes: Uint8Array, size = bytes.length): Pick<TrafficRow, 'preview' | 'size' | 'source'> => ({ preview: bytesToBase64(bytes), size, source: 'mqtt' })

  it('shows text on one line, binary as hex, and says when a source reports sizes only', () => {
    expect(previewCell(row(enc.encode('{"a": 1,\n "b": 2}')))).toEqual({ text: '{"a": 1, "b": 2}', binary: false })
    expect(previewCell(row(Uint8Array.from([0, 1, 0xff, 0x10])))).toEqual({ text: '00 01 ff 10', binary: true })
    expect(previewCell({ size: 12, source: 'peer' }).text).toBe("12 bytes (the peer reports sizes only)")
  })

  it('reads a preview cut inside a UTF-8 character as text', () => {
    const bytes = enc.encode('Température ✓')
    expect(previewCell(row(bytes.subarray(0, bytes.length - 1), bytes.length))).toEqual({ text: 'Température ', binary: false })
  })

  it('shortens long previews', () => {
    expect(previewCell(row(enc.encode('x'.repeat(300))), 10).text).toBe(`${'x'.repeat(10)}…`)
  })
})

describe('payload in full', () => {
  it('is text only when it is UTF-8 without control characters', () => {
    expect(asText(enc.encode('line 1\nline 2\ttab'))).toBe('line 1\nline 2\ttab')
    expect(asText(Uint8Array.from([0x41, 0x00]))).toBeUndefined()
    expect(asText(Uint8Array.from([0xc3, 0x28]))).toBeUndefined()
  })

  it('pretty-prints JSON objects and arrays only', () => {
    expect(prettyJson('{"on":true,"level":[1,2]}')).toBe('{\n  "on": true,\n  "level": [\n    1,\n    2\n  ]\n}')
    expect(prettyJson('21.5')).toBeUndefined()
    expect(prettyJson('{not json')).toBeUndefined()
  })

  it('dumps bytes as offset, hex and printable text', () => {
    expect(hexDump(enc.encode('ABCDEFGHIJKLMNOPQ\n'))).toBe('0000  41 42 43 44 45 46 47 48 49 4a 4b 4c 4d 4e 4f 50  ABCDEFGHIJKLMNOP\n0010  51 0a                                            Q.')
  })
})

describe('numbers and times', () => {
  it('groups thousands and keeps milliseconds', () => {
    expect(formatCount(1234567)).toBe('1\u202f234\u202f567')
    expect(formatCount(12)).toBe('12')
    expect(formatClock(new Date(2026, 0, 2, 3, 4, 5, 67).getTime())).toBe('03:04:05.067')
  })
})
