// The bytes of a QoS 0 PUBLISH without retain or DUP (MQTT 3.1 and 3.1.1 §3.3, identical in
// both): fixed header 0x30, Remaining Length as a variable byte integer, the topic as a
// u16-length-prefixed UTF-8 string, then the payload. Only the part before the payload is
// built here, so a sender writes the payload as it is. Pure functions, no Node APIs.

const encoder = new TextEncoder()

/** The largest Remaining Length MQTT can express (4 bytes of 7 bits). */
export const MAX_REMAINING_LENGTH = 268_435_455

/** The topic as PUBLISH carries it: u16 big-endian length, then its UTF-8 bytes. */
export function encodeTopicField(topic: string): Uint8Array {
  const bytes = encoder.encode(topic)
  if (bytes.length > 0xffff) throw new RangeError(`an MQTT topic is at most 65535 bytes; this one is ${bytes.length}`)
  const field = new Uint8Array(2 + bytes.length)
  field[0] = bytes.length >> 8
  field[1] = bytes.length & 0xff
  field.set(bytes, 2)
  return field
}

/** Bytes before the payload: fixed header, Remaining Length and topic field. */
export function qos0PublishHeadLength(topicField: Uint8Array, payloadLength: number): number {
  return 1 + variableByteIntegerLength(remainingLength(topicField, payloadLength)) + topicField.length
}

/** Writes the head at the start of `into` (qos0PublishHeadLength() bytes; the payload may follow). */
export function writeQos0PublishHead(into: Uint8Array, topicField: Uint8Array, payloadLength: number): void {
  let value = remainingLength(topicField, payloadLength)
  into[0] = 0x30
  let at = 1
  do {
    let byte = value % 128
    value = Math.floor(value / 128)
    if (value > 0) byte |= 0x80
    into[at++] = byte
  } while (value > 0)
  into.set(topicField, at)
}

export function encodeQos0PublishHead(topic: string, payloadLength: number): Uint8Array {
  const field = encodeTopicField(topic)
  const head = new Uint8Array(qos0PublishHeadLength(field, payloadLength))
  writeQos0PublishHead(head, field, payloadLength)
  return head
}

function remainingLength(topicField: Uint8Array, payloadLength: number): number {
  const remaining = topicField.length + payloadLength
  if (remaining > MAX_REMAINING_LENGTH) throw new RangeError(`an MQTT packet carries at most ${MAX_REMAINING_LENGTH} bytes after its fixed header; this one would carry ${remaining}`)
  return remaining
}

function variableByteIntegerLength(value: number): number {
  return value < 128 ? 1 : value < 16_384 ? 2 : value < 2_097_152 ? 3 : 4
}

/** Where the parts of one QoS 0 PUBLISH lie in a buffer (offsets into it); see readQos0Publish. */
export interface Qos0PublishFrame {
  topicStart: number
  topicEnd: number
  /** The payload runs from topicEnd to end. */
  end: number
}

/**
 * For a packet starting at `offset` whose first byte is that of a QoS 0 PUBLISH without retain
 * or DUP (0x30): its whole length, fixed header included, once its Remaining Length is within
 * `bytes` (the packet itself may go on beyond them); -1 while the Remaining Length is cut off.
 * 0 for any other packet, and for a Remaining Length longer than 4 bytes.
 */
export function qos0PublishLength(bytes: Uint8Array, offset: number): number {
  if (bytes[offset] !== 0x30) return 0
  let at = offset + 1
  let remaining = 0
  let multiplier = 1
  for (let digits = 0; ; digits++) {
    if (digits === 4) return 0
    if (at >= bytes.length) return -1
    const byte = bytes[at++] as number
    remaining += (byte & 0x7f) * multiplier
    if ((byte & 0x80) === 0) return at - offset + remaining
    multiplier *= 128
  }
}

/**
 * Reads the packet that starts at `offset` when it is a complete QoS 0 PUBLISH without retain or
 * DUP, and fills `frame` (reused by the caller: no allocation per packet). Returns false for
 * anything else, leaving the packet to a full MQTT parser: another packet type or other flags,
 * a packet that does not end within `bytes`, a Remaining Length longer than 4 bytes, a topic
 * that overruns the packet. The topic's bytes are not checked here (UTF-8, wildcards, "$").
 * MQTT 3.1 and 3.1.1 only: an MQTT 5 PUBLISH has properties between topic and payload.
 */
export function readQos0Publish(bytes: Uint8Array, offset: number, frame: Qos0PublishFrame): boolean {
  if (bytes[offset] !== 0x30) return false
  let at = offset + 1
  let remaining = 0
  let multiplier = 1
  for (let digits = 0; ; digits++) {
    if (digits === 4 || at >= bytes.length) return false
    const byte = bytes[at++] as number
    remaining += (byte & 0x7f) * multiplier
    if ((byte & 0x80) === 0) break
    multiplier *= 128
  }
  const end = at + remaining
  if (remaining < 2 || end > bytes.length) return false
  const topicStart = at + 2
  const topicEnd = topicStart + (((bytes[at] as number) << 8) | (bytes[at + 1] as number))
  if (topicEnd > end) return false
  frame.topicStart = topicStart
  frame.topicEnd = topicEnd
  frame.end = end
  return true
}
