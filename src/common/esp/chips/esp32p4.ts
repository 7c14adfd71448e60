// ESP32-P4 (esptool targets/esp32p4.py). Data from esptool v5; description and features
// as esptool-js 0.7.0 words them.
import { defineChip, type ReadReg } from './chip-def'
import { field, fixedCrystal, readMac } from './efuse'
import { ESP32_FLASH_FREQUENCIES } from './flash-frequencies'

const EFUSE_BASE = 0x5012d000
const BLOCK1 = EFUSE_BASE + 0x44
const LP_WDT_BASE = 0x50116000
const MAC_EFUSE = { low: BLOCK1, high: BLOCK1 + 4 }

const block1 = (read: ReadReg, word: number, shift: number, mask: number) => field(read, BLOCK1 + 4 * word, shift, mask)
/** Bit 23 is the high bit of the major revision, bits 4–5 the low two. */
const majorRevision = async (read: ReadReg) => ((await block1(read, 2, 23, 0x01)) << 2) | (await block1(read, 2, 4, 0x03))
const minorRevision = (read: ReadReg) => block1(read, 2, 0, 0x0f)

export const ESP32P4 = defineChip({
  name: 'esp32p4',
  displayName: 'ESP32-P4',
  imageChipId: 18,
  magicValues: [0x0, 0x0addbad0, 0x7039ad9],
  detectedByMagic: false,
  romHasSecurityInfo: true,
  romFlashBeginEncryptedWord: true,
  // The first two sectors are reserved.
  bootloaderOffset: 0x2000,
  macEfuse: MAC_EFUSE,
  // SPIMEM1.
  spi: { base: 0x5008d000, usr: 0x18, usr1: 0x1c, usr2: 0x20, mosiDlen: 0x24, misoDlen: 0x28, w0: 0x58 },
  memoryMap: [
    { start: 0x00000000, end: 0x00010000, name: 'PADDING' },
    { start: 0x40000000, end: 0x4c000000, name: 'DROM' },
    { start: 0x4ff00000, end: 0x4ffa0000, name: 'DRAM' },
    { start: 0x4ff00000, end: 0x4ffa0000, name: 'BYTE_ACCESSIBLE' },
    { start: 0x4fc00000, end: 0x4fc20000, name: 'DROM_MASK' },
    { start: 0x4fc00000, end: 0x4fc20000, name: 'IROM_MASK' },
    { start: 0x40000000, end: 0x4c000000, name: 'IROM' },
    { start: 0x4ff00000, end: 0x4ffa0000, name: 'IRAM' },
    { start: 0x50108000, end: 0x50110000, name: 'RTC_IRAM' },
    { start: 0x50108000, end: 0x50110000, name: 'RTC_DRAM' },
    { start: 0x600fe000, end: 0x60100000, name: 'MEM_INTERNAL2' },
  ],
  flashFrequencies: ESP32_FLASH_FREQUENCIES,
  rtcWatchdog: { config0: LP_WDT_BASE + 0x0, config1: LP_WDT_BASE + 0x4, writeProtect: LP_WDT_BASE + 0x18 },
  identity: {
    async description(read) {
      const model = (await block1(read, 2, 20, 0x07)) === 0 ? 'ESP32-P4' : 'Unknown ESP32-P4'
      return `${model} (revision v${await majorRevision(read)}.${await minorRevision(read)})`
    },
    features: async () => ['High-Performance MCU'],
    crystal: () => fixedCrystal(40),
    mac: (read) => readMac(read, MAC_EFUSE),
    revision: async (read) => (await majorRevision(read)) * 100 + (await minorRevision(read)),
  },
})
