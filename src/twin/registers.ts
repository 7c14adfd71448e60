// The memory-mapped registers a flasher reads and writes through READ_REG/WRITE_REG:
// the chip-detect magic word, the eFuse MAC words, the UART divider, and just enough
// of the SPI controller to run RDID (JEDEC id) and status-register reads.
import { CHIP_DETECT_MAGIC_REG_ADDR, efuseWordsFromMac, type TwinChipDef } from '../common/esp/chips'
import { SPIFLASH_RDID } from '../common/esp/flash-id'

const SPI_CMD_USR = 1 << 18

export class RegisterFile {
  private readonly values = new Map<number, number>()

  constructor(
    private readonly chip: TwinChipDef,
    mac: Uint8Array,
    private readonly jedecId: number,
    private readonly currentBaud: () => number,
  ) {
    const words = efuseWordsFromMac(mac)
    this.values.set(CHIP_DETECT_MAGIC_REG_ADDR, chip.magicValues[0] ?? 0)
    this.values.set(chip.macEfuse.low, words.low)
    // ESP32: the top 16 bits of word 2 hold the MAC CRC; esptool drops them. Keep them 0.
    this.values.set(chip.macEfuse.high, words.high)
    const cal = chip.twin.romXtalCalibration
    if (cal) {
      // RTCCALICFG1 keeps the cali value in bits 7..31.
      this.values.set(cal.rtcCaliCfg1Reg, (cal.rtcCaliValue << 7) >>> 0)
      this.values.set(cal.ck8mFreqEfuseReg, cal.ck8mFreq & 0xff)
    }
  }

  read(address: number): number {
    const addr = address >>> 0
    if (addr === this.chip.uartClkdivReg) return uartClkdiv(this.chip.twin.uartClockHz, this.currentBaud())
    return this.values.get(addr) ?? 0
  }

  write(address: number, value: number, mask = 0xffffffff): void {
    const addr = address >>> 0
    const merged = ((this.read(addr) & ~mask) | (value & mask)) >>> 0
    this.values.set(addr, merged)
    if (addr === this.chip.spi.base && (merged & SPI_CMD_USR) !== 0) this.runSpiCommand()
  }

  /** The controller finishes instantly: the result lands in W0 and the USR bit clears. */
  private runSpiCommand(): void {
    const spi = this.chip.spi
    const command = this.read(spi.base + spi.usr2) & 0xff
    // RDID answers the JEDEC id; status-register reads (RDSR/RDSR2) answer 0 (idle, unprotected).
    const result = command === SPIFLASH_RDID ? this.jedecId : 0
    this.values.set(spi.base + spi.w0, result >>> 0)
    this.values.set(spi.base, this.read(spi.base) & ~SPI_CMD_USR)
  }
}

/**
 * UART_CLKDIV as the ROM and ESP-IDF program it: clk*16/baud, integer part in bits 0..19,
 * sixteenths in bits 20..23. esptool masks 0xFFFFF, so it sees the integer part only.
 */
export function uartClkdiv(clockHz: number, baud: number): number {
  const sixteenths = Math.floor((clockHz * 16) / Math.max(1, baud))
  return (((sixteenths & 0xf) << 20) | ((sixteenths >>> 4) & 0xfffff)) >>> 0
}
