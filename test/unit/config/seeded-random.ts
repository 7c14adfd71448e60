// Reproducible random bytes for pairing tests, drawn from the project's one seeded generator.
import { seededRandom } from '../../../src/common/seeded-random'

export function seededBytes(seed: number): (length: number) => Uint8Array {
  const random = seededRandom(seed)
  return (length) => Uint8Array.from({ length }, () => Math.floor(random() * 256))
}
