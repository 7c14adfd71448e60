// Request and response packets of the serial bootloader (before SLIP framing).
//
//   request : 00 | op | len u16 | checksum u32 | data[len]
//   response: 01 | op | len u16 | value u32    | data[len] (ends with the status bytes)
//
// All fields little-endian. The checksum is used only by *_DATA commands.

export const DIRECTION_REQUEST = 0x00
export const DIRECTION_RESPONSE = 0x01
export const PACKET_HEADER_LENGTH = 8
/** The _DATA payload header: data length, sequence number, two zero words. */
export const DATA_HEADER_LENGTH = 16
export const CHECKSUM_SEED = 0xef

export interface Request {
  op: number
  checksum: number
  data: Uint8Array
}

export interface Response {
  op: number
  value: number
  data: Uint8Array
}

export type DecodeResult<T> = { ok: true; value: T } | { ok: false; reason: 'short' | 'direction' | 'length'; detail: string }

/** XOR of the bytes, seeded with 0xEF (ROM checksum of a _DATA block's payload). */
export function checksum(data: Uint8Array, seed = CHECKSUM_SEED): number {
  let state = seed
  for (const byte of data) state ^= byte
  return state & 0xff
}

export function encodeRequest(op: number, data: Uint8Array = new Uint8Array(0), check = 0): Uint8Array {
  return encodeHeaderAndData(DIRECTION_REQUEST, op, check, data)
}

export function encodeResponse(op: number, value: number, data: Uint8Array): Uint8Array {
  return encodeHeaderAndData(DIRECTION_RESPONSE, op, value, data)
}

function encodeHeaderAndData(direction: number, op: number, word: number, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(PACKET_HEADER_LENGTH + data.length)
  const view = new DataView(out.buffer)
  out[0] = direction
  out[1] = op & 0xff
  view.setUint16(2, data.length, true)
  view.setUint32(4, word >>> 0, true)
  out.set(data, PACKET_HEADER_LENGTH)
  return out
}

export function decodeRequest(frame: Uint8Array): DecodeResult<Request> {
  const header = decodeHeader(frame, DIRECTION_REQUEST)
  if (!header.ok) return header
  return { ok: true, value: { op: header.value.op, checksum: header.value.word, data: header.value.data } }
}

export function decodeResponse(frame: Uint8Array): DecodeResult<Response> {
  const header = decodeHeader(frame, DIRECTION_RESPONSE)
  if (!header.ok) return header
  return { ok: true, value: { op: header.value.op, value: header.value.word, data: header.value.data } }
}

function decodeHeader(frame: Uint8Array, direction: number): DecodeResult<{ op: number; word: number; data: Uint8Array }> {
  if (frame.length < PACKET_HEADER_LENGTH) return { ok: false, reason: 'short', detail: `${frame.length} bytes, need at least 8` }
  if (frame[0] !== direction) return { ok: false, reason: 'direction', detail: `direction byte 0x${(frame[0] ?? 0).toString(16)}` }
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength)
  const length = view.getUint16(2, true)
  if (length !== frame.length - PACKET_HEADER_LENGTH) {
    return { ok: false, reason: 'length', detail: `length field ${length}, frame carries ${frame.length - PACKET_HEADER_LENGTH}` }
  }
  return { ok: true, value: { op: frame[1] ?? 0, word: view.getUint32(4, true), data: frame.subarray(PACKET_HEADER_LENGTH) } }
}

/** Little-endian u32 words → bytes (command payloads are mostly such words). */
export function packWords(...words: number[]): Uint8Array {
  const out = new Uint8Array(words.length * 4)
  const view = new DataView(out.buffer)
  words.forEach((word, index) => view.setUint32(index * 4, word >>> 0, true))
  return out
}

/** Reads u32 word `index` of a payload, or undefined when the payload is too short. */
export function wordAt(data: Uint8Array, index: number): number | undefined {
  if (data.length < (index + 1) * 4) return undefined
  return new DataView(data.buffer, data.byteOffset, data.byteLength).getUint32(index * 4, true)
}

/** A _DATA payload: header (length, sequence, 0, 0) + data; `checksum(data)` goes in the packet. */
export function encodeDataBlock(sequence: number, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(DATA_HEADER_LENGTH + data.length)
  out.set(packWords(data.length, sequence, 0, 0))
  out.set(data, DATA_HEADER_LENGTH)
  return out
}

export interface DataBlock {
  length: number
  sequence: number
  data: Uint8Array
}

/** Splits a _DATA payload; `undefined` when it is shorter than its 16-byte header. */
export function decodeDataBlock(payload: Uint8Array): DataBlock | undefined {
  const length = wordAt(payload, 0)
  const sequence = wordAt(payload, 1)
  if (length === undefined || sequence === undefined || payload.length < DATA_HEADER_LENGTH) return undefined
  return { length, sequence, data: payload.subarray(DATA_HEADER_LENGTH) }
}

/** The SYNC payload: 07 07 12 20 followed by 32 × 0x55 (the ROM auto-bauds on the 0x55s). */
export const SYNC_PAYLOAD: Uint8Array = Uint8Array.from([0x07, 0x07, 0x12, 0x20, ...new Array<number>(32).fill(0x55)])
