// A twin's identity is its MAC, as a real board's is the MAC burnt into its eFuses: it must
// not change when the twin is started again on the same flash file, or PairKit would take it
// for another device. The MAC is kept next to the flash file, in FLASH.twin.json, written on
// the first start; later starts read it. (Deriving it from the file's path alone would give
// a copied or moved flash file another MAC; the sidecar travels with the file, like a board.)
// --mac overrides it for one run without rewriting it.
import { z } from 'zod'
import { formatMac } from '../common/esp/chips'
import { readJsonFile, writeJsonFile } from '../main/state/json-file'

const MAC_TEXT = /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i
const IdentityFileSchema = z.object({ version: z.literal(1), mac: z.string().regex(MAC_TEXT) })

/** The sidecar of a flash file. */
export function identityFileFor(flashPath: string): string {
  return `${flashPath}.twin.json`
}

/** A locally administered unicast MAC (Espressif's OUI is not ours to use), the same for the same seed text. */
export function defaultMac(seedText: string): Uint8Array {
  let hash = 0x811c9dc5
  for (const char of seedText) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0
  return Uint8Array.from([0x02, 0x50, (hash >>> 24) & 0xff, (hash >>> 16) & 0xff, (hash >>> 8) & 0xff, hash & 0xff])
}

/**
 * The MAC of the twin whose flash lives in `flashPath`: `given` for this run when there is one,
 * else the one kept beside the file, else a new one derived from the path (and kept).
 */
export function twinMac(flashPath: string, chipName: string, given?: Uint8Array, onNote?: (text: string) => void): Uint8Array {
  const file = identityFileFor(flashPath)
  const kept = readJsonFile(file, IdentityFileSchema, { onSetAside: onNote })
  if (given) {
    if (!kept) keep(file, given, onNote)
    return given
  }
  if (kept) return Uint8Array.from(kept.mac.split(':').map((part) => Number.parseInt(part, 16)))
  const mac = defaultMac(`${flashPath}:${chipName}`)
  keep(file, mac, onNote)
  return mac
}

function keep(file: string, mac: Uint8Array, onNote?: (text: string) => void): void {
  try {
    writeJsonFile(file, { version: 1, mac: formatMac(mac) })
  } catch (error) {
    // The twin still runs; only the next start would not find the same MAC.
    onNote?.(`cannot keep the twin's MAC in ${file}: ${error instanceof Error ? error.message : String(error)}`)
  }
}
