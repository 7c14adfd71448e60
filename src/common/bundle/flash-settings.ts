// Flash settings as build files and esptool spell them: sizes "4MB", modes "dio",
// frequencies "80m"; "keep" and "detect" mean "leave the image header as it is".
import { FLASH_MODES, FLASH_SIZES } from '../app-image'
import { parseFlashSize } from '../esp/flash-size'

export interface FlashSettings {
  /** "qio" | "qout" | "dio" | "dout" | "keep" */
  mode?: string
  /** "4MB" …, or "keep" / "detect" */
  size?: string
  /** "80m" …, or "keep" */
  freq?: string
}

/** The largest flash an image header can name (128 MB): no image, table or partition is larger. */
export const LARGEST_FLASH_BYTES = parseFlashSize(FLASH_SIZES[FLASH_SIZES.length - 1] as string) as number

export function isKnownFlashSize(text: string): boolean {
  return FLASH_SIZES.includes(text.toUpperCase())
}

export function isKnownFlashMode(text: string): boolean {
  return FLASH_MODES.slice(0, 4).includes(text.toUpperCase())
}
