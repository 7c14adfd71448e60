// ESP32-H2 (esptool targets/esp32h2.py). Data from esptool v5; description and features
// as esptool-js 0.7.0 words them.
import { defineChip, type ReadReg } from './chip-def'
import { field, fixedCrystal, readMac } from './efuse'
import { H2_FLASH_FREQUENCIES } from './flash-frequencies'
import { C6_MEMORY_MAP, C6_SPI } from './esp32c6'

const EFUSE_BASE = 0x600b0800
const BLOCK1 = EFUSE_BASE + 0x44
const MAC_EFUSE = { low: BLOCK1, high: BLOCK1 + 4 }

const block1 = (read: ReadReg, word: number, shift: number, mask: number) => field(read, BLOCK1 + 4 * word, shift, mask)
const majorRevision = (read: ReadReg) => block1(read, 3, 21, 0x03)
const minorRevision = (read: ReadReg) => block1(read, 3, 18, 0x07)

export const ESP32H2 = defineChip({
  name: 'esp32h2',
  displayName: 'ESP32-H2',
  imageChipId: 16,
  magicValues: [0xd7b73e80, 0x97e30068],
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
      const model = (await block1(read, 4, 0, 0x07)) === 0 ? 'ESP32-H2' : 'unknown ESP32-H2'
      return `${model} (revision v${await majorRevision(read)}.${await minorRevision(read)})`
    },
    features: async () => ['BT 5 (LE)', 'IEEE802.15.4', 'Single Core', '96MHz'],
    crystal: () => fixedCrystal(32),
    mac: (read) => readMac(read, MAC_EFUSE),
    revision: async (read) => (await majorRevision(read)) * 100 + (await minorRevision(read)),
  },
})
