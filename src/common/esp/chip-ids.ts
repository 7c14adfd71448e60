// The chip id in an image's extended header, the chip's name, and where its ROM looks for
// the second-stage bootloader. Ids agree between ESP-IDF (esp_chip_id_t) and esptool
// (IMAGE_CHIP_ID); bootloader offsets are ESP_ROM_BOOTLOADER_OFFSET_FLASH per chip.

export interface ChipInfo {
  /** Lower-case name as esptool's --chip and ESP-IDF's target use it, e.g. "esp32c3". */
  readonly name: string
  /** How esptool prints it, e.g. "ESP32-C3". */
  readonly displayName: string
  /** Chip id in image header bytes 12–13. */
  readonly imageChipId: number
  /** Flash offset of the second-stage bootloader. */
  readonly bootloaderOffset: number
}

export const CHIPS: readonly ChipInfo[] = [
  { name: 'esp32', displayName: 'ESP32', imageChipId: 0, bootloaderOffset: 0x1000 },
  { name: 'esp32s2', displayName: 'ESP32-S2', imageChipId: 2, bootloaderOffset: 0x1000 },
  { name: 'esp32c3', displayName: 'ESP32-C3', imageChipId: 5, bootloaderOffset: 0x0 },
  { name: 'esp32s3', displayName: 'ESP32-S3', imageChipId: 9, bootloaderOffset: 0x0 },
  { name: 'esp32c2', displayName: 'ESP32-C2', imageChipId: 12, bootloaderOffset: 0x0 },
  { name: 'esp32c6', displayName: 'ESP32-C6', imageChipId: 13, bootloaderOffset: 0x0 },
  { name: 'esp32h2', displayName: 'ESP32-H2', imageChipId: 16, bootloaderOffset: 0x0 },
  // P4, C5, H4 and S31 reserve the first two flash sectors.
  { name: 'esp32p4', displayName: 'ESP32-P4', imageChipId: 18, bootloaderOffset: 0x2000 },
  { name: 'esp32c61', displayName: 'ESP32-C61', imageChipId: 20, bootloaderOffset: 0x0 },
  { name: 'esp32c5', displayName: 'ESP32-C5', imageChipId: 23, bootloaderOffset: 0x2000 },
  { name: 'esp32h21', displayName: 'ESP32-H21', imageChipId: 25, bootloaderOffset: 0x0 },
  { name: 'esp32h4', displayName: 'ESP32-H4', imageChipId: 28, bootloaderOffset: 0x2000 },
  // Known to esptool only; ESP-IDF has no target for it yet.
  { name: 'esp32e22', displayName: 'ESP32-E22', imageChipId: 31, bootloaderOffset: 0x0 },
  { name: 'esp32s31', displayName: 'ESP32-S31', imageChipId: 32, bootloaderOffset: 0x2000 },
]

export function chipById(imageChipId: number): ChipInfo | undefined {
  return CHIPS.find((chip) => chip.imageChipId === imageChipId)
}

/** Accepts "esp32c3", "ESP32-C3", "esp32-c3" alike. */
export function chipByName(name: string): ChipInfo | undefined {
  const wanted = name.toLowerCase().replace(/[-_\s]/g, '')
  return CHIPS.find((chip) => chip.name === wanted)
}

export const CHIP_NAMES: readonly string[] = CHIPS.map((chip) => chip.name)
