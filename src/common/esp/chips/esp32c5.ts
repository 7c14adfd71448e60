// ESP32-C5 (esptool targets/esp32c5.py). Data from esptool v5; description and features
// as esptool-js 0.7.0 words them.
import { defineChip, type ReadReg } from './chip-def'
import { crystalFromUartDivider, field, readMac } from './efuse'
import { C5_FLASH_FREQUENCIES } from './flash-frequencies'
import { C6_SPI } from './esp32c6'

const EFUSE_BASE = 0x600b4800
const BLOCK1 = EFUSE_BASE + 0x44
const UART_CLKDIV_REG = 0x60000014
const MAC_EFUSE = { low: BLOCK1, high: BLOCK1 + 4 }

const block1 = (read: ReadReg, word: number, shift: number, mask: number) => field(read, BLOCK1 + 4 * word, shift, mask)
const majorRevision = (read: ReadReg) => block1(read, 2, 4, 0x03)
const minorRevision = (read: ReadReg) => block1(read, 2, 0, 0x0f)

export const ESP32C5 = defineChip({
  name: 'esp32c5',
  displayName: 'ESP32-C5',
  imageChipId: 23,
  magicValues: [0x1101406f, 0x63e1406f, 0x5fd1406f, 0x30e1706f],
  detectedByMagic: false,
  romHasSecurityInfo: true,
  romFlashBeginEncryptedWord: true,
  // The first two sectors are reserved.
  bootloaderOffset: 0x2000,
  macEfuse: MAC_EFUSE,
  spi: C6_SPI,
  uartClkdivReg: UART_CLKDIV_REG,
  memoryMap: [
    { start: 0x00000000, end: 0x00010000, name: 'PADDING' },
    { start: 0x42000000, end: 0x44000000, name: 'DROM' },
    { start: 0x40800000, end: 0x40860000, name: 'DRAM' },
    { start: 0x40800000, end: 0x40860000, name: 'BYTE_ACCESSIBLE' },
    { start: 0x4003a000, end: 0x40040000, name: 'DROM_MASK' },
    { start: 0x40000000, end: 0x4003a000, name: 'IROM_MASK' },
    { start: 0x42000000, end: 0x44000000, name: 'IROM' },
    { start: 0x40800000, end: 0x40860000, name: 'IRAM' },
    { start: 0x50000000, end: 0x50004000, name: 'RTC_IRAM' },
    { start: 0x50000000, end: 0x50004000, name: 'RTC_DRAM' },
    { start: 0x600fe000, end: 0x60100000, name: 'MEM_INTERNAL2' },
  ],
  flashFrequencies: C5_FLASH_FREQUENCIES,
  identity: {
    async description(read) {
      const model = (await block1(read, 2, 26, 0x07)) === 0 ? 'ESP32-C5' : 'unknown ESP32-C5'
      return `${model} (revision v${await majorRevision(read)}.${await minorRevision(read)})`
    },
    features: async () => ['Wi-Fi 6 (dual-band)', 'BT 5 (LE)', 'IEEE802.15.4', 'Single Core + LP Core', '240MHz'],
    // The C5 comes with a 26, 40 or 48 MHz crystal.
    crystal: (read, baud) => crystalFromUartDivider(read, UART_CLKDIV_REG, baud, { allow48MHz: true }),
    mac: (read) => readMac(read, MAC_EFUSE),
    revision: async (read) => (await majorRevision(read)) * 100 + (await minorRevision(read)),
  },
})
