// Reset sequences as data (esptool's reset.py). Each step sets lines or waits; `true`
// means asserted, which pulls the pin low. On dev boards RTS drives EN and DTR drives
// IO0 through the two-transistor auto-reset circuit (see autoResetCircuit below).

export type ResetStep =
  | { readonly dtr?: boolean; readonly rts?: boolean }
  | { readonly waitMs: number }

export interface ResetSequence {
  readonly name: string
  readonly steps: readonly ResetStep[]
}

/** esptool ClassicReset: hold EN low, release with IO0 low, then release IO0. */
export function classicReset(delayMs = 50): ResetSequence {
  return {
    name: 'classic',
    steps: [{ dtr: false }, { rts: true }, { waitMs: 100 }, { dtr: true }, { rts: false }, { waitMs: delayMs }, { dtr: false }],
  }
}

/** esptool UnixTightReset: both lines in one TIOCMSET so no intermediate state appears. */
export function unixTightReset(delayMs = 50): ResetSequence {
  return {
    name: 'unix-tight',
    steps: [
      { dtr: false, rts: false },
      { dtr: true, rts: true },
      { dtr: false, rts: true },
      { waitMs: 100 },
      { dtr: true, rts: false },
      { waitMs: delayMs },
      { dtr: false, rts: false },
      { dtr: false },
    ],
  }
}

/** esptool USBJTAGSerialReset: the USB-Serial/JTAG peripheral decodes this pattern itself. */
export const USB_JTAG_SERIAL_RESET: ResetSequence = {
  name: 'usb-jtag-serial',
  steps: [
    { rts: false },
    { dtr: false },
    { waitMs: 100 },
    { dtr: true },
    { rts: false },
    { waitMs: 100 },
    { rts: true },
    { dtr: false },
    { rts: true },
    { waitMs: 100 },
    { dtr: false },
    { rts: false },
  ],
}

/** esptool HardReset: pulse EN with IO0 released, so the chip boots the app. */
export function hardReset(usb = false): ResetSequence {
  return {
    name: 'hard',
    steps: usb ? [{ rts: true }, { waitMs: 200 }, { rts: false }, { waitMs: 200 }] : [{ rts: true }, { waitMs: 100 }, { rts: false }],
  }
}

/**
 * The two-transistor circuit of ESP32 dev boards: EN is pulled low only when RTS is
 * asserted and DTR is not; IO0 only when DTR is asserted and RTS is not. Asserting both
 * (what opening a port usually does) therefore resets nothing.
 */
export function autoResetCircuit(lines: { dtr: boolean; rts: boolean }): { enLow: boolean; io0Low: boolean } {
  return { enLow: lines.rts && !lines.dtr, io0Low: lines.dtr && !lines.rts }
}
