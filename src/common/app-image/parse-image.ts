// Parses an ESP firmware image (app or second-stage bootloader): header, extended header,
// segments, checksum, appended SHA-256, and the app or bootloader descriptor.
// Structural faults after the header become `problems` in a partial result; only input
// that cannot be an image at all (too short, wrong magic) throws a PairKitError.
import { PairKitError } from '../errors'
import { chipById } from '../esp/chips'
import { hex } from '../hex'
import { decodeAppDescriptor, decodeBootloaderDescriptor, type AppDescriptor, type BootloaderDescriptor } from './descriptors'
import {
  CHECKSUM_SEED, DIGEST_LENGTH, FLASH_MODES, FLASH_SIZES, IMAGE_HEADER_LENGTH, IMAGE_MAGIC, MAX_SEGMENTS,
  SEGMENT_HEADER_LENGTH, flashFrequencyName,
} from './image-format'
import { isFlashMapped, memoryTypes } from './memory-map'
import type { ImageProblem } from './problems'
import { sha256, toHex } from './sha256'

export interface ImageHeader {
  segmentCount: number
  flashModeCode: number
  /** "QIO", "DIO", …; undefined for an unknown code. */
  flashMode: string | undefined
  flashSizeCode: number
  /** "4MB", …; undefined for an unknown code. */
  flashSize: string | undefined
  flashFreqCode: number
  /** "80m", …; undefined when the chip or code is unknown. */
  flashFreq: string | undefined
  entryPoint: number
  wpPin: number
  pinDrive: { clk: number; q: number; d: number; cs0: number; hd: number; wp: number }
  chipId: number
  /** Lower-case chip name ("esp32c3"), undefined for an id this table does not know. */
  chip: string | undefined
  /** The deprecated one-byte minimum revision (byte 14). */
  minRevLegacy: number
  /** major × 100 + minor */
  minRevFull: number
  /** major × 100 + minor; 0 = not set. */
  maxRevFull: number
  hashAppended: boolean
}

export interface ImageSegment {
  index: number
  loadAddress: number
  length: number
  /** Offset of the segment's 8-byte header in the file, as esptool's "File offs" shows it. */
  fileOffset: number
  memoryTypes: string[]
}

export interface ImageInfo {
  fileLength: number
  header: ImageHeader
  segments: ImageSegment[]
  checksum?: { stored: number; computed: number; valid: boolean }
  digest?: { stored: string; computed: string; valid: boolean }
  /** Bytes from the start through the checksum (and digest); 0 when the segments are cut off. */
  imageLength: number
  /** Bytes after the image: a signature block, or 0xFF read back from flash. */
  trailingLength: number
  /** "app" with an esp_app_desc_t, "bootloader" with an esp_bootloader_desc_t, else "unknown". */
  kind: 'app' | 'bootloader' | 'unknown'
  /** Some segment is mapped from flash (IROM/DROM), as in an app, not a RAM-only image. */
  flashMapped: boolean
  appDescriptor?: AppDescriptor
  bootloaderDescriptor?: BootloaderDescriptor
  problems: ImageProblem[]
}

export function parseImageHeader(bytes: Uint8Array): ImageHeader {
  if (bytes.length < IMAGE_HEADER_LENGTH) {
    throw new PairKitError('BAD_INPUT', `not an ESP image: ${bytes.length} bytes is shorter than the ${IMAGE_HEADER_LENGTH}-byte image header`)
  }
  if (bytes[0] !== IMAGE_MAGIC) {
    throw new PairKitError('BAD_INPUT', `not an ESP image: the first byte is ${hex(bytes[0] as number, 2)}, an image starts with 0xe9`)
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, IMAGE_HEADER_LENGTH)
  const chipId = view.getUint16(12, true)
  const chip = chipById(chipId)?.name
  const sizeFreq = view.getUint8(3)
  const modeCode = view.getUint8(2)
  const low = (byte: number) => byte & 0x0f
  const high = (byte: number) => byte >> 4
  return {
    segmentCount: view.getUint8(1),
    flashModeCode: modeCode,
    flashMode: FLASH_MODES[modeCode],
    flashSizeCode: high(sizeFreq),
    flashSize: FLASH_SIZES[high(sizeFreq)],
    flashFreqCode: low(sizeFreq),
    flashFreq: flashFrequencyName(chip, low(sizeFreq)),
    entryPoint: view.getUint32(4, true),
    wpPin: view.getUint8(8),
    // Two 4-bit drive strengths per byte, low nibble first (esptool's split_byte).
    pinDrive: {
      clk: low(view.getUint8(9)), q: high(view.getUint8(9)),
      d: low(view.getUint8(10)), cs0: high(view.getUint8(10)),
      hd: low(view.getUint8(11)), wp: high(view.getUint8(11)),
    },
    chipId,
    chip,
    minRevLegacy: view.getUint8(14),
    minRevFull: view.getUint16(15, true),
    maxRevFull: view.getUint16(17, true),
    hashAppended: view.getUint8(23) === 1,
  }
}

export function parseImage(bytes: Uint8Array): ImageInfo {
  const header = parseImageHeader(bytes)
  const problems: ImageProblem[] = []
  if (header.chip === undefined) {
    problems.push({ code: 'UNKNOWN_CHIP', message: `chip id ${header.chipId} in the image header belongs to no chip PairKit knows` })
  }
  if (header.segmentCount > MAX_SEGMENTS) {
    problems.push({ code: 'TOO_MANY_SEGMENTS', message: `the header announces ${header.segmentCount} segments, at most ${MAX_SEGMENTS} are allowed` })
  }

  const segments: ImageSegment[] = []
  let offset = IMAGE_HEADER_LENGTH
  let checksum = CHECKSUM_SEED
  let complete = true
  for (let index = 0; index < header.segmentCount; index++) {
    if (offset + SEGMENT_HEADER_LENGTH > bytes.length) {
      problems.push({ code: 'SEGMENT_PAST_END', message: `segment ${index} runs past the end of the file: its header at ${hex(offset)} needs 8 bytes, the file has ${bytes.length}` })
      complete = false
      break
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset + offset, SEGMENT_HEADER_LENGTH)
    const loadAddress = view.getUint32(0, true)
    const length = view.getUint32(4, true)
    const dataStart = offset + SEGMENT_HEADER_LENGTH
    if (dataStart + length > bytes.length) {
      problems.push({ code: 'SEGMENT_PAST_END', message: `segment ${index} runs past the end of the file: ${length} bytes at ${hex(dataStart)}, the file has ${bytes.length}` })
      complete = false
      break
    }
    segments.push({ index, loadAddress, length, fileOffset: offset, memoryTypes: memoryTypes(header.chip, loadAddress) })
    for (let i = dataStart; i < dataStart + length; i++) checksum ^= bytes[i] as number
    offset = dataStart + length
  }

  const info: ImageInfo = {
    fileLength: bytes.length,
    header,
    segments,
    imageLength: 0,
    trailingLength: 0,
    kind: 'unknown',
    flashMapped: segments.some((segment) => isFlashMapped(segment.memoryTypes)),
    problems,
  }

  if (complete) {
    // Zero padding up to length ≡ 15 (mod 16), then the checksum byte.
    const checksumOffset = offset + (15 - (offset % 16))
    if (checksumOffset >= bytes.length) {
      problems.push({ code: 'CHECKSUM_MISSING', message: `the file ends at ${hex(bytes.length)} before the checksum byte at ${hex(checksumOffset)}` })
    } else {
      const stored = bytes[checksumOffset] as number
      info.checksum = { stored, computed: checksum, valid: stored === checksum }
      if (stored !== checksum) problems.push({ code: 'CHECKSUM_MISMATCH', message: `checksum mismatch: stored ${hex(stored, 2)}, computed ${hex(checksum, 2)}` })
      info.imageLength = checksumOffset + 1
      if (header.hashAppended) {
        if (info.imageLength + DIGEST_LENGTH > bytes.length) {
          problems.push({ code: 'DIGEST_MISSING', message: `the header says a SHA-256 digest follows the checksum, but the file ends at ${hex(bytes.length)}` })
        } else {
          const stored = toHex(bytes.subarray(info.imageLength, info.imageLength + DIGEST_LENGTH))
          const computed = toHex(sha256(bytes.subarray(0, info.imageLength)))
          info.digest = { stored, computed, valid: stored === computed }
          if (stored !== computed) problems.push({ code: 'DIGEST_MISMATCH', message: `SHA-256 mismatch: stored ${stored.slice(0, 8)}…, computed ${computed.slice(0, 8)}…` })
          info.imageLength += DIGEST_LENGTH
        }
      }
      if (info.imageLength > 0) info.trailingLength = bytes.length - info.imageLength
    }
  }

  // The descriptor lives in segment 0; read it only if that segment really holds it.
  const first = segments[0]
  const appDescriptor = first && first.length >= 256 ? decodeAppDescriptor(bytes) : undefined
  // A bootloader is never flash-mapped; this keeps a stray 0x50 in an app from looking like one.
  const bootloaderDescriptor = !appDescriptor && !info.flashMapped && first && first.length >= 80 ? decodeBootloaderDescriptor(bytes) : undefined
  if (appDescriptor) {
    info.kind = 'app'
    info.appDescriptor = appDescriptor
  } else if (bootloaderDescriptor) {
    info.kind = 'bootloader'
    info.bootloaderDescriptor = bootloaderDescriptor
  }
  return info
}
