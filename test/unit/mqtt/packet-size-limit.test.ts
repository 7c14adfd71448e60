import mqttPacket from 'mqtt-packet'
import { describe, expect, it } from 'vitest'
import { PacketSizeLimit } from '../../../src/common/mqtt/packet-size-limit'
import { seededRandom } from '../serverless/seeded-random'

const publish = (topic: string, payloadBytes: number) =>
  mqttPacket.generate({ cmd: 'publish', topic, payload: Buffer.alloc(payloadBytes, 0x61), qos: 0, retain: false, dup: false } as mqttPacket.Packet)

/** Feeds the stream in the given chunk sizes (cycled); returns what read() reported first, or 0. */
function feed(limit: PacketSizeLimit, stream: Uint8Array, sizes: number[]): number {
  for (let at = 0, i = 0; at < stream.length; i++) {
    const size = sizes[i % sizes.length] as number
    const over = limit.read(stream.subarray(at, at + size))
    if (over) return over
    at += size
  }
  return 0
}

describe('PacketSizeLimit', () => {
  it('lets through a stream of packets up to the limit, however it is cut', () => {
    const packets = [publish('a', 0), publish('a/b', 100), publish('c', 200), mqttPacket.generate({ cmd: 'pingreq' } as mqttPacket.Packet), publish('big', 16_380)]
    const stream = Buffer.concat(packets)
    const largest = Math.max(...packets.map((p) => p.length))
    for (const sizes of [[1], [2, 3], [7, 1, 13], [stream.length], [4096]]) {
      expect(feed(new PacketSizeLimit(largest), stream, sizes), `chunks of ${sizes.join(', ')}`).toBe(0)
    }
  })

  it('reports a packet one byte over the limit as soon as its length is read', () => {
    const packet = publish('t', 1000)
    const limit = new PacketSizeLimit(packet.length - 1)
    // Fixed header byte and the 2-byte Remaining Length: known after 3 bytes, body not needed.
    expect(limit.read(packet.subarray(0, 2))).toBe(0)
    expect(limit.read(packet.subarray(2, 3))).toBe(packet.length)
  })

  it('reports a 100-MB announcement after a valid packet in the same chunk, from its header alone', () => {
    const announced = 100 * 1024 * 1024
    const header = Uint8Array.of(0x30, announced & 0x7f | 0x80, (announced >> 7) & 0x7f | 0x80, (announced >> 14) & 0x7f | 0x80, announced >> 21)
    const limit = new PacketSizeLimit(65_536)
    expect(limit.read(Buffer.concat([publish('ok', 10), header]))).toBe(1 + 4 + announced)
  })

  it('takes a Remaining Length of more than 4 bytes as too large', () => {
    expect(new PacketSizeLimit(65_536).read(Uint8Array.of(0x30, 0xff, 0xff, 0xff, 0xff, 0x7f))).toBeGreaterThan(268_435_455)
  })

  it('agrees with the packets\' own sizes over seeded random streams', () => {
    const random = seededRandom(0x5eed)
    for (let round = 0; round < 50; round++) {
      const sizes = Array.from({ length: 20 }, () => Math.floor(random() * 3000))
      const packets = sizes.map((size, i) => publish(`r/${i}`, size))
      const max = Math.floor(random() * 3100) + 10
      const firstOver = packets.find((p) => p.length > max)
      const chunk = 1 + Math.floor(random() * 500)
      expect(feed(new PacketSizeLimit(max), Buffer.concat(packets), [chunk])).toBe(firstOver?.length ?? 0)
    }
  })
})
