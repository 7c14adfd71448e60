// The chip registry and table-driven detection (esptool's CHIP_DEFS and detect_chip).
import type { ChipDef } from './chip-def'
import { ESP32 } from './esp32'
import { ESP32C3 } from './esp32c3'
import { ESP32S3 } from './esp32s3'

export type { ChipDef, MemoryRegion, SpiRegisters } from './chip-def'
export { ESP32, ESP32C3, ESP32S3 }

export const CHIPS: readonly ChipDef[] = [ESP32, ESP32S3, ESP32C3]
export type ChipId = ChipDef['id']

/** Where every ROM keeps its chip-detect magic word. */
export const CHIP_DETECT_MAGIC_REG_ADDR = 0x40001000

export function chipById(id: string): ChipDef | undefined {
  return CHIPS.find((chip) => chip.id === id)
}

export function chipByMagic(magic: number): ChipDef | undefined {
  return CHIPS.find((chip) => chip.magicValues.includes(magic >>> 0))
}

/** By GET_SECURITY_INFO chip id, as esptool does (only chips whose ROM reports one). */
export function chipByImageId(imageChipId: number): ChipDef | undefined {
  return CHIPS.find((chip) => chip.romHasSecurityInfo && chip.imageChipId === imageChipId)
}

/** The MAC from the two eFuse words: big-endian (high, low), first 2 bytes dropped. */
export function macFromEfuseWords(low: number, high: number): Uint8Array {
  return Uint8Array.from([(high >>> 8) & 0xff, high & 0xff, (low >>> 24) & 0xff, (low >>> 16) & 0xff, (low >>> 8) & 0xff, low & 0xff])
}

/** The inverse, for a virtual chip: the two words that read back as `mac`. */
export function efuseWordsFromMac(mac: Uint8Array): { low: number; high: number } {
  const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0] = mac
  return { high: ((a << 8) | b) >>> 0, low: ((c << 24) | (d << 16) | (e << 8) | f) >>> 0 }
}

export function formatMac(mac: Uint8Array): string {
  return Array.from(mac, (byte) => byte.toString(16).padStart(2, '0')).join(':')
}
