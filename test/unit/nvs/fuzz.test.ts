// Seeded fuzzing: the reader must return a typed result for any bytes (never throw, never
// hang), and the CSV generator must either succeed or throw a PairKitError.
import { describe, expect, it } from 'vitest'
import { PairKitError } from '../../../src/common/errors'
import { seededRandom } from '../../../src/common/seeded-random'
import { generateNvsFromCsv, readNvsPartition, type NvsReadResult } from '../../../src/common/nvs'
import { ALL_BINARY_FIXTURES, fixtureFileReader, GENERATED_FIXTURES, readFixture, readFixtureText } from './fixtures'

const random = seededRandom

function flipBit(bytes: Uint8Array, index: number, bit: number): void {
  bytes[index] = (bytes[index] as number) ^ (1 << bit)
}

function readChecked(image: Uint8Array): NvsReadResult {
  const started = performance.now()
  const result = readNvsPartition(image)
  expect(performance.now() - started).toBeLessThan(2000)
  expect(Array.isArray(result.entries) && Array.isArray(result.problems)).toBe(true)
  // Bounded output: no more entries than the input has entry slots, no value larger than the input.
  expect(result.entries.length).toBeLessThanOrEqual(Math.ceil(image.length / 32))
  for (const entry of result.entries) if (entry.value instanceof Uint8Array) expect(entry.value.length).toBeLessThanOrEqual(image.length)
  for (const problem of result.problems) expect(problem.message.length).toBeGreaterThan(0)
  return result
}

describe('NVS reader fuzz (seeded)', () => {
  it('survives random bytes of random lengths', () => {
    const next = random(0x5eed)
    for (let round = 0; round < 60; round++) {
      const length = Math.floor(next() * 3 * 4096)
      readChecked(Uint8Array.from({ length }, () => Math.floor(next() * 256)))
    }
  })

  it('survives random headers on otherwise valid-looking pages', () => {
    const next = random(7)
    for (let round = 0; round < 60; round++) {
      const image = readFixture('bigblob.bin')
      // Keep page headers valid-ish but scramble entries, so the item walker gets exercised.
      for (let i = 0; i < 400; i++) {
        const page = Math.floor(next() * 4)
        image[page * 4096 + 32 + Math.floor(next() * (4096 - 32))] = Math.floor(next() * 256)
      }
      readChecked(image)
    }
  })

  for (const name of ALL_BINARY_FIXTURES) {
    it(`survives ${name} with bytes flipped, truncated and extended`, () => {
      const original = readFixture(name)
      const next = random(name.length * 7919)
      for (let round = 0; round < 40; round++) {
        const flipped = original.slice()
        const flips = 1 + Math.floor(next() * 8)
        for (let i = 0; i < flips; i++) flipBit(flipped, Math.floor(next() * flipped.length), Math.floor(next() * 8))
        readChecked(flipped)
        readChecked(original.subarray(0, Math.floor(next() * original.length)))
        const extended = new Uint8Array(original.length + 1 + Math.floor(next() * 5000))
        extended.set(original)
        for (let i = original.length; i < extended.length; i++) extended[i] = Math.floor(next() * 256)
        readChecked(extended)
      }
    })
  }

  it('a single flipped bit is either harmless or reported', () => {
    const original = readFixture('basic.bin')
    const baseline = JSON.stringify(readNvsPartition(original).entries, (_key, value) => (typeof value === 'bigint' ? value.toString() : value))
    const next = random(99)
    for (let round = 0; round < 300; round++) {
      const image = original.slice()
      flipBit(image, Math.floor(next() * 0x1000), Math.floor(next() * 8))
      const result = readChecked(image)
      const same = JSON.stringify(result.entries, (_key, value) => (typeof value === 'bigint' ? value.toString() : value)) === baseline
      if (!same) expect(result.problems.length).toBeGreaterThan(0)
    }
  })
})

describe('NVS generator fuzz (seeded)', () => {
  it('mutated CSVs either generate a readable image or throw a PairKitError', () => {
    const next = random(1234)
    const sources = GENERATED_FIXTURES.map(({ name, size }) => ({ text: readFixtureText(`${name}.csv`), size }))
    const alphabet = ',"\n#x0-9aZ=\\ '
    for (let round = 0; round < 300; round++) {
      const source = sources[Math.floor(next() * sources.length)] as (typeof sources)[0]
      const chars = [...source.text]
      const edits = 1 + Math.floor(next() * 4)
      for (let i = 0; i < edits; i++) {
        const at = Math.floor(next() * (chars.length + 1))
        const char = alphabet[Math.floor(next() * alphabet.length)] as string
        if (next() < 0.5) chars.splice(at, 1)
        else chars.splice(at, 0, char)
      }
      try {
        const { image } = generateNvsFromCsv(chars.join(''), source.size, { readFile: fixtureFileReader })
        expect(readNvsPartition(image).problems.filter((problem) => problem.severity === 'error')).toEqual([])
      } catch (error) {
        if (!(error instanceof PairKitError)) throw error
      }
    }
  })
})
