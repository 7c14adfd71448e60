// Flash settings as build files and esptool spell them: sizes "4MB", modes "dio",
// frequencies "80m"; "keep" and "detect" mean "leave the image header as it is".
import { FLASH_MODES, FLASH_SIZES } from '../app-image'

export interface FlashSettings {
  /** "qio" | "qout" | "dio" | "dout" | "keep" */
  mode?: string
  /** "4MB" …, or "keep" / "detect" */
  size?: string
  /** "80m" …, or "keep" */
  freq?: string
}

/** "4MB" → 4194304 (also "4M", "512KB"); undefined for "keep", "detect" or nonsense. */
export function parseFlashSize(text: string): number | undefined {
  const match = /^(\d+)\s*(K|M)B?$/i.exec(text.trim())
  if (!match) return undefined
  const value = Number(match[1]) * ((match[2] as string).toUpperCase() === 'K' ? 1024 : 1024 * 1024)
  return value > 0 ? value : undefined
}

/** The largest flash an image header can name (128 MB): no image, table or partition is larger. */
export const LARGEST_FLASH_BYTES = parseFlashSize(FLASH_SIZES[FLASH_SIZES.length - 1] as string) as number

export function formatFlashSize(bytes: number): string {
  return bytes % 0x100000 === 0 ? `${bytes / 0x100000}MB` : `${bytes / 1024}KB`
}

export function isKnownFlashSize(text: string): boolean {
  return FLASH_SIZES.includes(text.toUpperCase())
}

export function isKnownFlashMode(text: string): boolean {
  return FLASH_MODES.slice(0, 4).includes(text.toUpperCase())
}
