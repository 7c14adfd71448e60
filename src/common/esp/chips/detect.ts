// Which chip answers the bootloader: GET_SECURITY_INFO's chip id where the ROM gives one,
// otherwise the magic word at 0x40001000 (esptool's detect_chip, protocol reference §8).
import type { ChipDef } from './chip-def'
import { CHIPS } from './registry'

/** Where every ROM keeps its chip-detect magic word. */
export const CHIP_DETECT_MAGIC_REG_ADDR = 0x40001000

/** Chips PairKit recognises only to say it does not flash them (they cannot run the bridge firmware). */
export const RECOGNISED_ONLY: readonly { readonly displayName: string; readonly magicValues: readonly number[] }[] = Object.freeze([
  Object.freeze({ displayName: 'ESP8266', magicValues: Object.freeze([0xfff0c101]) }),
])

export type Detection = { kind: 'chip'; chip: ChipDef } | { kind: 'unsupported'; displayName: string } | { kind: 'unknown' }

/** By GET_SECURITY_INFO chip id: chips detected by magic do not count, nor do ids PairKit does not know. */
export function chipBySecurityId(chipId: number): ChipDef | undefined {
  return CHIPS.find((chip) => !chip.detectedByMagic && chip.imageChipId === chipId)
}

export function detectByMagic(magic: number): Detection {
  const value = magic >>> 0
  const chip = CHIPS.find((candidate) => candidate.magicValues.includes(value))
  if (chip) return { kind: 'chip', chip }
  const other = RECOGNISED_ONLY.find((candidate) => candidate.magicValues.includes(value))
  return other ? { kind: 'unsupported', displayName: other.displayName } : { kind: 'unknown' }
}

export function chipByMagic(magic: number): ChipDef | undefined {
  const found = detectByMagic(magic)
  return found.kind === 'chip' ? found.chip : undefined
}
