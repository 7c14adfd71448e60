// ESP32-C6 (esptool targets/esp32c6.py). Data and revision from esptool v5; description
// and features as esptool-js 0.7.0 words them.
import { defineChip, type ReadReg } from './chip-def'
import { field, fixedCrystal, readMac } from './efuse'
import { C6_FLASH_FREQUENCIES } from './flash-frequencies'

const EFUSE_BASE = 0x600b0800
const BLOCK1 = EFUSE_BASE + 0x44
const MAC_EFUSE = { low: BLOCK1, high: BLOCK1 + 4 }

const block1 = (read: ReadReg, word: number, shift: number, mask: number) => field(read, BLOCK1 + 4 * word, shift, mask)

/** The C6 layout, shared by the H2 (and through it the H21), which inherit it in esptool. */
export const C6_MEMORY_MAP = [
  { start: 0x00000000, end: 0x00010000, name: 'PADDING' },
  { start: 0x42000000, end: 0x43000000, name: 'DROM' },
  { start: 0x40800000, end: 0x40880000, name: 'DRAM' },
  { start: 0x40800000, end: 0x40880000, name: 'BYTE_ACCESSIBLE' },
  { start: 0x4004ac00, end: 0x40050000, name: 'DROM_MASK' },
  { start: 0x40000000, end: 0x4004ac00, name: 'IROM_MASK' },
  { start: 0x42000000, end: 0x43000000, name: 'IROM' },
  { start: 0x40800000, end: 0x40880000, name: 'IRAM' },
  { start: 0x50000000, end: 0x50004000, name: 'RTC_IRAM' },
  { start: 0x50000000, end: 0x50004000, name: 'RTC_DRAM' },
  { start: 0x600fe000, end: 0x60100000, name: 'MEM_INTERNAL2' },
]

/** SPI registers of the C6, shared by the chips that inherit them in esptool (C5, C61, H2, H21). */
export const C6_SPI = { base: 0x60003000, usr: 0x18, usr1: 0x1c, usr2: 0x20, mosiDlen: 0x24, misoDlen: 0x28, w0: 0x58 }

export const ESP32C6 = defineChip({
  name: 'esp32c6',
  displayName: 'ESP32-C6',
  imageChipId: 13,
  magicValues: [0x2ce0806f],
  detectedByMagic: false,
  romHasSecurityInfo: true,
  romFlashBeginEncryptedWord: true,
  bootloaderOffset: 0x0,
  macEfuse: MAC_EFUSE,
  spi: C6_SPI,
  memoryMap: C6_MEMORY_MAP,
  flashFrequencies: C6_FLASH_FREQUENCIES,
  identity: {
    async description(read) {
      // esptool-js prints the low revision bits only, without "v".
      const model = (await block1(read, 3, 21, 0x07)) === 0 ? 'ESP32-C6' : 'unknown ESP32-C6'
      return `${model} (revision ${await block1(read, 3, 18, 0x07)})`
    },
    features: async () => ['Wi-Fi 6', 'BT 5', 'IEEE802.15.4'],
    crystal: () => fixedCrystal(40),
    mac: (read) => readMac(read, MAC_EFUSE),
    revision: async (read) => (await block1(read, 3, 22, 0x03)) * 100 + (await block1(read, 3, 18, 0x0f)),
  },
})
