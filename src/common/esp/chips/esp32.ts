// ESP32 (esptool targets/esp32.py). Values from esptool v4; the ROM banner from a
// rev-3 chip's boot log.
import { defineChip } from './chip-def'

export const ESP32 = defineChip({
  id: 'esp32',
  name: 'ESP32',
  imageChipId: 0,
  magicValues: [0x00f01d83],
  romHasSecurityInfo: false,
  romFlashBeginEncryptedWord: false,
  // EFUSE_RD_REG_BASE 0x3FF5A000: MAC in read words 1 (low) and 2 (high, top 16 bits CRC).
  macEfuse: { low: 0x3ff5a004, high: 0x3ff5a008 },
  efuseBase: 0x3ff5a000,
  spi: { base: 0x3ff42000, usr: 0x1c, usr1: 0x20, usr2: 0x24, mosiDlen: 0x28, misoDlen: 0x2c, w0: 0x80 },
  uartClkdivReg: 0x3ff40014,
  // The ROM runs the APB bus from the 40 MHz crystal; esptool derives the crystal from this.
  uartClockHz: 40_000_000,
  // Estimate = cali * 15625 * ck8m / 40 (esptool get_rom_cal_crystal_freq): 1280 and 80
  // make it exactly 40 MHz, so the ROM's divider and the requested baud agree.
  romXtalCalibration: { rtcCaliCfg1Reg: 0x3ff5f06c, rtcCaliValue: 1280, ck8mFreqEfuseReg: 0x3ff5a010, ck8mFreq: 80 },
  bootloaderOffset: 0x1000,
  usb: undefined,
  memoryMap: [
    { start: 0x00000000, end: 0x00010000, name: 'PADDING' },
    { start: 0x3f400000, end: 0x3f800000, name: 'DROM' },
    { start: 0x3f800000, end: 0x3fc00000, name: 'EXTRAM_DATA' },
    { start: 0x3ff80000, end: 0x3ff82000, name: 'RTC_DRAM' },
    { start: 0x3ff90000, end: 0x40000000, name: 'BYTE_ACCESSIBLE' },
    { start: 0x3ffae000, end: 0x40000000, name: 'DRAM' },
    { start: 0x3ffe0000, end: 0x3ffffffc, name: 'DIRAM_DRAM' },
    { start: 0x40000000, end: 0x40070000, name: 'IROM' },
    { start: 0x40070000, end: 0x40078000, name: 'CACHE_PRO' },
    { start: 0x40078000, end: 0x40080000, name: 'CACHE_APP' },
    { start: 0x40080000, end: 0x400a0000, name: 'IRAM' },
    { start: 0x400a0000, end: 0x400bfffc, name: 'DIRAM_IRAM' },
    { start: 0x400c0000, end: 0x400c2000, name: 'RTC_IRAM' },
    { start: 0x400d0000, end: 0x40400000, name: 'IROM' },
    { start: 0x50000000, end: 0x50002000, name: 'RTC_DATA' },
  ],
  romBannerPrefix: ['ets Jun  8 2016 00:22:57', ''],
  romText: {
    powerOnReset: '0x1 (POWERON_RESET)',
    rtcWatchdogReset: '0x10 (RTCWDT_RTC_RESET)',
    softwareReset: '0xc (SW_CPU_RESET)',
    downloadBoot: '0x3 (DOWNLOAD_BOOT(UART0/UART1/SDIO_REI_REO_V2))',
    flashBoot: '0x13 (SPI_FAST_FLASH_BOOT)',
    loadLengthHex: false,
  },
})
