// Writes an ESP firmware image (app or second-stage bootloader) the way esptool's elf2image
// lays one out: the 24-byte header with its extended part, the segments, zero padding to
// length ≡ 15 (mod 16), the XOR checksum and, when asked, the SHA-256 of all of it.
// parseImage() reads back exactly what this writes.
import { PairKitError } from '../errors'
import { chipByName } from '../esp/chips'
import {
  CHECKSUM_SEED, DIGEST_LENGTH, FLASH_MODES, FLASH_SIZES, IMAGE_HEADER_LENGTH, IMAGE_MAGIC, MAX_SEGMENTS, SEGMENT_HEADER_LENGTH,
  WP_PIN_DISABLED, flashFrequencyCode,
} from './image-format'
import { sha256 } from './sha256'

export interface ImageSegmentInput {
  loadAddress: number
  /** A whole number of 32-bit words, as the loaders copy them. */
  data: Uint8Array
}

export interface EncodeImageOptions {
  /** Chip name ("esp32s3"): gives the chip id and the frequency code. */
  chip: string
  entryPoint: number
  segments: readonly ImageSegmentInput[]
  /** "DIO" (default), "QIO", … */
  flashMode?: string
  /** "4MB" (default), … */
  flashSize?: string
  /** "80m" (default), … */
  flashFreq?: string
  /** major × 100 + minor */
  minRevFull?: number
  maxRevFull?: number
  /** Append the SHA-256 digest (ESP-IDF's default for apps and bootloaders). */
  hashAppended?: boolean
}

export function encodeImage(options: EncodeImageOptions): Uint8Array {
  const chip = chipByName(options.chip)
  if (!chip) throw new PairKitError('BAD_INPUT', `no chip named ${options.chip}`)
  const mode = FLASH_MODES.indexOf(options.flashMode ?? 'DIO')
  const size = FLASH_SIZES.indexOf(options.flashSize ?? '4MB')
  const freq = flashFrequencyCode(chip.name, options.flashFreq ?? '80m')
  if (mode < 0 || size < 0 || freq === undefined) {
    throw new PairKitError('BAD_INPUT', `flash settings ${options.flashMode ?? 'DIO'} ${options.flashSize ?? '4MB'} ${options.flashFreq ?? '80m'} cannot be written for ${chip.name}`)
  }
  if (options.segments.length === 0 || options.segments.length > MAX_SEGMENTS) {
    throw new PairKitError('BAD_INPUT', `an image has 1 to ${MAX_SEGMENTS} segments, not ${options.segments.length}`)
  }
  const segmentBytes = options.segments.reduce((total, segment) => total + SEGMENT_HEADER_LENGTH + segment.data.length, 0)
  const body = IMAGE_HEADER_LENGTH + segmentBytes
  const checksumAt = body + (15 - (body % 16))
  const hashAppended = options.hashAppended ?? true
  const out = new Uint8Array(checksumAt + 1 + (hashAppended ? DIGEST_LENGTH : 0))
  const view = new DataView(out.buffer)
  out[0] = IMAGE_MAGIC
  out[1] = options.segments.length
  out[2] = mode
  out[3] = (size << 4) | freq
  view.setUint32(4, options.entryPoint >>> 0, true)
  out[8] = WP_PIN_DISABLED
  // Bytes 9–11: SPI pin drive strengths, left at 0 as ESP-IDF does.
  view.setUint16(12, chip.imageChipId, true)
  out[14] = Math.floor((options.minRevFull ?? 0) / 100)
  view.setUint16(15, options.minRevFull ?? 0, true)
  view.setUint16(17, options.maxRevFull ?? 0, true)
  out[23] = hashAppended ? 1 : 0

  let at = IMAGE_HEADER_LENGTH
  let checksum = CHECKSUM_SEED
  for (const segment of options.segments) {
    if (segment.data.length % 4 !== 0) throw new PairKitError('BAD_INPUT', `a segment at 0x${segment.loadAddress.toString(16)} is ${segment.data.length} bytes, not a whole number of words`)
    view.setUint32(at, segment.loadAddress >>> 0, true)
    view.setUint32(at + 4, segment.data.length, true)
    out.set(segment.data, at + SEGMENT_HEADER_LENGTH)
    for (const byte of segment.data) checksum ^= byte
    at += SEGMENT_HEADER_LENGTH + segment.data.length
  }
  out[checksumAt] = checksum
  if (hashAppended) out.set(sha256(out.subarray(0, checksumAt + 1)), checksumAt + 1)
  return out
}

/** File offset where a segment's data would start if it came next, after `segments`. */
export function nextSegmentDataOffset(segments: readonly ImageSegmentInput[]): number {
  return IMAGE_HEADER_LENGTH + segments.reduce((total, segment) => total + SEGMENT_HEADER_LENGTH + segment.data.length, 0) + SEGMENT_HEADER_LENGTH
}
