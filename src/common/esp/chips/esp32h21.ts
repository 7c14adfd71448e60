// ESP32-H21 (esptool targets/esp32h21.py). Data from esptool v5 (memory map and SPI
// registers inherited from the H2, as there); description and features as esptool-js
// 0.7.0 words them.
import { defineChip, type ReadReg } from './chip-def'
import { field, fixedCrystal, readMac } from './efuse'
import { H2_FLASH_FREQUENCIES } from './flash-frequencies'
import { C6_MEMORY_MAP, C6_SPI } from './esp32c6'

const EFUSE_BASE = 0x600b4000
const BLOCK1 = EFUSE_BASE + 0x44
const MAC_EFUSE = { low: BLOCK1, high: BLOCK1 + 4 }

const block1 = (read: ReadReg, word: number, shift: number, mask: number) => field(read, BLOCK1 + 4 * word, shift, mask)
const majorRevision = (read: ReadReg) => block1(read, 5, 8, 0x03)
const minorRevision = (read: ReadReg) => block1(read, 5, 4, 0x0f)

export const ESP32H21 = defineChip({
  name: 'esp32h21',
  displayName: 'ESP32-H21',
  imageChipId: 25,
  magicValues: [],
  detectedByMagic: false,
  romHasSecurityInfo: true,
  romFlashBeginEncryptedWord: true,
  bootloaderOffset: 0x0,
  macEfuse: MAC_EFUSE,
  spi: C6_SPI,
  memoryMap: C6_MEMORY_MAP,
  flashFrequencies: H2_FLASH_FREQUENCIES,
  identity: {
    async description(read) {
      const model = (await block1(read, 5, 11, 0x07)) === 0 ? 'ESP32-H21' : 'Unknown ESP32-H21'
      return `${model} (revision v${await majorRevision(read)}.${await minorRevision(read)})`
    },
    features: async () => ['BT 5 (LE)', 'IEEE802.15.4', 'Single Core', '96MHz'],
    crystal: () => fixedCrystal(32),
    mac: (read) => readMac(read, MAC_EFUSE),
    revision: async (read) => (await majorRevision(read)) * 100 + (await minorRevision(read)),
  },
})
