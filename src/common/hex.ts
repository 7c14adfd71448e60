// Hexadecimal text as PairKit prints it everywhere: addresses and codes with "0x", raw
// bytes (digests, MACs) as plain digit pairs.

/** Hex digits of `value`, zero-padded to `width`: hexDigits(0x1a, 4) → "001a". */
export function hexDigits(value: number, width = 0): string {
  return value.toString(16).padStart(width, '0')
}

/** "0x1a2b"; with `width`, zero-padded to that many digits: hex(5, 2) → "0x05". */
export function hex(value: number, width = 0): string {
  return `0x${hexDigits(value, width)}`
}

/** Two digits a byte, joined by `separator`: an MD5 digest ("9e10…"), a MAC ("aa:bb:…"). */
export function hexBytes(bytes: Uint8Array, separator = ''): string {
  return Array.from(bytes, (byte) => hexDigits(byte, 2)).join(separator)
}
