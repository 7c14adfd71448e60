// Paths and loaders for the NVS golden files kept in test/fixtures/nvs (copied from
// esp-idf-nvs-partition-gen v0.2.0 output and ESP-IDF's NVS test data; see its README).
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/nvs')

export const readFixture = (name: string): Uint8Array => new Uint8Array(readFileSync(path.join(FIXTURES, name)))
export const readFixtureText = (name: string): string => readFileSync(path.join(FIXTURES, name), 'utf8')
/** `file` rows resolve against the fixture folder, as the generator ran there. */
export const fixtureFileReader = (file: string): Uint8Array => readFixture(file)

/** Each generator fixture with the size it was generated with. */
export const GENERATED_FIXTURES: readonly { name: string; size: number }[] = [
  { name: 'basic', size: 0x6000 },
  { name: 'bigblob', size: 0x6000 },
  { name: 'empty', size: 0x6000 },
  { name: 'nsonly', size: 0x6000 },
  { name: 'many', size: 0x4000 },
  { name: 'esp_idf_sample_val', size: 0x3000 },
  { name: 'edge', size: 0x3000 },
]

export const ALL_BINARY_FIXTURES = [...GENERATED_FIXTURES.map(({ name }) => `${name}.bin`), 'idf/nvs_partition.bin', 'idf/part_old_blob_format.bin']
