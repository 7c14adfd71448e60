// Seeded fuzzing helpers on the project's one seeded generator.
export { seededRandom } from '../../../src/common/seeded-random'

export function randomBytes(random: () => number, length: number): Uint8Array {
  return Uint8Array.from({ length }, () => Math.floor(random() * 256))
}

export function hex(text: string): Uint8Array {
  return Uint8Array.from(text.split(/\s+/).filter(Boolean).map((byte) => parseInt(byte, 16)))
}
