// Identifying the chip behind the bootloader: GET_SECURITY_INFO (S2 and later ROMs) and,
// where that is missing, the magic word at 0x40001000. Values: esptool v4.8.1 plus the
// ones esptool-js 0.7.0 adds (protocol reference §8).
import { chipById } from '../esp/chip-ids'

export const CHIP_DETECT_MAGIC_REG_ADDR = 0x40001000

const MAGIC_TO_CHIP: ReadonlyArray<readonly [string, readonly number[]]> = [
  ['esp8266', [0xfff0c101]],
  ['esp32', [0x00f01d83]],
  ['esp32s2', [0x000007c6]],
  ['esp32s3', [0x00000009]],
  ['esp32c2', [0x6f51306f, 0x7c41a06f, 0x0c21e06f]],
  ['esp32c3', [0x6921506f, 0x1b31506f, 0x4881606f, 0x4361606f]],
  ['esp32c6', [0x2ce0806f]],
  ['esp32c61', [0x33f0206f, 0x2421606f, 0x4f81606f]],
  ['esp32c5', [0x1101406f, 0x63e1406f, 0x5fd1406f, 0x30e1706f]],
  ['esp32h2', [0xd7b73e80, 0x97e30068]],
  ['esp32p4', [0x0, 0x0addbad0, 0x7039ad9]],
]

/** Chip name for a magic word, or undefined. */
export function chipByMagic(magic: number): string | undefined {
  const value = magic >>> 0
  return MAGIC_TO_CHIP.find(([, values]) => values.includes(value))?.[0]
}

/** Chips whose ROM lacks GET_SECURITY_INFO or leaves out the chip id: detect them by magic. */
const DETECT_BY_MAGIC = new Set(['esp8266', 'esp32', 'esp32s2'])

/** Chip name for a GET_SECURITY_INFO chip id; beta ids and unknown ids give undefined. */
export function chipBySecurityId(chipId: number): string | undefined {
  const chip = chipById(chipId)
  return chip && !DETECT_BY_MAGIC.has(chip.name) ? chip.name : undefined
}

export const SECURITY_FLAGS = {
  SECURE_BOOT_EN: 1 << 0,
  SECURE_BOOT_AGGRESSIVE_REVOKE: 1 << 1,
  SECURE_DOWNLOAD_ENABLE: 1 << 2,
  SECURE_BOOT_KEY_REVOKE0: 1 << 3,
  SECURE_BOOT_KEY_REVOKE1: 1 << 4,
  SECURE_BOOT_KEY_REVOKE2: 1 << 5,
  SOFT_DIS_JTAG: 1 << 6,
  HARD_DIS_JTAG: 1 << 7,
  DIS_USB: 1 << 8,
  DIS_DOWNLOAD_DCACHE: 1 << 9,
  DIS_DOWNLOAD_ICACHE: 1 << 10,
} as const

export interface SecurityInfo {
  flags: number
  flashCryptCount: number
  keyPurposes: number[]
  /** Missing on the ESP32-S2 (12-byte answer). */
  chipId?: number
  apiVersion?: number
  secureBoot: boolean
  secureDownloadMode: boolean
  /** Flash encryption is on when the crypt counter has an odd number of bits set. */
  flashEncryption: boolean
  jtagDisabled: boolean
}

/** Parses the GET_SECURITY_INFO data (status bytes already removed); undefined if too short. */
export function parseSecurityInfo(data: Uint8Array): SecurityInfo | undefined {
  if (data.length < 12) return undefined
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength)
  const flags = view.getUint32(0, true)
  const flashCryptCount = data[4] ?? 0
  let bits = 0
  for (let value = flashCryptCount; value; value >>= 1) bits += value & 1
  const info: SecurityInfo = {
    flags,
    flashCryptCount,
    keyPurposes: Array.from(data.subarray(5, 12)),
    secureBoot: (flags & SECURITY_FLAGS.SECURE_BOOT_EN) !== 0,
    secureDownloadMode: (flags & SECURITY_FLAGS.SECURE_DOWNLOAD_ENABLE) !== 0,
    flashEncryption: bits % 2 === 1,
    jtagDisabled: (flags & (SECURITY_FLAGS.SOFT_DIS_JTAG | SECURITY_FLAGS.HARD_DIS_JTAG)) !== 0,
  }
  if (data.length >= 20) {
    info.chipId = view.getUint32(12, true)
    info.apiVersion = view.getUint32(16, true)
  }
  return info
}
