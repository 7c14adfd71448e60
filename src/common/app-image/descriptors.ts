// esp_app_desc_t (apps) and esp_bootloader_desc_t (bootloaders since ESP-IDF v5.2), both at
// file offset 0x20 of an image, i.e. the first bytes of segment 0's data.
import { APP_DESC_LENGTH, APP_DESC_MAGIC, BOOTLOADER_DESC_LENGTH, BOOTLOADER_DESC_MAGIC, DESCRIPTOR_OFFSET } from './image-format'
import { toHex } from './sha256'

export interface AppDescriptor {
  projectName: string
  version: string
  idfVersion: string
  /** e.g. "Sep 13 2022" */
  date: string
  /** e.g. "19:46:07" */
  time: string
  /** Lower-case hex of the 32-byte field; the build fills it with the ELF's SHA-256. */
  elfSha256: string
  secureVersion: number
  /** major × 100 + minor; 0 in images built before ESP-IDF v5.4. */
  minEfuseBlockRevision: number
  maxEfuseBlockRevision: number
  /** log2 of the MMU page size, 0 when not recorded (before v5.4). */
  mmuPageSizeLog2: number
}

export interface BootloaderDescriptor {
  version: number
  secureVersion: number
  idfVersion: string
  /** e.g. "Apr 25 2023 00:13:32" */
  dateTime: string
}

/**
 * Decodes esp_app_desc_t from the first bytes of an image (file offset 0 = image start).
 * Works on a prefix read back from a device: 0x120 bytes are enough. Undefined when the
 * magic word is absent (not an ESP-IDF app, or too short).
 */
export function decodeAppDescriptor(image: Uint8Array): AppDescriptor | undefined {
  const start = DESCRIPTOR_OFFSET
  if (image.length < start + APP_DESC_LENGTH) return undefined
  const view = new DataView(image.buffer, image.byteOffset + start, APP_DESC_LENGTH)
  if (view.getUint32(0, true) !== APP_DESC_MAGIC) return undefined
  const field = (offset: number, length: number) => image.subarray(start + offset, start + offset + length)
  return {
    secureVersion: view.getUint32(0x04, true),
    version: cString(field(0x10, 32)),
    projectName: cString(field(0x30, 32)),
    time: cString(field(0x50, 16)),
    date: cString(field(0x60, 16)),
    idfVersion: cString(field(0x70, 32)),
    elfSha256: toHex(field(0x90, 32)),
    minEfuseBlockRevision: view.getUint16(0xb0, true),
    maxEfuseBlockRevision: view.getUint16(0xb2, true),
    mmuPageSizeLog2: view.getUint8(0xb4),
  }
}

/** Decodes esp_bootloader_desc_t; undefined when its magic byte is absent. */
export function decodeBootloaderDescriptor(image: Uint8Array): BootloaderDescriptor | undefined {
  const start = DESCRIPTOR_OFFSET
  if (image.length < start + BOOTLOADER_DESC_LENGTH || image[start] !== BOOTLOADER_DESC_MAGIC) return undefined
  const view = new DataView(image.buffer, image.byteOffset + start, BOOTLOADER_DESC_LENGTH)
  return {
    secureVersion: view.getUint8(3),
    version: view.getUint32(4, true),
    idfVersion: cString(image.subarray(start + 8, start + 40)),
    dateTime: cString(image.subarray(start + 40, start + 64)),
  }
}

const decoder = new TextDecoder('utf-8', { fatal: false })

/** A NUL-terminated string in a fixed-size field (a full field has no terminator). */
export function cString(field: Uint8Array): string {
  const end = field.indexOf(0)
  return decoder.decode(end === -1 ? field : field.subarray(0, end))
}
