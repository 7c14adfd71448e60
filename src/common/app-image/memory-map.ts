// Which memory a segment's load address falls in, per chip, as esptool's image_info names
// it. Ranges are [start, end) and may overlap; an address gets every name that contains it,
// in table order. The ranges are the chip definitions' memory maps (esptool MEMORY_MAP).
import { chipByName } from '../esp/chips'

/** Memory names for a load address; empty when the chip is unknown. */
export function memoryTypes(chip: string | undefined, loadAddress: number): string[] {
  const map = chip === undefined ? undefined : chipByName(chip)?.memoryMap
  if (!map) return []
  return map.filter((region) => region.start <= loadAddress && loadAddress < region.end).map((region) => region.name)
}

/** Code or read-only data mapped from flash through the MMU (an app, not a RAM-only image). */
export function isFlashMapped(types: readonly string[]): boolean {
  return types.includes('IROM') || types.includes('DROM')
}
