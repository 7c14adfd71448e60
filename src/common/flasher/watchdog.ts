// RTC watchdog reset (esptool --after watchdog-reset, v4.9+): the only way to leave download
// mode on native-USB chips whose BOOT strap is not re-sampled by a USB-JTAG core reset.
// Register addresses from esptool's targets (RTC_CNTL_WDT* per chip); not available on the
// ESP32, C6, H2 (esptool raises for them too). Assumption: values as in esptool v4.9–v4.12.

export interface WatchdogRegisters {
  config0: number
  config1: number
  writeProtect: number
}

export const RTC_WDT_WRITE_KEY = 0x50d83aa1

export const WATCHDOG_REGISTERS: Readonly<Record<string, WatchdogRegisters>> = {
  esp32s2: { config0: 0x3f408000 + 0x94, config1: 0x3f408000 + 0x98, writeProtect: 0x3f408000 + 0xac },
  esp32s3: { config0: 0x60008000 + 0x98, config1: 0x60008000 + 0x9c, writeProtect: 0x60008000 + 0xb0 },
  esp32c3: { config0: 0x60008000 + 0x90, config1: 0x60008000 + 0x94, writeProtect: 0x60008000 + 0xa8 },
  esp32p4: { config0: 0x50116000 + 0x0, config1: 0x50116000 + 0x4, writeProtect: 0x50116000 + 0x18 },
}

/** The register writes, in order: unlock, timeout, enable with system reset on expiry, lock. */
export function watchdogResetWrites(chip: string): Array<[address: number, value: number]> | undefined {
  const regs = WATCHDOG_REGISTERS[chip]
  if (!regs) return undefined
  return [
    [regs.writeProtect, RTC_WDT_WRITE_KEY],
    [regs.config1, 2000],
    [regs.config0, ((1 << 31) | (5 << 28) | (1 << 8) | 2) >>> 0],
    [regs.writeProtect, 0],
  ]
}
