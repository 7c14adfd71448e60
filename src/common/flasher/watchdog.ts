// RTC watchdog reset (esptool --after watchdog-reset, v4.9+): the only way to leave download
// mode on native-USB chips whose BOOT strap is not re-sampled by a USB-JTAG core reset.
// Which chips have it, and where its registers are, is chip data (ChipDef.rtcWatchdog).
import type { ChipDef } from '../esp/chips'

export const RTC_WDT_WRITE_KEY = 0x50d83aa1

/** The register writes, in order: unlock, timeout, enable with system reset on expiry, lock. */
export function watchdogResetWrites(chip: ChipDef): Array<[address: number, value: number]> | undefined {
  const regs = chip.rtcWatchdog
  if (!regs) return undefined
  return [
    [regs.writeProtect, RTC_WDT_WRITE_KEY],
    [regs.config1, 2000],
    [regs.config0, ((1 << 31) | (5 << 28) | (1 << 8) | 2) >>> 0],
    [regs.writeProtect, 0],
  ]
}
