import { describe, expect, it } from 'vitest'
import { SlipDecoder, slipEncode } from '../../../src/common/esp/slip'
import { seededRandom } from '../../../src/common/seeded-random'

describe('SLIP', () => {
  it('escapes C0 and DB after framing', () => {
    expect(Array.from(slipEncode(Uint8Array.of(0x01, 0xc0, 0xdb, 0x02)))).toEqual([0xc0, 0x01, 0xdb, 0xdc, 0xdb, 0xdd, 0x02, 0xc0])
  })

  it('decodes any chunking of back-to-back frames (C0 C0 between them)', () => {
    const random = seededRandom(3)
    const frames = Array.from({ length: 20 }, (_, i) => Uint8Array.from({ length: 1 + i * 7 }, () => Math.floor(random() * 256)))
    const stream = Uint8Array.from(frames.flatMap((frame) => Array.from(slipEncode(frame))))
    for (const split of [1, 3, 17, stream.length]) {
      const decoder = new SlipDecoder()
      const out: Uint8Array[] = []
      for (let at = 0; at < stream.length; at += split) {
        for (const event of decoder.push(stream.subarray(at, at + split))) if (event.type === 'frame') out.push(event.frame)
      }
      expect(out.map((frame) => Array.from(frame))).toEqual(frames.map((frame) => Array.from(frame)))
    }
  })

  it('reports text between frames as noise on the host side', () => {
    const decoder = new SlipDecoder()
    const text = new TextEncoder().encode('waiting for download\r\n')
    const events = decoder.push(Uint8Array.from([...text, ...slipEncode(Uint8Array.of(1, 2)), ...text]))
    expect(events.map((event) => event.type)).toEqual(['noise', 'frame', 'noise'])
  })

  it('reports a bad escape instead of a frame, and never throws on random bytes', () => {
    expect(new SlipDecoder().push(Uint8Array.of(0xc0, 0x01, 0xdb, 0x05, 0xc0)).map((event) => event.type)).toEqual(['bad-escape'])
    const random = seededRandom(9)
    const decoder = new SlipDecoder({ maxFrame: 256 })
    for (let i = 0; i < 200; i++) {
      const chunk = Uint8Array.from({ length: 64 }, () => (random() < 0.1 ? 0xc0 : Math.floor(random() * 256)))
      for (const event of decoder.push(chunk)) if (event.type === 'frame') expect(event.frame.length).toBeLessThanOrEqual(256)
    }
  })
})
