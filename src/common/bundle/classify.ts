// The kind of a part given only as OFFSET=FILE: by its first bytes and where it goes.
import { parseImage } from '../app-image'
import { chipByName } from '../esp/chips'
import type { BundlePartKind } from './model'

export function classifyPart(bytes: Uint8Array, offset: number, chip?: string): BundlePartKind {
  if (bytes[0] === 0xaa && bytes[1] === 0x50) return 'partition-table'
  if (bytes[0] !== 0xe9) return 'data'
  const bootOffset = chip === undefined ? undefined : chipByName(chip)?.bootloaderOffset
  let flashMapped = true
  try {
    flashMapped = parseImage(bytes).flashMapped
  } catch {
    // Not parseable: validation reports it; guess from the offset alone.
  }
  if (bootOffset !== undefined ? offset === bootOffset : offset <= 0x2000 && !flashMapped) return 'bootloader'
  return 'app'
}
