// The chip registry: one frozen definition per chip PairKit knows (esptool's CHIP_DEFS),
// and lookups by name and chip id.
import type { ChipDef, ChipName, TwinProfile } from './chip-def'
import { ESP32 } from './esp32'
import { ESP32C2 } from './esp32c2'
import { ESP32C3 } from './esp32c3'
import { ESP32C5 } from './esp32c5'
import { ESP32C6 } from './esp32c6'
import { ESP32C61 } from './esp32c61'
import { ESP32E22 } from './esp32e22'
import { ESP32H2 } from './esp32h2'
import { ESP32H21 } from './esp32h21'
import { ESP32H4 } from './esp32h4'
import { ESP32P4 } from './esp32p4'
import { ESP32S2 } from './esp32s2'
import { ESP32S3 } from './esp32s3'
import { ESP32S31 } from './esp32s31'

export { ESP32, ESP32C2, ESP32C3, ESP32C5, ESP32C6, ESP32C61, ESP32E22, ESP32H2, ESP32H21, ESP32H4, ESP32P4, ESP32S2, ESP32S3, ESP32S31 }

/** In image-chip-id order. */
export const CHIPS: readonly ChipDef[] = Object.freeze([ESP32, ESP32S2, ESP32C3, ESP32S3, ESP32C2, ESP32C6, ESP32H2, ESP32P4, ESP32C61, ESP32C5, ESP32H21, ESP32H4, ESP32E22, ESP32S31])

export const CHIP_NAMES: readonly ChipName[] = Object.freeze(CHIPS.map((chip) => chip.name))

/** A chip the twin can be: one with a TwinProfile. */
export type TwinChipDef = ChipDef & { readonly twin: TwinProfile }

export const TWIN_CHIPS: readonly TwinChipDef[] = Object.freeze(CHIPS.filter((chip): chip is TwinChipDef => chip.twin !== undefined))

/** By the chip id of image headers and GET_SECURITY_INFO (ESP-IDF's esp_chip_id_t). */
export function chipById(imageChipId: number): ChipDef | undefined {
  return CHIPS.find((chip) => chip.imageChipId === imageChipId)
}

/** Accepts "esp32c3", "ESP32-C3", "esp32-c3" and "esp32_c3" alike. */
export function chipByName(name: string): ChipDef | undefined {
  const wanted = name.toLowerCase().replace(/[-_\s]/g, '')
  return CHIPS.find((chip) => chip.name === wanted)
}

export function twinChipByName(name: string): TwinChipDef | undefined {
  return TWIN_CHIPS.find((chip) => chip === chipByName(name))
}
