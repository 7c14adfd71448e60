import mqttPacket from 'mqtt-packet'
import { describe, expect, it } from 'vitest'
import { encodeQos0PublishHead, encodeTopicField, MAX_REMAINING_LENGTH, qos0PublishHeadLength, qos0PublishLength, readQos0Publish, writeQos0PublishHead, type Qos0PublishFrame } from '../../../src/common/mqtt/qos0-publish'
import { randomBytes, seededRandom } from '../serverless/seeded-random'

const hex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ')

/** Reads the Remaining Length back (MQTT 3.1.1 §2.2.3's decoding algorithm). */
function remainingLengthOf(head: Uint8Array): { value: number; bytes: number } {
  let value = 0
  let multiplier = 1
  let at = 1
  for (;;) {
    const byte = head[at++] as number
    value += (byte & 0x7f) * multiplier
    multiplier *= 128
    if ((byte & 0x80) === 0) return { value, bytes: at - 1 }
  }
}

describe('QoS 0 PUBLISH head', () => {
  it('encodes topic a/b before the payload "hi" as MQTT 3.1.1 §3.3 lays it out', () => {
    // 0x30 PUBLISH QoS 0, Remaining Length 7 = 2 + 3 + 2, topic length 3, "a/b"; "hi" follows.
    expect(hex(encodeQos0PublishHead('a/b', 2))).toBe('30 07 00 03 61 2f 62')
  })

  it('encodes the topic as UTF-8 with its byte length', () => {
    expect(hex(encodeTopicField('é/x'))).toBe('00 04 c3 a9 2f 78')
  })

  it.each([0, 1, 122, 123, 124, 16_378, 16_379, 2_097_146, 2_097_147, MAX_REMAINING_LENGTH - 5])('Remaining Length is right across variable-length boundaries (payload %i)', (payloadLength) => {
    const field = encodeTopicField('a/b')
    const head = new Uint8Array(qos0PublishHeadLength(field, payloadLength))
    writeQos0PublishHead(head, field, payloadLength)
    const { value, bytes } = remainingLengthOf(head)
    expect(value).toBe(field.length + payloadLength)
    expect(head.length).toBe(1 + bytes + field.length)
    expect(hex(head.subarray(1 + bytes))).toBe(hex(field))
  })

  it('refuses a topic over 65 535 bytes and a packet over MQTT\'s limit', () => {
    expect(() => encodeTopicField('x'.repeat(65_536))).toThrow(/at most 65535 bytes/)
    expect(() => encodeQos0PublishHead('a', MAX_REMAINING_LENGTH)).toThrow(/at most 268435455 bytes/)
  })
})

/** What readQos0Publish makes of the packet at `offset`, as topic text and payload hex. */
function read(bytes: Uint8Array, offset = 0): { topic: string; payload: string; end: number } | false {
  const frame: Qos0PublishFrame = { topicStart: -1, topicEnd: -1, end: -1 }
  if (!readQos0Publish(bytes, offset, frame)) return false
  return { topic: new TextDecoder().decode(bytes.subarray(frame.topicStart, frame.topicEnd)), payload: hex(bytes.subarray(frame.topicEnd, frame.end)), end: frame.end }
}

/** Every packet mqtt-packet's parser (aedes's) reads from `bytes`, and whether it stopped on an error. */
function parseWithMqttPacket(bytes: Uint8Array): { packets: mqttPacket.Packet[]; error: boolean } {
  const parser = mqttPacket.parser({ protocolVersion: 4 })
  const packets: mqttPacket.Packet[] = []
  let error = false
  parser.on('packet', (packet) => packets.push(packet))
  parser.on('error', () => (error = true))
  parser.parse(Buffer.from(bytes))
  return { packets, error }
}

const publish = (topic: string, payload: string | Uint8Array, options: { qos?: 0 | 1 | 2; retain?: boolean; dup?: boolean } = {}) =>
  new Uint8Array(mqttPacket.generate({ cmd: 'publish', topic, payload: typeof payload === 'string' ? Buffer.from(payload) : Buffer.from(payload), qos: options.qos ?? 0, retain: options.retain ?? false, dup: options.dup ?? false, ...(options.qos ? { messageId: 7 } : {}) } as mqttPacket.IPublishPacket))

describe('QoS 0 PUBLISH reader', () => {
  it('reads topic a/b and payload "hi", and where the packet ends', () => {
    expect(read(Uint8Array.of(0x30, 0x07, 0x00, 0x03, 0x61, 0x2f, 0x62, 0x68, 0x69, 0xc0, 0x00))).toEqual({ topic: 'a/b', payload: '68 69', end: 9 })
  })

  it('reads packets one after another from their offsets, across Remaining Length sizes', () => {
    const packets = [publish('x', ''), publish('é/y', 'z'.repeat(127)), publish('t', new Uint8Array(20_000).fill(7)), publish('last', 'end')]
    const joined = new Uint8Array(packets.reduce((n, p) => n + p.length, 0))
    let at = 0
    for (const packet of packets) {
      joined.set(packet, at)
      at += packet.length
    }
    const topics: string[] = []
    for (let offset = 0; offset < joined.length; ) {
      const result = read(joined, offset)
      if (!result) throw new Error(`no packet read at ${offset}`)
      topics.push(result.topic)
      offset = result.end
    }
    expect(topics).toEqual(['x', 'é/y', 't', 'last'])
  })

  it('leaves everything but a complete QoS 0 PUBLISH without retain or DUP to the full parser', () => {
    const whole = publish('a/b', 'hi')
    expect(read(publish('a/b', 'hi', { qos: 1 }))).toBe(false)
    expect(read(publish('a/b', 'hi', { qos: 2 }))).toBe(false)
    expect(read(publish('a/b', 'hi', { retain: true }))).toBe(false)
    expect(read(Uint8Array.of(0x38, ...whole.subarray(1)))).toBe(false) // DUP on QoS 0
    expect(read(Uint8Array.of(0xc0, 0x00))).toBe(false) // PINGREQ
    for (let cut = 0; cut < whole.length; cut++) expect(read(whole.subarray(0, cut)), `cut at ${cut}`).toBe(false)
    expect(read(Uint8Array.of(0x30, 0x01, 0x00))).toBe(false) // no room for the topic length
    expect(read(Uint8Array.of(0x30, 0x04, 0x00, 0x09, 0x61, 0x62))).toBe(false) // topic overruns the packet
    expect(read(Uint8Array.of(0x30, 0xff, 0xff, 0xff, 0xff, 0x01))).toBe(false) // 5-byte Remaining Length
  })

  it('tells the whole length of a QoS 0 PUBLISH from its first bytes, before the rest has come', () => {
    for (const payload of ['', 'x'.repeat(100), 'y'.repeat(20_000)]) {
      const whole = publish('a/b', payload)
      const headerBytes = whole.length > 129 ? (whole.length > 16_386 ? 4 : 3) : 2
      for (let cut = 1; cut < headerBytes; cut++) expect(qos0PublishLength(whole.subarray(0, cut), 0), `cut at ${cut}`).toBe(-1)
      for (const cut of [headerBytes, headerBytes + 1, whole.length]) expect(qos0PublishLength(whole.subarray(0, cut), 0)).toBe(whole.length)
      expect(qos0PublishLength(Uint8Array.of(0xc0, ...whole), 1)).toBe(whole.length)
    }
    expect(qos0PublishLength(publish('a/b', 'hi', { qos: 1 }), 0)).toBe(0)
    expect(qos0PublishLength(publish('a/b', 'hi', { retain: true }), 0)).toBe(0)
    expect(qos0PublishLength(Uint8Array.of(0x30, 0xff, 0xff, 0xff, 0xff, 0x01), 0)).toBe(0) // 5-byte Remaining Length
  })

  it('agrees with mqtt-packet on seeded fuzzing: whatever it reads, mqtt-packet reads the same', () => {
    const random = seededRandom(0x0a05)
    const base = publish('site/temp', '21.5')
    let agreed = 0
    for (let i = 0; i < 20_000; i++) {
      const mode = i % 4
      let input: Uint8Array
      if (mode === 0) input = randomBytes(random, Math.floor(random() * 40))
      else if (mode === 1) {
        input = base.slice()
        const at = Math.floor(random() * input.length)
        input[at] = (input[at] as number) ^ (1 << Math.floor(random() * 8))
      } else if (mode === 2) input = Uint8Array.of(0x30, ...randomBytes(random, Math.floor(random() * 30)))
      else input = publish(String.fromCharCode(...randomBytes(random, Math.floor(random() * 6)).map((b) => 0x20 + (b % 90))), randomBytes(random, Math.floor(random() * 50)))
      const ours = read(input)
      // A well-formed QoS 0 PUBLISH is always read here, never left to the slow path.
      if (mode === 3) expect(ours, `input ${hex(input)}`).not.toBe(false)
      if (!ours) continue
      const theirs = parseWithMqttPacket(input.subarray(0, ours.end))
      expect(theirs.error, `input ${hex(input)}`).toBe(false)
      expect(theirs.packets).toHaveLength(1)
      const packet = theirs.packets[0] as mqttPacket.IPublishPacket
      expect({ cmd: packet.cmd, qos: packet.qos, retain: packet.retain, dup: packet.dup, topic: packet.topic, payload: hex(packet.payload as Buffer) }).toEqual({ cmd: 'publish', qos: 0, retain: false, dup: false, topic: ours.topic, payload: ours.payload })
      agreed++
    }
    // The fuzzing reaches the reader's accepting path often, not only its refusals.
    expect(agreed).toBeGreaterThan(5000)
  })
})
