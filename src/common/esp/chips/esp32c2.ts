// ESP32-C2 (esptool targets/esp32c2.py). Data and revision from esptool v5; description
// and features as esptool-js 0.7.0 words them.
import { defineChip, type ReadReg } from './chip-def'
import { crystalFromUartDivider, field, readMac } from './efuse'
import { C2_FLASH_FREQUENCIES } from './flash-frequencies'

const EFUSE_BASE = 0x60008800
const BLOCK2 = EFUSE_BASE + 0x40
const UART_CLKDIV_REG = 0x60000014
const MAC_EFUSE = { low: BLOCK2, high: BLOCK2 + 4 }

const block2 = (read: ReadReg, word: number, shift: number, mask: number) => field(read, BLOCK2 + 4 * word, shift, mask)

export const ESP32C2 = defineChip({
  name: 'esp32c2',
  displayName: 'ESP32-C2',
  imageChipId: 12,
  magicValues: [0x6f51306f, 0x7c41a06f, 0x0c21e06f],
  detectedByMagic: false,
  romHasSecurityInfo: true,
  romFlashBeginEncryptedWord: true,
  bootloaderOffset: 0x0,
  macEfuse: MAC_EFUSE,
  spi: { base: 0x60002000, usr: 0x18, usr1: 0x1c, usr2: 0x20, mosiDlen: 0x24, misoDlen: 0x28, w0: 0x58 },
  uartClkdivReg: UART_CLKDIV_REG,
  memoryMap: [
    { start: 0x00000000, end: 0x00010000, name: 'PADDING' },
    { start: 0x3c000000, end: 0x3c400000, name: 'DROM' },
    { start: 0x3fca0000, end: 0x3fce0000, name: 'DRAM' },
    { start: 0x3fc88000, end: 0x3fd00000, name: 'BYTE_ACCESSIBLE' },
    { start: 0x3ff00000, end: 0x3ff50000, name: 'DROM_MASK' },
    { start: 0x40000000, end: 0x40090000, name: 'IROM_MASK' },
    { start: 0x42000000, end: 0x42400000, name: 'IROM' },
    { start: 0x4037c000, end: 0x403c0000, name: 'IRAM' },
  ],
  flashFrequencies: C2_FLASH_FREQUENCIES,
  identity: {
    async description(read) {
      const pkg = await block2(read, 1, 22, 0x07)
      // esptool-js prints the major revision bits only, without "v".
      return `${pkg === 0 || pkg === 1 ? 'ESP32-C2' : 'unknown ESP32-C2'} (revision ${await block2(read, 1, 20, 0x03)})`
    },
    features: async () => ['Wi-Fi', 'BLE'],
    // The C2 comes with a 26 or a 40 MHz crystal.
    crystal: (read, baud) => crystalFromUartDivider(read, UART_CLKDIV_REG, baud),
    mac: (read) => readMac(read, MAC_EFUSE),
    revision: async (read) => (await block2(read, 1, 20, 0x03)) * 100 + (await block2(read, 1, 16, 0x0f)),
  },
})
