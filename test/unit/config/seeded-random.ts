// A reproducible random-byte source for pairing tests.
export function seededRandom(seed: number): (length: number) => Uint8Array {
  let state = seed >>> 0
  return (length) =>
    Uint8Array.from({ length }, () => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0
      return state >>> 24
    })
}
