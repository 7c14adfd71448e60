// A bundle's fingerprint for the flash history: the SHA-256 of what it writes. Two bundles
// with the same hash write the same bytes to the same places, whatever they were loaded from
// (a build folder, its zip, or the merged image of it).
//
//   for each part in address order:  offset (u32 LE) ‖ length (u32 LE) ‖ bytes
import { Sha256, toHex } from '../app-image/sha256'
import { sortedParts, type Bundle } from './model'

export function bundleSha256(bundle: Pick<Bundle, 'parts'>): string {
  const hash = new Sha256()
  const head = new Uint8Array(8)
  const view = new DataView(head.buffer)
  for (const part of sortedParts(bundle.parts)) {
    view.setUint32(0, part.offset, true)
    view.setUint32(4, part.bytes.length, true)
    hash.update(head)
    hash.update(part.bytes)
  }
  return toHex(hash.digest())
}
