// ESP32-E22 (esptool targets/esp32e22.py; no ESP-IDF target yet). Data from esptool v5;
// description and features as esptool-js 0.7.0 words them. Its eFuses carry no package or
// revision fields yet: every chip reads as v0.0.
import { defineChip } from './chip-def'
import { crystalFromUartDivider, readMac } from './efuse'
import { ESP32_FLASH_FREQUENCIES } from './flash-frequencies'

const EFUSE_BASE = 0xc4008000
const UART_CLKDIV_REG = 0xc3102000 + 0x14
const MAC_EFUSE = { low: EFUSE_BASE + 0x44, high: EFUSE_BASE + 0x48 }

export const ESP32E22 = defineChip({
  name: 'esp32e22',
  displayName: 'ESP32-E22',
  imageChipId: 31,
  magicValues: [],
  detectedByMagic: false,
  romHasSecurityInfo: true,
  romFlashBeginEncryptedWord: true,
  bootloaderOffset: 0x0,
  macEfuse: MAC_EFUSE,
  // SPIMEM1.
  spi: { base: 0xc3003000, usr: 0x18, usr1: 0x1c, usr2: 0x20, mosiDlen: 0x24, misoDlen: 0x28, w0: 0x58 },
  uartClkdivReg: UART_CLKDIV_REG,
  memoryMap: [
    { start: 0x00000000, end: 0x00010000, name: 'PADDING' },
    { start: 0x3c000000, end: 0x40000000, name: 'DROM' },
    { start: 0x31000000, end: 0x31200000, name: 'DRAM' },
    { start: 0x31000000, end: 0x31200000, name: 'BYTE_ACCESSIBLE' },
    { start: 0x30000000, end: 0x30120000, name: 'DROM_MASK' },
    { start: 0x30000000, end: 0x30120000, name: 'IROM_MASK' },
    { start: 0x3c000000, end: 0x40000000, name: 'IROM' },
    { start: 0x30fe0000, end: 0x31200000, name: 'IRAM' },
    { start: 0xc0000000, end: 0xc0008000, name: 'RTC_IRAM' },
    { start: 0xc0000000, end: 0xc0008000, name: 'RTC_DRAM' },
  ],
  flashFrequencies: ESP32_FLASH_FREQUENCIES,
  identity: {
    description: async () => 'ESP32-E22 (revision v0.0)',
    features: async () => ['Wi-Fi 6E (tri-band, 2x2 MU-MIMO)', 'BT 5.4 (LE) + Classic', 'Dual Core', '500MHz'],
    // esptool-js inherits the ESP32's estimate from the UART divider here.
    crystal: (read, baud) => crystalFromUartDivider(read, UART_CLKDIV_REG, baud),
    mac: (read) => readMac(read, MAC_EFUSE),
    revision: async () => 0,
  },
})
