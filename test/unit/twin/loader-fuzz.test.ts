// Garbage, oversized frames and bad checksums never crash the loader: each input gets a
// well-formed answer or none, and the loader still syncs afterwards.
import { describe, expect, it } from 'vitest'
import { OPCODES } from '../../../src/common/esp/opcodes'
import { decodeResponse, encodeRequest, SYNC_PAYLOAD } from '../../../src/common/esp/packet'
import { SlipDecoder, slipEncode } from '../../../src/common/esp/slip'
import { seededRandom } from '../../../src/twin/faults'
import { makeHarness } from './loader-harness'

describe('twin loader fuzz', () => {
  it('survives 3000 random frames, random opcodes with random payloads, and still answers SYNC', async () => {
    const random = seededRandom(42)
    const h = makeHarness()
    const bytes = (n: number) => Uint8Array.from({ length: n }, () => Math.floor(random() * 256))
    for (let i = 0; i < 3000; i++) {
      const kind = i % 3
      const frame =
        kind === 0
          ? bytes(Math.floor(random() * 64))
          : encodeRequest(Math.floor(random() * 256), bytes(Math.floor(random() * 48)), Math.floor(random() * 256))
      if (kind === 2 && frame.length > 8) frame[2] = (frame[2] ?? 0) ^ 0x01 // length field lies
      h.frames = []
      expect(() => h.loader.receive(frame)).not.toThrow()
      await Promise.resolve()
      for (const answer of h.frames) {
        if (answer.length === 4 || answer.length === 16) continue // READ_FLASH data / OHAI
        if (answer.length >= 8 && answer[0] === 1) expect(decodeResponse(answer).ok).toBe(true)
      }
      if (h.loader.mode === 'stub' && random() < 0.1) h.loader.resetToRom()
    }
    h.loader.resetToRom()
    const replies = await h.request(OPCODES.SYNC, SYNC_PAYLOAD)
    expect(replies[0]?.value).toBe(0x20120707)
  })

  it('drops oversized SLIP frames whole and decodes the next one', () => {
    const decoder = new SlipDecoder({ betweenFrames: 'frame', maxFrame: 1024 })
    const events = decoder.push(Uint8Array.from([...slipEncode(new Uint8Array(5000).fill(0xc0)), ...slipEncode(encodeRequest(OPCODES.SYNC, SYNC_PAYLOAD))]))
    expect(events.map((event) => event.type)).toEqual(['oversized', 'frame'])
  })
})
