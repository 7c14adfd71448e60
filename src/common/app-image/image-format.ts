// Constants of the ESP image format (esp_image_header_t and friends), tabulated once.
// Sources: ESP-IDF esp_app_format.h, esptool's firmware-image-format documentation.

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

/** Low nibble of header byte 3: the code → frequency mapping differs per chip family. */
const FREQ_ESP32_FAMILY: Record<number, string> = { 0xf: '80m', 0x0: '40m', 0x1: '26m', 0x2: '20m' }
const FREQ_C5_FAMILY: Record<number, string> = { 0xf: '80m', 0x0: '40m', 0x2: '20m' }
const FREQ_C2: Record<number, string> = { 0xf: '60m', 0x0: '30m', 0x1: '20m', 0x2: '15m' }
const FREQ_H2_FAMILY: Record<number, string> = { 0xf: '48m', 0x0: '24m', 0x1: '16m', 0x2: '12m' }
// The C6 ROM needs 80m written as 0, the same code as 40m; esptool's image_info shows
// such a header as "40m" (its reverse lookup keeps the last name), and so do we.
const FREQ_C6: Record<number, string> = { 0x0: '40m', 0x2: '20m' }

const FLASH_FREQ_BY_CHIP: Record<string, Record<number, string>> = {
  esp32: FREQ_ESP32_FAMILY,
  esp32s2: FREQ_ESP32_FAMILY,
  esp32s3: FREQ_ESP32_FAMILY,
  esp32c3: FREQ_ESP32_FAMILY,
  esp32p4: FREQ_ESP32_FAMILY,
  esp32c5: FREQ_C5_FAMILY,
  esp32c61: FREQ_C5_FAMILY,
  esp32s31: FREQ_C5_FAMILY,
  esp32c2: FREQ_C2,
  esp32h2: FREQ_H2_FAMILY,
  esp32h21: FREQ_H2_FAMILY,
  esp32h4: FREQ_H2_FAMILY,
  esp32c6: FREQ_C6,
}

/** The frequency name for a header code, or undefined when the chip or code is unknown. */
export function flashFrequencyName(chip: string | undefined, code: number): string | undefined {
  return chip === undefined ? undefined : FLASH_FREQ_BY_CHIP[chip]?.[code]
}

/** The header code for a frequency name on a chip (the inverse of flashFrequencyName). */
export function flashFrequencyCode(chip: string, name: string): number | undefined {
  const table = FLASH_FREQ_BY_CHIP[chip]
  if (!table) return undefined
  if (chip === 'esp32c6' && name === '80m') return 0
  for (const [code, value] of Object.entries(table)) if (value === name) return Number(code)
  return undefined
}
