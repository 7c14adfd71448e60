// Turning CSV text into bytes and integers the way nvs_partition_gen's Python does
// (int(), binascii.a2b_hex, binascii.a2b_base64), with errors a person can act on.
import { PairKitError } from '../errors'
import { integerRange, type IntegerTypeName } from './constants'

const utf8 = new TextEncoder()

export function utf8Bytes(text: string): Uint8Array {
  return utf8.encode(text)
}

/** Python int(text): surrounding whitespace, an optional sign, decimal digits with single underscores between them. */
export function parseInteger(text: string, type: IntegerTypeName, where: string): bigint {
  const trimmed = text.trim()
  if (!/^[+-]?\d(?:_?\d)*$/.test(trimmed)) {
    throw new PairKitError('BAD_INPUT', `${where}: "${text}" is not a whole number (${type} needs decimal digits)`)
  }
  const value = BigInt(trimmed.replace(/_/g, ''))
  const { min, max } = integerRange(type)
  if (value < min || value > max) {
    throw new PairKitError('BAD_INPUT', `${where}: ${value} does not fit in ${type} (${min} … ${max})`)
  }
  return value
}

export function hexToBytes(text: string, where: string): Uint8Array {
  const hex = text.trim()
  if (hex.length % 2 !== 0) throw new PairKitError('BAD_INPUT', `${where}: hex2bin value has an odd number of hex digits (${hex.length})`)
  if (!/^[0-9a-fA-F]*$/.test(hex)) throw new PairKitError('BAD_INPUT', `${where}: hex2bin value contains characters that are not hex digits`)
  const bytes = new Uint8Array(hex.length / 2)
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16)
  return bytes
}

export function bytesToHex(bytes: Uint8Array): string {
  let out = ''
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0')
  return out
}

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

/**
 * binascii.a2b_base64 in its default (non-strict) mode: characters outside the alphabet are
 * skipped, and decoding stops at the first complete padding.
 */
export function base64ToBytes(text: string, where: string): Uint8Array {
  const out: number[] = []
  let quadPos = 0
  let leftChar = 0
  let pads = 0
  for (const char of text) {
    if (char === '=') {
      if (quadPos >= 2 && quadPos + ++pads >= 4) return Uint8Array.from(out)
      continue
    }
    const value = BASE64_ALPHABET.indexOf(char)
    if (value < 0) continue
    pads = 0
    switch (quadPos) {
      case 0:
        quadPos = 1
        leftChar = value
        break
      case 1:
        quadPos = 2
        out.push(((leftChar << 2) | (value >> 4)) & 0xff)
        leftChar = value & 0x0f
        break
      case 2:
        quadPos = 3
        out.push(((leftChar << 4) | (value >> 2)) & 0xff)
        leftChar = value & 0x03
        break
      default:
        quadPos = 0
        out.push(((leftChar << 6) | value) & 0xff)
        leftChar = 0
    }
  }
  if (quadPos === 1) throw new PairKitError('BAD_INPUT', `${where}: base64 value has one character too many (its data length cannot be 1 more than a multiple of 4)`)
  if (quadPos !== 0) throw new PairKitError('BAD_INPUT', `${where}: base64 value is missing its "=" padding`)
  return Uint8Array.from(out)
}

export function bytesToBase64(bytes: Uint8Array): string {
  let out = ''
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i] as number
    const b = bytes[i + 1]
    const c = bytes[i + 2]
    out += BASE64_ALPHABET[a >> 2]
    out += BASE64_ALPHABET[((a & 3) << 4) | ((b ?? 0) >> 4)]
    out += b === undefined ? '=' : BASE64_ALPHABET[((b & 15) << 2) | ((c ?? 0) >> 6)]
    out += c === undefined ? '=' : BASE64_ALPHABET[c & 63]
  }
  return out
}
