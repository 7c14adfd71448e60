// Checks that what is about to be written fits the device that answered: chip, flash size,
// sector alignment, overlaps. Runs after probing, before the first byte is written.
import { PairKitError } from '../errors'
import { formatFlashSize } from '../esp/flash-size'
import { hex } from '../hex'

export interface PlannedRegion {
  offset: number
  name: string
  bytes: Uint8Array
}

export interface DeviceFacts {
  chip: string
  flashSize: number
}

const SECTOR = 0x1000

/** Throws the first problem a technician must fix; returns the regions in address order. */
export function checkPlan(regions: readonly PlannedRegion[], device: DeviceFacts, bundleChip?: string): PlannedRegion[] {
  if (regions.length === 0) throw new PairKitError('BAD_INPUT', 'nothing to write: the bundle has no parts')
  if (bundleChip && bundleChip !== device.chip) {
    throw new PairKitError('IMAGE_CHIP_MISMATCH', `this bundle is for ${bundleChip}, the device is an ${device.chip}`)
  }
  const sorted = [...regions].sort((a, b) => a.offset - b.offset)
  const end = Math.max(...sorted.map((region) => region.offset + region.bytes.length))
  if (end > device.flashSize) {
    const needs = formatFlashSize(Math.max(SECTOR, 2 ** Math.ceil(Math.log2(end))), ' ')
    throw new PairKitError('FLASH_TOO_SMALL', `flash too small: the bundle needs ${needs}, the device has ${formatFlashSize(device.flashSize, ' ')}`)
  }
  for (const region of sorted) {
    if (region.offset % SECTOR !== 0) throw new PairKitError('BAD_INPUT', `${region.name} is at ${hex(region.offset)}, which is not on a 4 KiB sector boundary`)
    if (region.bytes.length === 0) throw new PairKitError('BAD_INPUT', `${region.name} is empty`)
  }
  for (let i = 1; i < sorted.length; i++) {
    const before = sorted[i - 1] as PlannedRegion
    const after = sorted[i] as PlannedRegion
    if (after.offset < before.offset + before.bytes.length) {
      throw new PairKitError('BAD_INPUT', `${before.name} (${hex(before.offset)}–${hex(before.offset + before.bytes.length - 1)}) overlaps ${after.name} at ${hex(after.offset)}`)
    }
  }
  return sorted
}

/** The stub and ROM want whole 32-bit words: pad with 0xFF (erased flash), as esptool does. */
export function padToWord(bytes: Uint8Array): Uint8Array {
  if (bytes.length % 4 === 0) return bytes
  const out = new Uint8Array(bytes.length + (4 - (bytes.length % 4))).fill(0xff)
  out.set(bytes)
  return out
}
