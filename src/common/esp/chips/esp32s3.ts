// ESP32-S3 (esptool targets/esp32s3.py, v4). ROM banner as printed by the 2021-03-27 mask ROM.
import { defineChip } from './chip-def'

const EFUSE_BASE = 0x60007000

export const ESP32S3 = defineChip({
  id: 'esp32s3',
  name: 'ESP32-S3',
  imageChipId: 9,
  magicValues: [0x00000009],
  romHasSecurityInfo: true,
  romFlashBeginEncryptedWord: true,
  // MAC_EFUSE_REG = EFUSE_BASE + 0x44 (mac0), next word mac1 (top 16 bits unused).
  macEfuse: { low: EFUSE_BASE + 0x44, high: EFUSE_BASE + 0x48 },
  efuseBase: EFUSE_BASE,
  spi: { base: 0x60002000, usr: 0x18, usr1: 0x1c, usr2: 0x20, mosiDlen: 0x24, misoDlen: 0x28, w0: 0x58 },
  uartClkdivReg: 0x60000014,
  uartClockHz: 40_000_000,
  bootloaderOffset: 0x0,
  usb: { vendorId: 0x303a, jtagSerialPid: 0x1001, otgPid: 0x0002 },
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
  romBannerPrefix: ['ESP-ROM:esp32s3-20210327', 'Build:Mar 27 2021'],
  romText: {
    powerOnReset: '0x1 (POWERON)',
    rtcWatchdogReset: '0x10 (RTCWDT_RTC_RST)',
    softwareReset: '0xc (RTC_SW_CPU_RST)',
    downloadBoot: '0x0 (DOWNLOAD(USB/UART0))',
    flashBoot: '0x8 (SPI_FAST_FLASH_BOOT)',
    loadLengthHex: true,
  },
})
