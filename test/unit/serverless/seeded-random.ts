// A small seeded PRNG (mulberry32) so fuzz tests are reproducible.
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export function randomBytes(random: () => number, length: number): Uint8Array {
  return Uint8Array.from({ length }, () => Math.floor(random() * 256))
}

export function hex(text: string): Uint8Array {
  return Uint8Array.from(text.split(/\s+/).filter(Boolean).map((byte) => parseInt(byte, 16)))
}
