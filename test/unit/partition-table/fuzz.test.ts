// Seeded fuzzing of the partition-table codec: decode, CSV parse, validate and encode
// return results with problems or throw a PairKitError, never anything else.
import { describe, expect, it } from 'vitest'
import { PairKitError } from '../../../src/common/errors'
import {
  decodePartitionTable, encodePartitionTable, formatPartitionCsv, parsePartitionCsv, validatePartitionTable,
} from '../../../src/common/partition-table'
import { fixture, fixtureText } from '../app-image/fixtures'
import { mutate, randomBytes, seededRandom, typedOutcome } from '../app-image/fuzz-support'

const BINARIES = ['partitions_singleapp', 'partitions_two_ota', 'custom', 'esptool_test_partitions_singleapp'] as const
const CSVS = ['partitions_singleapp', 'partitions_two_ota', 'custom'] as const
const TOKENS = ['nvs', 'app', 'data', 'ota_0', 'factory', '0x', '1M', '64K', '-', ',', ',', '\n', '#', ' ', 'encrypted', 'readonly', ':', '$X', '0x10000', '0', 'K', 'zz', '\uFEFF', '\r\n', '9999999999999']

function roundTrip(entries: Parameters<typeof encodePartitionTable>[0]): void {
  validatePartitionTable(entries, { flashSize: 4 * 1024 * 1024 })
  const encoded = typedOutcome(() => encodePartitionTable(entries))
  if (encoded instanceof PairKitError) return
  expect(encoded.length).toBe(0xc00)
  // Whatever encodes decodes to the same entries (names cut to 16 bytes aside).
  const decoded = decodePartitionTable(encoded)
  expect(decoded.entries.length).toBe(entries.length)
}

describe('partition table fuzz (seeded)', () => {
  it('decodes random bytes without throwing', () => {
    const rng = seededRandom(0x9a27)
    for (let round = 0; round < 300; round++) {
      const bytes = randomBytes(rng, rng.int(4096))
      for (let row = 0; row + 1 < bytes.length && round % 2 === 0; row += 32) { bytes[row] = 0xaa; bytes[row + 1] = 0x50 }
      const table = decodePartitionTable(bytes)
      expect(table.entries.length).toBeLessThanOrEqual(96)
      typedOutcome(() => formatPartitionCsv(table.entries))
      validatePartitionTable(table.entries)
    }
  })

  it.each(BINARIES)('decodes mutated copies of %s.bin', (name) => {
    const source = fixture(`partition-tables/${name}.bin`)
    const rng = seededRandom(name.length * 104729)
    let problemsSeen = 0
    for (let round = 0; round < 80; round++) {
      const table = decodePartitionTable(mutate(rng, source))
      if (table.problems.length > 0) problemsSeen++
      expect(table.entries.length).toBeLessThanOrEqual(96)
      roundTrip(parsePartitionCsv(formatPartitionCsv(table.entries)).entries)
    }
    expect(problemsSeen).toBeGreaterThan(0)
  })

  it('parses random CSV-like text without throwing', () => {
    const rng = seededRandom(0xc5f)
    for (let round = 0; round < 300; round++) {
      let text = ''
      for (let i = rng.int(80); i > 0; i--) text += TOKENS[rng.int(TOKENS.length)]
      const parsed = parsePartitionCsv(text, { variables: { X: '0x1000' } })
      expect(parsed.entries.length).toBeLessThanOrEqual(text.split('\n').length)
      roundTrip(parsed.entries)
    }
  })

  it.each(CSVS)('parses mutated copies of %s.csv', (name) => {
    const source = new TextEncoder().encode(fixtureText(`partition-tables/${name}.csv`))
    const rng = seededRandom(name.length * 31337)
    for (let round = 0; round < 80; round++) {
      const text = new TextDecoder().decode(mutate(rng, source))
      roundTrip(parsePartitionCsv(text).entries)
    }
  })
})
