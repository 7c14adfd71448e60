// ESP32-C3 (esptool targets/esp32c3.py, v4). ROM banner as printed by the api1 mask ROM.
import { defineChip } from './chip-def'

const EFUSE_BASE = 0x60008800

export const ESP32C3 = defineChip({
  id: 'esp32c3',
  name: 'ESP32-C3',
  imageChipId: 5,
  magicValues: [0x6921506f, 0x1b31506f, 0x4881606f, 0x4361606f],
  romHasSecurityInfo: true,
  romFlashBeginEncryptedWord: true,
  macEfuse: { low: EFUSE_BASE + 0x44, high: EFUSE_BASE + 0x48 },
  efuseBase: EFUSE_BASE,
  spi: { base: 0x60002000, usr: 0x18, usr1: 0x1c, usr2: 0x20, mosiDlen: 0x24, misoDlen: 0x28, w0: 0x58 },
  uartClkdivReg: 0x60000014,
  uartClockHz: 40_000_000,
  bootloaderOffset: 0x0,
  usb: { vendorId: 0x303a, jtagSerialPid: 0x1001 },
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
  romBannerPrefix: ['ESP-ROM:esp32c3-api1-20210207', 'Build:Feb  7 2021'],
  romText: {
    powerOnReset: '0x1 (POWERON)',
    rtcWatchdogReset: '0x10 (RTCWDT_RTC_RST)',
    softwareReset: '0x3 (RTC_SW_SYS_RST)',
    downloadBoot: '0x7 (DOWNLOAD(USB/UART0/1))',
    flashBoot: '0xc (SPI_FAST_FLASH_BOOT)',
    loadLengthHex: true,
  },
})
