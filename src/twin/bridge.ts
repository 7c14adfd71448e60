// The USB-to-serial bridge between the host and the twin's UART. A bridge has a fastest rate
// (the figures and their sources are in common/usb-bridges.ts); when the chip's UART is switched
// above it, the bridge cannot follow and every byte crossing it arrives garbled, as on a real
// board. The chip's own USB (USB-Serial/JTAG) ignores the rate and runs at USB speed.
// Without a bridge the twin carries any rate.
import { NATIVE_USB_BAUD } from '../common/usb-bridges'
import { PairKitError } from '../common/errors'

export interface BridgeModel {
  readonly name: string
  readonly maxBaud: number
  readonly native: boolean
}

export const TWIN_BRIDGES: Readonly<Record<string, BridgeModel>> = Object.freeze({
  cp2102: { name: 'cp2102', maxBaud: 921_600, native: false },
  cp2104: { name: 'cp2104', maxBaud: 2_000_000, native: false },
  cp2102n: { name: 'cp2102n', maxBaud: 3_000_000, native: false },
  ch340: { name: 'ch340', maxBaud: 2_000_000, native: false },
  ch9102: { name: 'ch9102', maxBaud: 4_000_000, native: false },
  ft232r: { name: 'ft232r', maxBaud: 3_000_000, native: false },
  ft232h: { name: 'ft232h', maxBaud: 12_000_000, native: false },
  'usb-jtag': { name: 'usb-jtag', maxBaud: NATIVE_USB_BAUD, native: true },
})

export function parseBridge(name: string): BridgeModel {
  const bridge = TWIN_BRIDGES[name.trim().toLowerCase()]
  if (!bridge) throw new PairKitError('USAGE', `Unknown bridge "${name}"`, { hint: `Use one of ${Object.keys(TWIN_BRIDGES).join(', ')}.` })
  return bridge
}

/** The rate bytes cross the wire at: the UART's, or USB speed on a native port. */
export function wireBaud(bridge: BridgeModel | undefined, uartBaud: number): number {
  return bridge?.native ? NATIVE_USB_BAUD : uartBaud
}

/** What a bridge does to bytes while the UART runs at `uartBaud`: nothing, or garble them (seeded). */
export class BridgeLine {
  private state: number

  constructor(
    private readonly bridge: BridgeModel | undefined,
    seed: number,
  ) {
    this.state = (seed ^ 0x0b1d_6e5a) >>> 0 || 1
  }

  garbles(uartBaud: number): boolean {
    return this.bridge !== undefined && !this.bridge.native && uartBaud > this.bridge.maxBaud
  }

  /** The bytes as they come out of the bridge: framing errors make every byte another one. */
  pass(bytes: Uint8Array, uartBaud: number): Uint8Array {
    if (!this.garbles(uartBaud)) return bytes
    const out = new Uint8Array(bytes.length)
    for (let i = 0; i < bytes.length; i++) {
      // xorshift32: garbage that never happens to form the frame the host waits for.
      this.state ^= this.state << 13
      this.state ^= this.state >>> 17
      this.state ^= this.state << 5
      out[i] = ((bytes[i] ?? 0) ^ this.state ^ 0x5a) & 0xff
    }
    return out
  }
}
