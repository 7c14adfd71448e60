// ESP32-C3 (esptool targets/esp32c3.py). Data from esptool v5; description and features
// decoded as esptool-js 0.7.0 words them; the ROM banner as printed by the api1 mask ROM.
import { defineChip, type ReadReg } from './chip-def'
import { embeddedMemory, field, fixedCrystal, readMac } from './efuse'
import { ESP32_FLASH_FREQUENCIES } from './flash-frequencies'

const EFUSE_BASE = 0x60008800
const BLOCK1 = EFUSE_BASE + 0x44
const RTC_CNTL_BASE = 0x60008000
const MAC_EFUSE = { low: BLOCK1, high: BLOCK1 + 4 }

const block1 = (read: ReadReg, word: number, shift: number, mask: number) => field(read, BLOCK1 + 4 * word, shift, mask)
const majorRevision = (read: ReadReg) => block1(read, 5, 24, 0x03)
const minorRevision = async (read: ReadReg) => ((await block1(read, 5, 23, 0x01)) << 3) + (await block1(read, 3, 18, 0x07))

const PACKAGES: Record<number, string> = { 0: 'ESP32-C3 (QFN32)', 1: 'ESP8685 (QFN28)', 2: 'ESP32-C3 AZ (QFN32)', 3: 'ESP8686 (QFN24)' }
const FLASH: Record<number, string> = { 1: 'Embedded Flash 4MB', 2: 'Embedded Flash 2MB', 3: 'Embedded Flash 1MB', 4: 'Embedded Flash 8MB' }
const FLASH_VENDORS: Record<number, string> = { 1: 'XMC', 2: 'GD', 3: 'FM', 4: 'TT', 5: 'ZBIT' }

export const ESP32C3 = defineChip({
  name: 'esp32c3',
  displayName: 'ESP32-C3',
  imageChipId: 5,
  magicValues: [0x6921506f, 0x1b31506f, 0x4881606f, 0x4361606f],
  detectedByMagic: false,
  romHasSecurityInfo: true,
  romFlashBeginEncryptedWord: true,
  bootloaderOffset: 0x0,
  macEfuse: MAC_EFUSE,
  spi: { base: 0x60002000, usr: 0x18, usr1: 0x1c, usr2: 0x20, mosiDlen: 0x24, misoDlen: 0x28, w0: 0x58 },
  uartClkdivReg: 0x60000014,
  memoryMap: [
    { start: 0x00000000, end: 0x00010000, name: 'PADDING' },
    { start: 0x3c000000, end: 0x3c800000, name: 'DROM' },
    { start: 0x3fc80000, end: 0x3fce0000, name: 'DRAM' },
    { start: 0x3fc88000, end: 0x3fd00000, name: 'BYTE_ACCESSIBLE' },
    { start: 0x3ff00000, end: 0x3ff20000, name: 'DROM_MASK' },
    { start: 0x40000000, end: 0x40060000, name: 'IROM_MASK' },
    { start: 0x42000000, end: 0x42800000, name: 'IROM' },
    { start: 0x4037c000, end: 0x403e0000, name: 'IRAM' },
    { start: 0x50000000, end: 0x50002000, name: 'RTC_IRAM' },
    { start: 0x50000000, end: 0x50002000, name: 'RTC_DRAM' },
    { start: 0x600fe000, end: 0x60100000, name: 'MEM_INTERNAL2' },
  ],
  flashFrequencies: ESP32_FLASH_FREQUENCIES,
  rtcWatchdog: { config0: RTC_CNTL_BASE + 0x90, config1: RTC_CNTL_BASE + 0x94, writeProtect: RTC_CNTL_BASE + 0xa8 },
  identity: {
    async description(read) {
      const pkg = await block1(read, 3, 21, 0x07)
      return `${PACKAGES[pkg] ?? 'Unknown ESP32-C3'} (revision v${await majorRevision(read)}.${await minorRevision(read)})`
    },
    async features(read) {
      const flash = embeddedMemory(FLASH, 'Unknown Embedded Flash', await block1(read, 3, 27, 0x07), FLASH_VENDORS[await block1(read, 4, 0, 0x07)])
      return ['Wi-Fi', 'BLE', ...flash]
    },
    crystal: () => fixedCrystal(40),
    mac: (read) => readMac(read, MAC_EFUSE),
    revision: async (read) => (await majorRevision(read)) * 100 + (await minorRevision(read)),
  },
  twin: {
    uartClockHz: 40_000_000,
    romBannerPrefix: ['ESP-ROM:esp32c3-api1-20210207', 'Build:Feb  7 2021'],
    romText: {
      powerOnReset: '0x1 (POWERON)',
      rtcWatchdogReset: '0x10 (RTCWDT_RTC_RST)',
      softwareReset: '0x3 (RTC_SW_SYS_RST)',
      downloadBoot: '0x7 (DOWNLOAD(USB/UART0/1))',
      flashBoot: '0xc (SPI_FAST_FLASH_BOOT)',
      loadLengthHex: true,
    },
  },
})
