import { describe, expect, it } from 'vitest'
import { encodeQos0PublishHead, encodeTopicField, MAX_REMAINING_LENGTH, qos0PublishHeadLength, writeQos0PublishHead } from '../../../src/common/mqtt/qos0-publish'

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
