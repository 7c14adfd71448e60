// USB-to-serial bridges found on ESP32 boards, by USB vendor and product id.
// One row per bridge; `likelyEsp32` says whether a port with this bridge is probably
// an ESP32 board (Espressif's own USB, and the bridges ESP32 dev kits ship with).
//
// `maxBaud` is the fastest rate the bridge itself is specified for; `native` marks the chip's
// own USB (USB-Serial/JTAG, USB-OTG CDC), where the baud rate is ignored and the link runs at
// USB speed. Sources:
//  - Silicon Labs: Linux drivers/usb/serial/cp210x.c, cp210x_init_max_speed(): CP2101 921600,
//    CP2102/CP2103 1 Mbaud, CP2104/CP2105 (ECI)/CP2108 2 Mbaud, CP2102N 3 Mbaud. CP2102 and
//    CP2102N share 10c4:ea60, so the row keeps the rate both take (921600).
//  - WCH: CH340/CH341 2 Mbaud (Linux drivers/usb/serial/ch341.c, CH341_MAX_BPS); CH9102/CH343
//    up to 4 Mbaud and 6 Mbaud by WCH's datasheets; kept at 3 Mbaud, the fastest rate PairKit
//    asks an ESP32 UART for.
//  - FTDI: FT232R 3 Mbaud; FT2232H/FT232H 12 Mbaud (Linux ftdi_sio, 120 MHz base clock ÷ 10).
// Rates above 3 Mbaud are never asked for: the ESP32-family UART in the loader is not meant for
// more, and the fallback (one step down at a time) covers a board or cable that cannot keep up.

export interface UsbBridge {
  readonly vendorId: number
  readonly productIds: readonly number[] | 'any'
  readonly name: string
  readonly likelyEsp32: boolean
  /** Fastest rate the bridge is specified for (bits per second). */
  readonly maxBaud: number
  /** The chip's own USB: the baud rate is ignored. */
  readonly native?: boolean
}

/** What a native USB port is modelled at, in baud-equivalent (USB full speed, less protocol overhead). */
export const NATIVE_USB_BAUD = 10_000_000

export const USB_BRIDGES: readonly UsbBridge[] = Object.freeze([
  { vendorId: 0x303a, productIds: [0x1001], name: 'Espressif USB-Serial/JTAG', likelyEsp32: true, maxBaud: NATIVE_USB_BAUD, native: true },
  { vendorId: 0x303a, productIds: [0x0002], name: 'ESP32-S2/S3 USB-OTG CDC (ROM)', likelyEsp32: true, maxBaud: NATIVE_USB_BAUD, native: true },
  { vendorId: 0x303a, productIds: [0x1002, 0x1003, 0x0003], name: 'ESP32-S2/S3 USB-OTG CDC', likelyEsp32: true, maxBaud: NATIVE_USB_BAUD, native: true },
  { vendorId: 0x303a, productIds: 'any', name: 'Espressif USB device', likelyEsp32: true, maxBaud: 921600 },
  { vendorId: 0x10c4, productIds: [0xea60], name: 'Silicon Labs CP210x', likelyEsp32: true, maxBaud: 921600 },
  { vendorId: 0x10c4, productIds: [0xea70, 0xea71], name: 'Silicon Labs CP2105/CP2108', likelyEsp32: true, maxBaud: 2_000_000 },
  { vendorId: 0x1a86, productIds: [0x7523, 0x5523], name: 'WCH CH340/CH341', likelyEsp32: true, maxBaud: 2_000_000 },
  { vendorId: 0x1a86, productIds: [0x55d4, 0x55d3, 0x55d5], name: 'WCH CH9102/CH343', likelyEsp32: true, maxBaud: 3_000_000 },
  { vendorId: 0x0403, productIds: [0x6010], name: 'FTDI FT2232 (ESP-Prog, ESP-WROVER-KIT)', likelyEsp32: true, maxBaud: 3_000_000 },
  { vendorId: 0x0403, productIds: [0x6001, 0x6014, 0x6015], name: 'FTDI FT232', likelyEsp32: false, maxBaud: 3_000_000 },
])

export interface BridgeMatch {
  name: string
  likelyEsp32: boolean
  maxBaud: number
  native: boolean
}

/** Accepts ids as numbers or as the hex strings operating systems report ("10c4", "0x10C4"). */
export function identifyBridge(vendorId: number | string | undefined, productId: number | string | undefined): BridgeMatch | undefined {
  const vid = parseUsbId(vendorId)
  const pid = parseUsbId(productId)
  if (vid === undefined) return undefined
  const row = USB_BRIDGES.find(
    (bridge) => bridge.vendorId === vid && (bridge.productIds === 'any' || (pid !== undefined && bridge.productIds.includes(pid))),
  )
  return row ? { name: row.name, likelyEsp32: row.likelyEsp32, maxBaud: row.maxBaud, native: row.native === true } : undefined
}

export function parseUsbId(id: number | string | undefined): number | undefined {
  if (id === undefined) return undefined
  if (typeof id === 'number') return Number.isInteger(id) && id >= 0 && id <= 0xffff ? id : undefined
  const text = id.trim().toLowerCase().replace(/^0x/, '')
  if (!/^[0-9a-f]{1,4}$/.test(text)) return undefined
  return Number.parseInt(text, 16)
}

export function formatUsbId(id: number): string {
  return id.toString(16).padStart(4, '0')
}
