// Seeded mutation helpers for the format fuzz tests: reproducible, so a failure can be replayed.
import { expect } from 'vitest'
import { PairKitError } from '../../../src/common/errors'
import { seededRandom as commonSeededRandom } from '../../../src/common/seeded-random'

/** The project's seeded generator, with an integer helper. */
export function seededRandom(seed: number): { next: () => number; int: (below: number) => number } {
  const next = commonSeededRandom(seed)
  return { next, int: (below: number) => Math.floor(next() * below) }
}

export function randomBytes(rng: ReturnType<typeof seededRandom>, length: number): Uint8Array {
  return Uint8Array.from({ length }, () => rng.int(256))
}

/** One mutation of a fixture: flipped bits, overwritten bytes, truncation or extension. */
export function mutate(rng: ReturnType<typeof seededRandom>, source: Uint8Array): Uint8Array {
  const bytes = source.slice()
  switch (rng.int(4)) {
    case 0:
      for (let i = rng.int(8) + 1; i > 0; i--) {
        const at = rng.int(Math.max(bytes.length, 1))
        bytes[at] = (bytes[at] as number) ^ (1 << rng.int(8))
      }
      return bytes
    case 1:
      // Header bytes matter most: hit the first 64 often.
      for (let i = rng.int(4) + 1; i > 0; i--) bytes[rng.next() < 0.5 ? rng.int(Math.min(64, bytes.length)) : rng.int(bytes.length)] = rng.int(256)
      return bytes
    case 2:
      return bytes.slice(0, rng.int(bytes.length + 1))
    default: {
      const extended = new Uint8Array(bytes.length + rng.int(4096) + 1)
      extended.set(bytes)
      extended.fill(rng.next() < 0.5 ? 0xff : rng.int(256), bytes.length)
      return extended
    }
  }
}

/** Runs `fn`; it may return or throw a PairKitError, nothing else, and must finish quickly. */
export function typedOutcome<T>(fn: () => T, budgetMs = 2000): T | PairKitError {
  const started = performance.now()
  let outcome: T | PairKitError
  try {
    outcome = fn()
  } catch (error) {
    if (!(error instanceof PairKitError)) throw error
    expect(error.message.length).toBeGreaterThan(0)
    outcome = error
  }
  expect(performance.now() - started).toBeLessThan(budgetMs)
  return outcome
}
