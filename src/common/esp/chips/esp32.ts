// ESP32 (esptool targets/esp32.py). Data from esptool v5; description and features decoded
// as esptool-js 0.7.0 words them; the ROM banner from a rev-3 chip's boot log.
import { defineChip, type ReadReg } from './chip-def'
import { crystalFromUartDivider, field, readMac } from './efuse'
import { ESP32_FLASH_FREQUENCIES } from './flash-frequencies'

const EFUSE_RD_REG_BASE = 0x3ff5a000
/** APB_CTL_DATE: bit 31 is the third revision bit. */
const APB_CTL_DATE_ADDR = 0x3ff66000 + 0x7c
const UART_CLKDIV_REG = 0x3ff40014
/** Read words 1 (low) and 2 (high, top 16 bits a CRC). */
const MAC_EFUSE = { low: EFUSE_RD_REG_BASE + 4, high: EFUSE_RD_REG_BASE + 8 }

const efuse = (read: ReadReg, word: number) => read(EFUSE_RD_REG_BASE + 4 * word)

async function packageVersion(read: ReadReg): Promise<number> {
  const word3 = await efuse(read, 3)
  return ((word3 >>> 9) & 0x07) + (((word3 >>> 2) & 0x1) << 3)
}

/** The major revision from three scattered bits (ECO0…ECO3), as esptool-js reads them. */
async function majorRevision(read: ReadReg): Promise<number> {
  const bit0 = await field(read, EFUSE_RD_REG_BASE + 4 * 3, 15, 0x1)
  const bit1 = await field(read, EFUSE_RD_REG_BASE + 4 * 5, 20, 0x1)
  const bit2 = await field(read, APB_CTL_DATE_ADDR, 31, 0x1)
  if (!bit0) return 0
  if (!bit1) return 1
  return bit2 ? 3 : 2
}

const minorRevision = (read: ReadReg) => field(read, EFUSE_RD_REG_BASE + 4 * 5, 24, 0x3)

const PACKAGES = ['ESP32-D0WDQ6', 'ESP32-D0WD', 'ESP32-D2WD', '', 'ESP32-U4WDH', 'ESP32-PICO-D4', 'ESP32-PICO-V3-02']
const CODING_SCHEMES = ['None', '3/4', 'Repeat (UNSUPPORTED)', 'Invalid']

export const ESP32 = defineChip({
  name: 'esp32',
  displayName: 'ESP32',
  imageChipId: 0,
  magicValues: [0x00f01d83],
  detectedByMagic: true,
  romHasSecurityInfo: false,
  romFlashBeginEncryptedWord: false,
  bootloaderOffset: 0x1000,
  macEfuse: MAC_EFUSE,
  spi: { base: 0x3ff42000, usr: 0x1c, usr1: 0x20, usr2: 0x24, mosiDlen: 0x28, misoDlen: 0x2c, w0: 0x80 },
  uartClkdivReg: UART_CLKDIV_REG,
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
  flashFrequencies: ESP32_FLASH_FREQUENCIES,
  identity: {
    async description(read) {
      const pkg = await packageVersion(read)
      const revision = await majorRevision(read)
      const names = [...PACKAGES]
      if ((await efuse(read, 3)) & 0x1) {
        names[0] = 'ESP32-S0WDQ6'
        names[1] = 'ESP32-S0WD'
      }
      if (revision === 3) names[5] = 'ESP32-PICO-V3'
      let name = pkg <= 6 ? (names[pkg] as string) : 'Unknown ESP32'
      if (revision === 3 && (pkg === 0 || pkg === 1)) name += '-V3'
      return `${name} (revision ${revision})`
    },
    // esptool-js puts a space before every feature after the first; kept, as PairKit always showed them.
    async features(read) {
      const word3 = await efuse(read, 3)
      const features = ['Wi-Fi']
      if ((word3 & (1 << 1)) === 0) features.push(' BT')
      features.push(word3 & (1 << 0) ? ' Single Core' : ' Dual Core')
      if (word3 & (1 << 13)) features.push(word3 & (1 << 12) ? ' 160MHz' : ' 240MHz')
      const pkg = await packageVersion(read)
      if ([2, 4, 5, 6].includes(pkg)) features.push(' Embedded Flash')
      if (pkg === 6) features.push(' Embedded PSRAM')
      if ((await field(read, EFUSE_RD_REG_BASE + 4 * 4, 8, 0x1f)) !== 0) features.push(' VRef calibration in efuse')
      if ((word3 >>> 14) & 0x1) features.push(' BLK3 partially reserved')
      features.push(` Coding Scheme ${CODING_SCHEMES[(await efuse(read, 6)) & 0x3] as string}`)
      return features
    },
    crystal: (read, baud) => crystalFromUartDivider(read, UART_CLKDIV_REG, baud),
    mac: (read) => readMac(read, MAC_EFUSE),
    revision: async (read) => (await majorRevision(read)) * 100 + (await minorRevision(read)),
  },
  twin: {
    // The ROM runs the APB bus from the 40 MHz crystal; esptool derives the crystal from this.
    uartClockHz: 40_000_000,
    // Estimate = cali * 15625 * ck8m / 40 (esptool get_rom_cal_crystal_freq): 1280 and 80
    // make it exactly 40 MHz, so the ROM's divider and the requested baud agree.
    romXtalCalibration: { rtcCaliCfg1Reg: 0x3ff5f06c, rtcCaliValue: 1280, ck8mFreqEfuseReg: 0x3ff5a010, ck8mFreq: 80 },
    romBannerPrefix: ['ets Jun  8 2016 00:22:57', ''],
    romText: {
      powerOnReset: '0x1 (POWERON_RESET)',
      rtcWatchdogReset: '0x10 (RTCWDT_RTC_RESET)',
      softwareReset: '0xc (SW_CPU_RESET)',
      downloadBoot: '0x3 (DOWNLOAD_BOOT(UART0/UART1/SDIO_REI_REO_V2))',
      flashBoot: '0x13 (SPI_FAST_FLASH_BOOT)',
      loadLengthHex: false,
    },
  },
})
