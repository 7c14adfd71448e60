// SPI flash identification: the RDID (0x9F) JEDEC answer and what its capacity byte means.

export const SPIFLASH_RDID = 0x9f
export const SPIFLASH_RDSR = 0x05
export const SPIFLASH_RDSR2 = 0x35

/** Capacity id (bits 16–23 of the RDID answer) → bytes, esptool's DETECTED_FLASH_SIZES. */
const CAPACITY_BYTES: ReadonlyMap<number, number> = new Map([
  [0x12, 256 << 10], [0x32, 256 << 10],
  [0x13, 512 << 10], [0x33, 512 << 10],
  [0x14, 1 << 20], [0x34, 1 << 20],
  [0x15, 2 << 20], [0x35, 2 << 20],
  [0x16, 4 << 20], [0x36, 4 << 20],
  [0x17, 8 << 20], [0x37, 8 << 20],
  [0x18, 16 << 20], [0x38, 16 << 20],
  [0x19, 32 << 20], [0x39, 32 << 20],
  [0x1a, 64 << 20], [0x3a, 64 << 20], [0x20, 64 << 20],
  [0x1b, 128 << 20], [0x21, 128 << 20],
  [0x1c, 256 << 20], [0x22, 256 << 20],
])

export function flashSizeFromJedec(jedec: number): number | undefined {
  return CAPACITY_BYTES.get((jedec >>> 16) & 0xff)
}

/** A Winbond-style JEDEC id (manufacturer 0xEF, type 0x40) for a flash of `bytes`. */
export function winbondJedecFor(bytes: number): number {
  const log2 = Math.round(Math.log2(bytes))
  return ((log2 & 0xff) << 16) | (0x40 << 8) | 0xef
}

/** "4MB", "16MB", "512KB": esptool's spelling of flash sizes. */
export function formatFlashSize(bytes: number): string {
  return bytes >= 1 << 20 ? `${bytes / (1 << 20)}MB` : `${bytes / 1024}KB`
}

export function parseFlashSize(text: string): number | undefined {
  const match = /^(\d+)\s*(KB|MB)$/i.exec(text.trim())
  if (!match) return undefined
  const bytes = Number(match[1]) * ((match[2] ?? '').toUpperCase() === 'MB' ? 1 << 20 : 1024)
  return CAPACITY_BYTES_VALUES.has(bytes) ? bytes : undefined
}
const CAPACITY_BYTES_VALUES = new Set(CAPACITY_BYTES.values())
