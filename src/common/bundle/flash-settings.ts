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

export function isKnownFlashSize(text: string): boolean {
  return FLASH_SIZES.includes(text.toUpperCase())
}

export function isKnownFlashMode(text: string): boolean {
  return FLASH_MODES.slice(0, 4).includes(text.toUpperCase())
}
