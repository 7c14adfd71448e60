// eFuse and register decoding shared by several chips: bit fields, the MAC words, and the
// crystal estimate from the UART divider the ROM programmed.
import { hexBytes } from '../../hex'
import type { CrystalReading, ReadReg } from './chip-def'

/** `mask` bits of the word at `address`, from bit `shift` up. */
export async function field(read: ReadReg, address: number, shift: number, mask: number): Promise<number> {
  return ((await read(address)) >>> shift) & mask
}

/** The MAC from the two eFuse words: big-endian (high, low), first 2 bytes dropped. */
export function macFromEfuseWords(low: number, high: number): Uint8Array {
  return Uint8Array.from([(high >>> 8) & 0xff, high & 0xff, (low >>> 24) & 0xff, (low >>> 16) & 0xff, (low >>> 8) & 0xff, low & 0xff])
}

/** The inverse, for a virtual chip: the two words that read back as `mac`. */
export function efuseWordsFromMac(mac: Uint8Array): { low: number; high: number } {
  const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0] = mac
  return { high: ((a << 8) | b) >>> 0, low: ((c << 24) | (d << 16) | (e << 8) | f) >>> 0 }
}

export async function readMac(read: ReadReg, words: { readonly low: number; readonly high: number }): Promise<Uint8Array> {
  const low = await read(words.low)
  const high = await read(words.high)
  return macFromEfuseWords(low, high)
}

/** "aa:bb:cc:dd:ee:ff". */
export function formatMac(mac: Uint8Array): string {
  return hexBytes(mac, ':')
}

const UART_CLKDIV_MASK = 0xfffff

/**
 * esptool's get_crystal_freq for chips whose crystal is not fixed: the ROM set the UART
 * divider for its baud rate from the crystal, so divider × baud gives the crystal back,
 * rounded to 26 or 40 MHz (or 48 MHz on chips that can have one) at esptool's thresholds.
 */
export async function crystalFromUartDivider(read: ReadReg, clkdivReg: number, baud: number, options: { allow48MHz?: boolean } = {}): Promise<CrystalReading> {
  const divider = (await read(clkdivReg)) & UART_CLKDIV_MASK
  const measured = (baud * divider) / 1_000_000
  const mhz = options.allow48MHz && measured > 45 ? 48 : measured > 33 ? 40 : 26
  return Math.abs(mhz - measured) > 1 ? { mhz, warning: 'WARNING: Unsupported crystal in use' } : { mhz }
}

/** A crystal the chip always has. */
export async function fixedCrystal(mhz: number): Promise<CrystalReading> {
  return { mhz }
}

/**
 * The "Embedded Flash 4MB (XMC)" feature: nothing for capacity code 0, the size for a known
 * code, `unknown` for any other, each with the vendor in brackets (empty when unknown).
 */
export function embeddedMemory(sizes: Record<number, string>, unknown: string, code: number, vendor: string | undefined): string[] {
  if (code === 0) return []
  return [`${sizes[code] ?? unknown} (${vendor ?? ''})`]
}
