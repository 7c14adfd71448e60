// A deterministic firmware-like image: runs of random bytes (code, keys) between runs of
// structured bytes (tables, strings, zero padding), mixed so deflate level 9 keeps about
// `ratio` of it — ESP32 apps compress to 44–58 % (protocol reference §13.4).

export function appLikeImage(size: number, ratio = 0.55, seed = 1): Uint8Array {
  const out = new Uint8Array(size)
  let state = seed >>> 0
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    return state >>> 24
  }
  // Random bytes barely compress; structured ones almost vanish. Share chosen for `ratio`.
  const randomShare = Math.min(1, Math.max(0, (ratio - 0.01) / 0.99))
  for (let at = 0; at < size; ) {
    const run = 256 + ((next() << 2) | (next() & 3))
    const random = next() / 256 < randomShare
    for (let i = 0; i < run && at < size; i++, at++) out[at] = random ? next() : (at >> 6) & 0x0f
  }
  return out
}
