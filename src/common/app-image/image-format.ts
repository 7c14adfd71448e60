// Constants of the ESP image format (esp_image_header_t and friends), tabulated once.
// Sources: ESP-IDF esp_app_format.h, esptool's firmware-image-format documentation.
import { chipByName } from '../esp/chips'

export const IMAGE_MAGIC = 0xe9
export const IMAGE_HEADER_LENGTH = 24
export const SEGMENT_HEADER_LENGTH = 8
/** ESP-IDF's bootloader refuses more; esptool calls it "usually a linker script problem". */
export const MAX_SEGMENTS = 16
export const CHECKSUM_SEED = 0xef
export const DIGEST_LENGTH = 32
/** Header byte 8 when no WP pin is configured. */
export const WP_PIN_DISABLED = 0xee

/** Both descriptors sit at the start of the first segment's data. */
export const DESCRIPTOR_OFFSET = IMAGE_HEADER_LENGTH + SEGMENT_HEADER_LENGTH
export const APP_DESC_MAGIC = 0xabcd5432
export const APP_DESC_LENGTH = 256
export const BOOTLOADER_DESC_MAGIC = 0x50
export const BOOTLOADER_DESC_LENGTH = 80

/** Header byte 2. ESP-IDF also defines FAST_READ and SLOW_READ; esptool writes only the first four. */
export const FLASH_MODES: readonly string[] = ['QIO', 'QOUT', 'DIO', 'DOUT', 'FAST_READ', 'SLOW_READ']

/** High nibble of header byte 3. */
export const FLASH_SIZES: readonly string[] = ['1MB', '2MB', '4MB', '8MB', '16MB', '32MB', '64MB', '128MB']

/**
 * The frequency name for a header code (low nibble of byte 3, per chip: the chip
 * definition's flash frequencies), or undefined when the chip or code is unknown. Where two
 * names share a code (the C6 writes 80m as 40m's 0) the last one is given, as esptool's
 * image_info does.
 */
export function flashFrequencyName(chip: string | undefined, code: number): string | undefined {
  const table = chip === undefined ? undefined : chipByName(chip)?.flashFrequencies
  if (!table) return undefined
  let name: string | undefined
  for (const [candidate, value] of Object.entries(table)) if (value === code) name = candidate
  return name
}

/** The header code for a frequency name on a chip (the inverse of flashFrequencyName). */
export function flashFrequencyCode(chip: string, name: string): number | undefined {
  const table = chipByName(chip)?.flashFrequencies
  return table && Object.hasOwn(table, name) ? table[name] : undefined
}
