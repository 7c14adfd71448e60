import { describe, expect, it } from 'vitest'
import { align4, decodeWrap, encodeWrap, encodeWrapHeader, setWrapDataLength, stockFirmwareRejects, wrappedLength } from '../../../src/common/serverless/datagram-wrap'
import { hex, randomBytes, seededRandom } from './seeded-random'

const text = (value: string) => new TextEncoder().encode(value)

// Reference §5.2 worked examples; "xx" padding bytes are written as 00 here (any value is valid).
const GOLDEN = [
  { topic: 'a/b', payload: 'hi', bytes: '04 00 02 00 61 2f 62 00 68 69' },
  { topic: 'a/b', payload: 'hello', bytes: '04 00 05 00 61 2f 62 00 68 65 6c 6c 6f' },
  { topic: 'abc/de', payload: '{}', bytes: '07 00 02 00 61 62 63 2f 64 65 00 00 7b 7d' },
  { topic: 'site/temp', payload: '21.5', bytes: '0a 00 04 00 73 69 74 65 2f 74 65 6d 70 00 00 00 32 31 2e 35' },
]

describe('datagram wrap', () => {
  it.each(GOLDEN)('encodes $topic + $payload exactly as the firmware', ({ topic, payload, bytes }) => {
    const result = encodeWrap(topic, text(payload))
    expect(result.ok && [...result.bytes]).toEqual([...hex(bytes)])
  })

  it.each(GOLDEN)('header of $topic + $payload, then the payload, is the firmware datagram', ({ topic, payload, bytes }) => {
    const header = encodeWrapHeader(topic, text(payload).length)
    expect(header.ok && [...header.bytes, ...text(payload)]).toEqual([...hex(bytes)])
  })

  it.each([0, 1, 255, 256, 1024, 4096, 65535])('a per-topic header given data_len %i equals the header built for it', (length) => {
    const template = encodeWrapHeader('site/temp', 0) as { ok: true; bytes: Uint8Array }
    const header = template.bytes.slice()
    setWrapDataLength(header, length)
    expect([...header]).toEqual([...(encodeWrapHeader('site/temp', length) as { ok: true; bytes: Uint8Array }).bytes])
    expect(header[2]! | (header[3]! << 8)).toBe(length)
  })

  it('refuses in the header what it refuses in the whole wrap', () => {
    expect(encodeWrapHeader('', 1)).toMatchObject({ ok: false, reason: 'topic-empty' })
    expect(encodeWrapHeader('a\u0000b', 1)).toMatchObject({ ok: false, reason: 'topic-contains-nul' })
    expect(encodeWrapHeader('a', 70_000)).toMatchObject({ ok: false, reason: 'field-overflow' })
  })

  it.each(GOLDEN)('decodes $topic + $payload whatever the padding holds', ({ topic, payload, bytes }) => {
    const datagram = hex(bytes)
    const padStart = 4 + (topic.length + 1)
    datagram.fill(0xee, padStart, 4 + align4(topic.length + 1)) // the firmware leaves padding unzeroed
    const result = decodeWrap(datagram)
    expect(result.ok).toBe(true)
    if (result.ok) {
      expect(result.topic).toBe(topic)
      expect(new TextDecoder().decode(result.payload)).toBe(payload)
    }
  })

  it('applies the stock firmware receiver check of §5.3: only a/b + hello of the examples passes', () => {
    const passing = GOLDEN.filter(({ topic, bytes }) => !stockFirmwareRejects(topic.length + 1, hex(bytes).length))
    expect(passing.map((g) => g.payload)).toEqual(['hello'])
  })

  it('carries empty payloads and UTF-8 topics', () => {
    const empty = encodeWrap('t', new Uint8Array())
    expect(empty.ok && [...empty.bytes]).toEqual([0x02, 0, 0, 0, 0x74, 0, 0, 0])
    const utf8 = encodeWrap('température/é', text('x'))
    const decoded = utf8.ok ? decodeWrap(utf8.bytes) : undefined
    expect(decoded?.ok && decoded.topic).toBe('température/é')
    expect(wrappedLength(3, 2)).toBe(10)
  })

  it('refuses topics the wrap cannot carry', () => {
    expect(encodeWrap('', text('x'))).toMatchObject({ ok: false, reason: 'topic-empty' })
    expect(encodeWrap('a\u0000b', text('x'))).toMatchObject({ ok: false, reason: 'topic-contains-nul' })
    expect(encodeWrap('a', new Uint8Array(70_000))).toMatchObject({ ok: false, reason: 'field-overflow' })
  })

  it.each([
    ['too-short', '04 00 02'],
    ['topic-length-zero', '00 00 00 00'],
    ['topic-truncated', '08 00 00 00 61 62'],
    ['length-mismatch', '04 00 09 00 61 2f 62 00 68 69'],
    ['length-mismatch', '04 00 01 00 61 2f 62 00 68 69'],
    ['topic-not-terminated', '04 00 02 00 61 2f 62 63 68 69'],
    ['topic-contains-nul', '04 00 02 00 61 00 62 00 68 69'],
    ['topic-empty', '01 00 02 00 00 00 00 00 68 69'],
    ['topic-not-utf8', '04 00 02 00 ff fe fd 00 68 69'],
  ])('reports %s', (reason, bytes) => {
    expect(decodeWrap(hex(bytes))).toMatchObject({ ok: false, reason })
  })

  it('survives seeded fuzzing: random, truncated, extended and bit-flipped datagrams', () => {
    const random = seededRandom(0x5eed)
    const base = encodeWrap('site/temp', text('21.5 degrees')) as { ok: true; bytes: Uint8Array }
    for (let i = 0; i < 5000; i++) {
      let input: Uint8Array
      const kind = i % 4
      if (kind === 0) input = randomBytes(random, Math.floor(random() * 64))
      else if (kind === 1) input = base.bytes.slice(0, Math.floor(random() * base.bytes.length))
      else if (kind === 2) input = Uint8Array.from([...base.bytes, ...randomBytes(random, 1 + Math.floor(random() * 8))])
      else {
        input = base.bytes.slice()
        const at = Math.floor(random() * input.length)
        input[at] = (input[at] as number) ^ (1 << Math.floor(random() * 8))
      }
      const result = decodeWrap(input)
      if (result.ok) {
        expect(4 + align4(new TextEncoder().encode(result.topic).length + 1) + result.payload.length).toBe(input.length)
      } else {
        expect(typeof result.reason).toBe('string')
      }
    }
  })
})
