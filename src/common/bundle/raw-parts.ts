// The explicit override for a part that is data where an app or the partition table
// belongs (`--raw OFFSET`): it is written as given, without the image and table checks.
import type { Bundle } from './model'

/** Marks the parts at `offsets` as raw data; returns the offsets where the bundle has no part. */
export function markRawParts(bundle: Bundle, offsets: readonly number[]): number[] {
  const missing: number[] = []
  for (const offset of offsets) {
    const part = bundle.parts.find((candidate) => candidate.offset === offset)
    if (!part) {
      missing.push(offset)
      continue
    }
    part.kind = 'data'
    part.raw = true
  }
  return missing
}
