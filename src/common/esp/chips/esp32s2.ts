// ESP32-S2 (esptool targets/esp32s2.py). Data from esptool v5; description and features
// decoded as esptool-js 0.7.0 words them.
import { defineChip, type ReadReg } from './chip-def'
import { field, fixedCrystal, readMac } from './efuse'
import { ESP32_FLASH_FREQUENCIES } from './flash-frequencies'

const EFUSE_BASE = 0x3f41a000
const BLOCK1 = EFUSE_BASE + 0x44
const BLOCK2 = EFUSE_BASE + 0x5c
const RTC_CNTL_BASE = 0x3f408000
const MAC_EFUSE = { low: BLOCK1, high: BLOCK1 + 4 }

const block1 = (read: ReadReg, word: number, shift: number, mask: number) => field(read, BLOCK1 + 4 * word, shift, mask)
const flashCap = (read: ReadReg) => block1(read, 3, 21, 0x0f)
const psramCap = (read: ReadReg) => block1(read, 3, 28, 0x0f)
const majorRevision = (read: ReadReg) => block1(read, 3, 18, 0x03)
const minorRevision = async (read: ReadReg) => ((await block1(read, 3, 20, 0x01)) << 3) + (await block1(read, 4, 4, 0x07))

const MODELS: Record<number, string> = { 0: 'ESP32-S2', 1: 'ESP32-S2FH2', 2: 'ESP32-S2FH4', 102: 'ESP32-S2FNR2', 100: 'ESP32-S2R2' }
const FLASH: Record<number, string> = { 0: 'No Embedded Flash', 1: 'Embedded Flash 2MB', 2: 'Embedded Flash 4MB' }
// "No Embedded Flash" for a chip without PSRAM is esptool-js's wording.
const PSRAM: Record<number, string> = { 0: 'No Embedded Flash', 1: 'Embedded PSRAM 2MB', 2: 'Embedded PSRAM 4MB' }
const BLK2_CALIBRATION: Record<number, string> = {
  0: 'No calibration in BLK2 of efuse',
  1: 'ADC and temperature sensor calibration in BLK2 of efuse V1',
  2: 'ADC and temperature sensor calibration in BLK2 of efuse V2',
}

export const ESP32S2 = defineChip({
  name: 'esp32s2',
  displayName: 'ESP32-S2',
  imageChipId: 2,
  magicValues: [0x000007c6],
  // Its GET_SECURITY_INFO answer has no chip id.
  detectedByMagic: true,
  romHasSecurityInfo: true,
  romFlashBeginEncryptedWord: true,
  bootloaderOffset: 0x1000,
  macEfuse: MAC_EFUSE,
  spi: { base: 0x3f402000, usr: 0x18, usr1: 0x1c, usr2: 0x20, mosiDlen: 0x24, misoDlen: 0x28, w0: 0x58 },
  memoryMap: [
    { start: 0x00000000, end: 0x00010000, name: 'PADDING' },
    { start: 0x3f000000, end: 0x3ff80000, name: 'DROM' },
    { start: 0x3f500000, end: 0x3ff80000, name: 'EXTRAM_DATA' },
    { start: 0x3ff9e000, end: 0x3ffa0000, name: 'RTC_DRAM' },
    { start: 0x3ff9e000, end: 0x40000000, name: 'BYTE_ACCESSIBLE' },
    { start: 0x3ff9e000, end: 0x40072000, name: 'MEM_INTERNAL' },
    { start: 0x3ffb0000, end: 0x40000000, name: 'DRAM' },
    { start: 0x40000000, end: 0x4001a100, name: 'IROM_MASK' },
    { start: 0x40020000, end: 0x40070000, name: 'IRAM' },
    { start: 0x40070000, end: 0x40072000, name: 'RTC_IRAM' },
    { start: 0x40080000, end: 0x40800000, name: 'IROM' },
    { start: 0x50000000, end: 0x50002000, name: 'RTC_DATA' },
  ],
  flashFrequencies: ESP32_FLASH_FREQUENCIES,
  rtcWatchdog: { config0: RTC_CNTL_BASE + 0x94, config1: RTC_CNTL_BASE + 0x98, writeProtect: RTC_CNTL_BASE + 0xac },
  identity: {
    async description(read) {
      const model = MODELS[(await flashCap(read)) + (await psramCap(read)) * 100] ?? 'unknown ESP32-S2'
      return `${model} (revision v${await majorRevision(read)}.${await minorRevision(read)})`
    },
    async features(read) {
      return [
        'Wi-Fi',
        FLASH[await flashCap(read)] ?? 'Unknown Embedded Flash',
        PSRAM[await psramCap(read)] ?? 'Unknown Embedded PSRAM',
        BLK2_CALIBRATION[await field(read, BLOCK2 + 4 * 4, 4, 0x07)] ?? 'Unknown Calibration in BLK2',
      ]
    },
    crystal: () => fixedCrystal(40),
    mac: (read) => readMac(read, MAC_EFUSE),
    revision: async (read) => (await majorRevision(read)) * 100 + (await minorRevision(read)),
  },
})
