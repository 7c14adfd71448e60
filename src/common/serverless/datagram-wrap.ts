// The firmware's datagram wrap (message_wrap_t): u16 LE topic_len (strlen + NUL),
// u16 LE data_len, the topic and its NUL padded to 4 bytes, then the payload.
// One MQTT PUBLISH = one datagram. Pure functions, no Node APIs.
import { SERVERLESS } from './constants'

export interface WrappedMessage {
  topic: string
  payload: Uint8Array
}

export type WrapDecodeError =
  | 'too-short'
  | 'topic-length-zero'
  | 'topic-truncated'
  | 'topic-not-terminated'
  | 'topic-contains-nul'
  | 'topic-empty'
  | 'topic-not-utf8'
  | 'length-mismatch'

export type WrapEncodeError = 'topic-empty' | 'topic-contains-nul' | 'field-overflow'

export type WrapDecodeResult = ({ ok: true } & WrappedMessage) | { ok: false; reason: WrapDecodeError; detail: string }
export type WrapEncodeResult = { ok: true; bytes: Uint8Array } | { ok: false; reason: WrapEncodeError; detail: string }

const encoder = new TextEncoder()
const strictDecoder = new TextDecoder('utf-8', { fatal: true })

export function align4(n: number): number {
  return (n + 3) & ~3
}

/** Size of the datagram for a topic of `topicBytes` UTF-8 bytes (without NUL) and a payload. */
export function wrappedLength(topicBytes: number, payloadBytes: number): number {
  return SERVERLESS.WRAP_HEADER_BYTES + align4(topicBytes + 1) + payloadBytes
}

/**
 * The stock firmware's receiver check (reference §5.3, §9 item 2): it rejects a datagram when
 * `topic_len + ALIGN4(topic_len) + 4 > size`, i.e. for exact-length datagrams whenever the
 * payload is shorter than the topic plus its NUL. Such messages still cross to PairKit peers.
 */
export function stockFirmwareRejects(topicLenWithNul: number, datagramBytes: number): boolean {
  return topicLenWithNul + align4(topicLenWithNul) + SERVERLESS.WRAP_HEADER_BYTES > datagramBytes
}

export function encodeWrap(topic: string | Uint8Array, payload: Uint8Array): WrapEncodeResult {
  const header = encodeWrapHeader(topic, payload.length)
  if (!header.ok) return header
  const bytes = new Uint8Array(header.bytes.length + payload.length)
  bytes.set(header.bytes)
  bytes.set(payload, header.bytes.length)
  return { ok: true, bytes }
}

/**
 * Everything of the wrap before the payload: both lengths, the topic, its NUL and the padding.
 * Header followed by the payload is byte for byte encodeWrap's datagram; a sender that can send
 * the two as one datagram (scatter-gather) thus never copies the payload.
 */
export function encodeWrapHeader(topic: string | Uint8Array, payloadLength: number): WrapEncodeResult {
  const topicBytes = typeof topic === 'string' ? encoder.encode(topic) : topic
  if (topicBytes.length === 0) return { ok: false, reason: 'topic-empty', detail: 'MQTT topics are never empty' }
  if (topicBytes.includes(0)) return { ok: false, reason: 'topic-contains-nul', detail: 'the firmware reads the topic as a C string' }
  const topicLen = topicBytes.length + 1
  if (topicLen > 0xffff || payloadLength > 0xffff) {
    return { ok: false, reason: 'field-overflow', detail: `topic_len ${topicLen} or data_len ${payloadLength} exceeds 65535` }
  }
  const bytes = new Uint8Array(SERVERLESS.WRAP_HEADER_BYTES + align4(topicLen))
  // u16 little-endian, byte by byte: cheaper than a DataView per message on a busy bridge.
  bytes[0] = topicLen & 0xff
  bytes[1] = topicLen >>> 8
  setWrapDataLength(bytes, payloadLength)
  bytes.set(topicBytes, 4)
  // NUL and padding stay zero (the firmware leaves padding unzeroed; any value is valid).
  return { ok: true, bytes }
}

/**
 * Writes data_len (u16 LE) into a copy of a header from encodeWrapHeader, so a sender can keep
 * one header per topic. The caller has checked payloadLength ≤ 65535 (any wrap over the
 * firmware's 4096-byte limit is refused before).
 */
export function setWrapDataLength(header: Uint8Array, payloadLength: number): void {
  header[2] = payloadLength & 0xff
  header[3] = (payloadLength >>> 8) & 0xff
}

/** Strict decoder: the lengths must describe the datagram exactly, as a correct sender makes them. */
export function decodeWrap(datagram: Uint8Array): WrapDecodeResult {
  if (datagram.length < SERVERLESS.WRAP_HEADER_BYTES) {
    return fail('too-short', `${datagram.length} bytes, the header alone has 4`)
  }
  // u16 little-endian, byte by byte: a DataView per datagram cost about 170 ns, over a quarter
  // of this function on a busy bridge.
  const topicLen = (datagram[0] as number) | ((datagram[1] as number) << 8)
  const dataLen = (datagram[2] as number) | ((datagram[3] as number) << 8)
  if (topicLen === 0) return fail('topic-length-zero', 'topic_len is 0, so there is no NUL terminator')
  if (4 + topicLen > datagram.length) return fail('topic-truncated', `topic_len ${topicLen} runs past the ${datagram.length}-byte datagram`)
  const expected = 4 + align4(topicLen) + dataLen
  if (expected !== datagram.length) {
    return fail('length-mismatch', `topic_len ${topicLen} and data_len ${dataLen} describe ${expected} bytes, the datagram has ${datagram.length}`)
  }
  if (datagram[4 + topicLen - 1] !== 0) return fail('topic-not-terminated', 'the byte at topic_len - 1 is not NUL')
  const topicBytes = datagram.subarray(4, 4 + topicLen - 1)
  if (topicBytes.includes(0)) return fail('topic-contains-nul', 'a NUL inside the topic would cut it short')
  if (topicBytes.length === 0) return fail('topic-empty', 'topic_len is 1: an empty topic')
  let topic: string
  try {
    topic = strictDecoder.decode(topicBytes)
  } catch {
    return fail('topic-not-utf8', 'MQTT topics are UTF-8')
  }
  const start = 4 + align4(topicLen)
  // A view, not a copy: a received datagram is its own buffer. Copy it to keep it past a reuse.
  return { ok: true, topic, payload: datagram.subarray(start, start + dataLen) }
}

function fail(reason: WrapDecodeError, detail: string): WrapDecodeResult {
  return { ok: false, reason, detail }
}
