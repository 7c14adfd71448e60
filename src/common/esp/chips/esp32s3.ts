// ESP32-S3 (esptool targets/esp32s3.py). Data from esptool v5; description and features
// decoded as esptool-js 0.7.0 words them; the ROM banner from the 2021-03-27 mask ROM.
import { defineChip, type ReadReg } from './chip-def'
import { embeddedMemory, field, fixedCrystal, readMac } from './efuse'
import { ESP32_FLASH_FREQUENCIES } from './flash-frequencies'

const EFUSE_BASE = 0x60007000
const BLOCK1 = EFUSE_BASE + 0x44
const BLOCK2 = EFUSE_BASE + 0x5c
const RTC_CNTL_BASE = 0x60008000
// mac0, then mac1 (top 16 bits unused).
const MAC_EFUSE = { low: BLOCK1, high: BLOCK1 + 4 }

const block1 = (read: ReadReg, word: number, shift: number, mask: number) => field(read, BLOCK1 + 4 * word, shift, mask)
const rawMinor = async (read: ReadReg) => ((await block1(read, 5, 23, 0x01)) << 3) + (await block1(read, 3, 18, 0x07))

/** Revision v0.0 chips used the major-version field for something else (block version v1.1). */
async function isEco0(read: ReadReg, minor: number): Promise<boolean> {
  return (minor & 0x7) === 0 && (await field(read, BLOCK2 + 4 * 4, 0, 0x03)) === 1 && (await block1(read, 3, 24, 0x07)) === 1
}
async function minorRevision(read: ReadReg): Promise<number> {
  const minor = await rawMinor(read)
  return (await isEco0(read, minor)) ? 0 : minor
}
async function majorRevision(read: ReadReg): Promise<number> {
  return (await isEco0(read, await rawMinor(read))) ? 0 : block1(read, 5, 24, 0x03)
}

const PACKAGES: Record<number, string> = { 0: 'ESP32-S3 (QFN56)', 1: 'ESP32-S3-PICO-1 (LGA56)' }
const FLASH_VENDORS: Record<number, string> = { 1: 'XMC', 2: 'GD', 3: 'FM', 4: 'TT', 5: 'BY' }
const PSRAM_VENDORS: Record<number, string> = { 1: 'AP_3v3', 2: 'AP_1v8' }

export const ESP32S3 = defineChip({
  name: 'esp32s3',
  displayName: 'ESP32-S3',
  imageChipId: 9,
  magicValues: [0x00000009],
  detectedByMagic: false,
  romHasSecurityInfo: true,
  romFlashBeginEncryptedWord: true,
  bootloaderOffset: 0x0,
  macEfuse: MAC_EFUSE,
  spi: { base: 0x60002000, usr: 0x18, usr1: 0x1c, usr2: 0x20, mosiDlen: 0x24, misoDlen: 0x28, w0: 0x58 },
  uartClkdivReg: 0x60000014,
  memoryMap: [
    { start: 0x00000000, end: 0x00010000, name: 'PADDING' },
    { start: 0x3c000000, end: 0x3d000000, name: 'DROM' },
    { start: 0x3d000000, end: 0x3e000000, name: 'EXTRAM_DATA' },
    { start: 0x600fe000, end: 0x60100000, name: 'RTC_DRAM' },
    { start: 0x3fc88000, end: 0x3fd00000, name: 'BYTE_ACCESSIBLE' },
    { start: 0x3fc88000, end: 0x403e2000, name: 'MEM_INTERNAL' },
    { start: 0x3fc88000, end: 0x3fd00000, name: 'DRAM' },
    { start: 0x40000000, end: 0x4001a100, name: 'IROM_MASK' },
    { start: 0x40370000, end: 0x403e0000, name: 'IRAM' },
    { start: 0x600fe000, end: 0x60100000, name: 'RTC_IRAM' },
    { start: 0x42000000, end: 0x42800000, name: 'IROM' },
    { start: 0x50000000, end: 0x50002000, name: 'RTC_DATA' },
  ],
  flashFrequencies: ESP32_FLASH_FREQUENCIES,
  rtcWatchdog: { config0: RTC_CNTL_BASE + 0x98, config1: RTC_CNTL_BASE + 0x9c, writeProtect: RTC_CNTL_BASE + 0xb0 },
  identity: {
    async description(read) {
      const major = await majorRevision(read)
      const minor = await minorRevision(read)
      return `${PACKAGES[await block1(read, 3, 21, 0x07)] ?? 'unknown ESP32-S3'} (revision v${major}.${minor})`
    },
    async features(read) {
      const features = ['Wi-Fi', 'BLE']
      const flash = embeddedMemory(
        { 1: 'Embedded Flash 8MB', 2: 'Embedded Flash 4MB' },
        'Unknown Embedded Flash',
        await block1(read, 3, 27, 0x07),
        FLASH_VENDORS[await block1(read, 4, 0, 0x07)],
      )
      const psram = embeddedMemory(
        { 1: 'Embedded PSRAM 8MB', 2: 'Embedded PSRAM 2MB' },
        'Unknown Embedded PSRAM',
        await block1(read, 4, 3, 0x03),
        PSRAM_VENDORS[await block1(read, 4, 7, 0x03)],
      )
      return [...features, ...flash, ...psram]
    },
    crystal: () => fixedCrystal(40),
    mac: (read) => readMac(read, MAC_EFUSE),
    revision: async (read) => (await majorRevision(read)) * 100 + (await minorRevision(read)),
  },
  twin: {
    uartClockHz: 40_000_000,
    romBannerPrefix: ['ESP-ROM:esp32s3-20210327', 'Build:Mar 27 2021'],
    romText: {
      powerOnReset: '0x1 (POWERON)',
      rtcWatchdogReset: '0x10 (RTCWDT_RTC_RST)',
      softwareReset: '0xc (RTC_SW_CPU_RST)',
      downloadBoot: '0x0 (DOWNLOAD(USB/UART0))',
      flashBoot: '0x8 (SPI_FAST_FLASH_BOOT)',
      loadLengthHex: true,
    },
  },
})
