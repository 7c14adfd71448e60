// The registers a host reads to learn the ESP32's crystal, computed the way esptool does
// (loader.get_crystal_freq and ESP32ROM.get_rom_cal_crystal_freq), at the rate the chip
// runs at when they are read.
import { describe, expect, it } from 'vitest'
import { ESP32 } from '../../../src/common/esp/chips'
import { RegisterFile, uartClkdiv } from '../../../src/twin/registers'

const mac = Uint8Array.from([0x24, 0x0a, 0xc4, 0x01, 0x02, 0x03])

function registersAt(baud: number): RegisterFile {
  return new RegisterFile(ESP32, mac, 0x1640ef, () => baud)
}

/** esptool: baud * (UART_CLKDIV & 0xFFFFF) / 1e6 / XTAL_CLK_DIVIDER (1 on the ESP32). */
function estimatedCrystalMHz(registers: RegisterFile, baud: number): number {
  return (baud * (registers.read(ESP32.uartClkdivReg ?? 0) & 0xfffff)) / 1e6
}

describe('ESP32 crystal registers', () => {
  for (const baud of [115200, 230400, 460800, 921600]) {
    it(`read as a 40 MHz crystal (within esptool's 1 MHz) at ${baud} baud`, () => {
      expect(Math.abs(estimatedCrystalMHz(registersAt(baud), baud) - 40)).toBeLessThan(1)
    })
  }

  it('gives the ROM crystal estimate esptool scales CHANGE_BAUDRATE by: 40 MHz, not 0', () => {
    const cal = ESP32.twin.romXtalCalibration
    expect(cal).toBeDefined()
    const registers = registersAt(115200)
    const caliValue = (registers.read(cal?.rtcCaliCfg1Reg ?? 0) >>> 7) & 0x01ffffff
    const ck8m = registers.read(cal?.ck8mFreqEfuseReg ?? 0) & 0xff
    const romFreq = (caliValue * 15625 * ck8m) / 40
    expect(romFreq).toBe(40_000_000)
    // esptool then asks the ROM for baud * romFreq // 40 MHz: the rate itself.
    expect(Math.floor((921600 * romFreq) / 40_000_000)).toBe(921600)
  })

  it('packs the divider as ESP-IDF does: integer in bits 0..19, sixteenths in 20..23', () => {
    // 40 MHz / 115200 = 347.22 -> 347 and 3/16.
    expect(uartClkdiv(40_000_000, 115200)).toBe((3 << 20) | 347)
  })
})
