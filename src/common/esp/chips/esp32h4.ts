// ESP32-H4 (esptool targets/esp32h4.py). Data from esptool v5; description and features
// as esptool-js 0.7.0 words them.
import { defineChip, type ReadReg } from './chip-def'
import { field, fixedCrystal, readMac } from './efuse'
import { H2_FLASH_FREQUENCIES } from './flash-frequencies'

const EFUSE_BASE = 0x600b1800
const BLOCK1 = EFUSE_BASE + 0x44
const MAC_EFUSE = { low: BLOCK1, high: BLOCK1 + 4 }

const block1 = (read: ReadReg, word: number, shift: number, mask: number) => field(read, BLOCK1 + 4 * word, shift, mask)
const majorRevision = (read: ReadReg) => block1(read, 3, 22, 0x03)
const minorRevision = (read: ReadReg) => block1(read, 3, 18, 0x0f)

export const ESP32H4 = defineChip({
  name: 'esp32h4',
  displayName: 'ESP32-H4',
  imageChipId: 28,
  magicValues: [],
  detectedByMagic: false,
  romHasSecurityInfo: true,
  romFlashBeginEncryptedWord: true,
  // The first two sectors are reserved.
  bootloaderOffset: 0x2000,
  macEfuse: MAC_EFUSE,
  spi: { base: 0x60099000, usr: 0x18, usr1: 0x1c, usr2: 0x20, mosiDlen: 0x24, misoDlen: 0x28, w0: 0x58 },
  memoryMap: [
    { start: 0x00000000, end: 0x00010000, name: 'PADDING' },
    { start: 0x42000000, end: 0x44000000, name: 'DROM' },
    { start: 0x40810000, end: 0x40860000, name: 'DRAM' },
    { start: 0x40810000, end: 0x40860000, name: 'BYTE_ACCESSIBLE' },
    { start: 0x40000000, end: 0x40050000, name: 'DROM_MASK' },
    { start: 0x40000000, end: 0x40050000, name: 'IROM_MASK' },
    { start: 0x42000000, end: 0x44000000, name: 'IROM' },
    { start: 0x40810000, end: 0x40860000, name: 'IRAM' },
    { start: 0x50000000, end: 0x50004000, name: 'RTC_IRAM' },
    { start: 0x50000000, end: 0x50004000, name: 'RTC_DRAM' },
    { start: 0x60000000, end: 0x60100000, name: 'MEM_INTERNAL2' },
  ],
  flashFrequencies: H2_FLASH_FREQUENCIES,
  identity: {
    async description(read) {
      const model = (await block1(read, 4, 12, 0x07)) === 0 ? 'ESP32-H4 (QFN40)' : 'Unknown ESP32-H4'
      return `${model} (revision v${await majorRevision(read)}.${await minorRevision(read)})`
    },
    features: async () => ['BT 5 (LE)', 'IEEE802.15.4', 'Dual Core', '96MHz'],
    crystal: () => fixedCrystal(32),
    mac: (read) => readMac(read, MAC_EFUSE),
    revision: async (read) => (await majorRevision(read)) * 100 + (await minorRevision(read)),
  },
})
