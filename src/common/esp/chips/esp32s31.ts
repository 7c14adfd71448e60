// ESP32-S31 (esptool targets/esp32s31.py). Data from esptool v5; description and features
// as esptool-js 0.7.0 words them.
import { defineChip, type ReadReg } from './chip-def'
import { field, fixedCrystal, readMac } from './efuse'
import { C5_FLASH_FREQUENCIES } from './flash-frequencies'

const EFUSE_BASE = 0x20715000
const BLOCK1 = EFUSE_BASE + 0x50
const MAC_EFUSE = { low: BLOCK1, high: BLOCK1 + 4 }

const block1 = (read: ReadReg, word: number, shift: number, mask: number) => field(read, BLOCK1 + 4 * word, shift, mask)
const majorRevision = (read: ReadReg) => block1(read, 3, 22, 0x03)
const minorRevision = (read: ReadReg) => block1(read, 3, 18, 0x0f)

export const ESP32S31 = defineChip({
  name: 'esp32s31',
  displayName: 'ESP32-S31',
  imageChipId: 32,
  magicValues: [],
  detectedByMagic: false,
  romHasSecurityInfo: true,
  romFlashBeginEncryptedWord: true,
  // The first two sectors are reserved.
  bootloaderOffset: 0x2000,
  macEfuse: MAC_EFUSE,
  spi: { base: 0x20501000, usr: 0x18, usr1: 0x1c, usr2: 0x20, mosiDlen: 0x24, misoDlen: 0x28, w0: 0x58 },
  memoryMap: [
    { start: 0x00000000, end: 0x00010000, name: 'PADDING' },
    { start: 0x40000000, end: 0x54000000, name: 'DROM' },
    { start: 0x2f000000, end: 0x2f080000, name: 'DRAM' },
    { start: 0x2f000000, end: 0x2f080000, name: 'BYTE_ACCESSIBLE' },
    { start: 0x2f800000, end: 0x2f850000, name: 'DROM_MASK' },
    { start: 0x2f800000, end: 0x2f850000, name: 'IROM_MASK' },
    { start: 0x40000000, end: 0x54000000, name: 'IROM' },
    { start: 0x2f000000, end: 0x2f080000, name: 'IRAM' },
    { start: 0x2e000000, end: 0x2e008000, name: 'RTC_IRAM' },
    { start: 0x2e000000, end: 0x2e008000, name: 'RTC_DRAM' },
  ],
  flashFrequencies: C5_FLASH_FREQUENCIES,
  identity: {
    async description(read) {
      const model = (await block1(read, 4, 6, 0x03)) === 0 ? 'ESP32-S31' : 'unknown ESP32-S31'
      return `${model} (revision v${await majorRevision(read)}.${await minorRevision(read)})`
    },
    features: async () => ['Wi-Fi 6', 'BT 5.4 (LE)', 'IEEE802.15.4', 'Dual Core + LP Core', '300MHz'],
    crystal: () => fixedCrystal(40),
    mac: (read) => readMac(read, MAC_EFUSE),
    revision: async (read) => (await majorRevision(read)) * 100 + (await minorRevision(read)),
  },
})
