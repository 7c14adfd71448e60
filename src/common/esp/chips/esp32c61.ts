// ESP32-C61 (esptool targets/esp32c61.py). Data from esptool v5; description and features
// as esptool-js 0.7.0 words them.
import { defineChip, type ReadReg } from './chip-def'
import { field, fixedCrystal, readMac } from './efuse'
import { C5_FLASH_FREQUENCIES } from './flash-frequencies'
import { C6_SPI } from './esp32c6'

const EFUSE_BASE = 0x600b4800
const BLOCK1 = EFUSE_BASE + 0x44
const MAC_EFUSE = { low: BLOCK1, high: BLOCK1 + 4 }

const block1 = (read: ReadReg, word: number, shift: number, mask: number) => field(read, BLOCK1 + 4 * word, shift, mask)
const majorRevision = (read: ReadReg) => block1(read, 2, 4, 0x03)
const minorRevision = (read: ReadReg) => block1(read, 2, 0, 0x0f)

export const ESP32C61 = defineChip({
  name: 'esp32c61',
  displayName: 'ESP32-C61',
  imageChipId: 20,
  magicValues: [0x33f0206f, 0x2421606f, 0x4f81606f],
  detectedByMagic: false,
  romHasSecurityInfo: true,
  romFlashBeginEncryptedWord: true,
  bootloaderOffset: 0x0,
  macEfuse: MAC_EFUSE,
  spi: C6_SPI,
  memoryMap: [
    { start: 0x00000000, end: 0x00010000, name: 'PADDING' },
    { start: 0x42000000, end: 0x44000000, name: 'DROM' },
    { start: 0x40800000, end: 0x40860000, name: 'DRAM' },
    { start: 0x40800000, end: 0x40860000, name: 'BYTE_ACCESSIBLE' },
    { start: 0x4004ac00, end: 0x40050000, name: 'DROM_MASK' },
    { start: 0x40000000, end: 0x4004ac00, name: 'IROM_MASK' },
    { start: 0x42000000, end: 0x44000000, name: 'IROM' },
    { start: 0x40800000, end: 0x40860000, name: 'IRAM' },
    { start: 0x50000000, end: 0x50004000, name: 'RTC_IRAM' },
    { start: 0x50000000, end: 0x50004000, name: 'RTC_DRAM' },
    { start: 0x600fe000, end: 0x60100000, name: 'MEM_INTERNAL2' },
  ],
  flashFrequencies: C5_FLASH_FREQUENCIES,
  identity: {
    async description(read) {
      const model = (await block1(read, 2, 26, 0x07)) === 0 ? 'ESP32-C61' : 'unknown ESP32-C61'
      return `${model} (revision v${await majorRevision(read)}.${await minorRevision(read)})`
    },
    features: async () => ['WiFi 6', 'BT 5'],
    crystal: () => fixedCrystal(40),
    mac: (read) => readMac(read, MAC_EFUSE),
    revision: async (read) => (await majorRevision(read)) * 100 + (await minorRevision(read)),
  },
})
