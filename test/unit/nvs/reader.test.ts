import { describe, expect, it } from 'vitest'
import { generateNvsFromCsv, nvsCrc32, nvsEntriesToJson, parseNvsCsv, readNvsPartition } from '../../../src/common/nvs'
import { nvsEntryCrc32 } from '../../../src/common/nvs/crc32'
import { expectedEntries } from './expected-entries'
import { GENERATED_FIXTURES, fixtureFileReader, readFixture, readFixtureText } from './fixtures'

const HEADER = 'key,type,encoding,value\n'
const entryOffset = (page: number, entry: number) => page * 4096 + 64 + entry * 32

function setEntryState(image: Uint8Array, page: number, entry: number, state: number): void {
  const index = page * 4096 + 32 + (entry >> 2)
  const shift = (entry & 3) * 2
  image[index] = ((image[index] as number) & ~(3 << shift)) | (state << shift)
}

function reseal(image: Uint8Array, page: number, entry: number): void {
  const offset = entryOffset(page, entry)
  new DataView(image.buffer).setUint32(offset + 4, nvsEntryCrc32(image, offset), true)
}

function sample(): Uint8Array {
  return generateNvsFromCsv(HEADER + 'app,namespace,,\ncount,data,u32,7\nname,data,string,bridge-a\nblob,data,hex2bin,00112233\nlast,data,i8,-1\n', 0x3000).image
}

describe('NVS reader: read-back of generated partitions equals the CSV', () => {
  for (const { name } of GENERATED_FIXTURES) {
    it(`${name}.bin`, () => {
      const result = readNvsPartition(readFixture(`${name}.bin`))
      expect(result.problems).toEqual([])
      expect(nvsEntriesToJson(result.entries)).toEqual(expectedEntries(parseNvsCsv(readFixtureText(`${name}.csv`)), fixtureFileReader))
    })
  }

  it('reads ESP-IDF\'s older all-FULL layout (no ACTIVE page)', () => {
    const result = readNvsPartition(readFixture('idf/nvs_partition.bin'))
    expect(result.problems).toEqual([])
    expect(result.pages.map((page) => page.state)).toEqual(['full', 'full', 'full', 'full', 'full', 'uninitialized'])
    expect(nvsEntriesToJson(result.entries)).toEqual(expectedEntries(parseNvsCsv(readFixtureText('idf/partition_nvs_data.csv')), fixtureFileReader))
  })

  it('reads version-1 pages with single-entry BLOB items', () => {
    const result = readNvsPartition(readFixture('idf/part_old_blob_format.bin'))
    expect(result.problems).toEqual([])
    expect(result.pages[0]?.formatVersion).toBe(1)
    const blobs = result.entries.filter((entry) => entry.type === 'blob')
    expect(blobs.map((entry) => entry.blobFormat)).toEqual(['v1', 'v1', 'v1', 'v1', 'v1'])
    expect(nvsEntriesToJson(blobs).map((entry) => entry.value)).toEqual(['010203abcdef', '313233616263', '0123456789abcdef', '010203040506070809abcdef', '010203040506070809abcdef'])
  })

  it('reports 64-bit integers as bigint and JSON as decimal strings', () => {
    const basic = readNvsPartition(readFixture('basic.bin'))
    expect(basic.entries.find((entry) => entry.key === 'u64key')?.value).toBe(18446744073709551615n)
    expect(nvsEntriesToJson(basic.entries).find((entry) => entry.key === 'i64key')?.value).toBe('-9223372036854775808')
  })
})

describe('NVS reader: firmware-written states', () => {
  it('accepts an all-0xFF partition as valid and empty', () => {
    const result = readNvsPartition(new Uint8Array(0x3000).fill(0xff))
    expect(result).toMatchObject({ entries: [], problems: [] })
  })

  it('skips ERASED entries silently', () => {
    const image = sample()
    setEntryState(image, 0, 1, 0b00) // "count"
    const result = readNvsPartition(image)
    expect(result.entries.map((entry) => entry.key)).toEqual(['name', 'blob', 'last'])
    expect(result.problems).toEqual([])
    expect(result.pages[0]?.erased).toBe(1)
  })

  it('follows a blob index with chunk start 0x80 (a blob the firmware rewrote)', () => {
    const image = sample()
    // entries: 0 ns, 1 count, 2-3 name, 4-5 blob data, 6 blob index, 7 last
    image[entryOffset(0, 4) + 3] = 0x80
    reseal(image, 0, 4)
    image[entryOffset(0, 6) + 29] = 0x80
    reseal(image, 0, 6)
    const result = readNvsPartition(image)
    expect(result.problems).toEqual([])
    expect(nvsEntriesToJson(result.entries).find((entry) => entry.key === 'blob')?.value).toBe('00112233')
  })

  it('lets the newest copy of a key win and notes the older one', () => {
    const image = sample()
    // Copy "count" (entry 1) into the first free entry (8) with another value.
    image.copyWithin(entryOffset(0, 8), entryOffset(0, 1), entryOffset(0, 2))
    image[entryOffset(0, 8) + 24] = 9
    reseal(image, 0, 8)
    setEntryState(image, 0, 8, 0b10)
    const result = readNvsPartition(image)
    expect(result.entries.find((entry) => entry.key === 'count')?.value).toBe(9)
    expect(result.problems.map((problem) => problem.code)).toEqual(['duplicate'])
  })

  it('reads FREEING pages and orders pages by sequence number, not position', () => {
    const image = generateNvsFromCsv(HEADER + 'ns,namespace,,\n' + Array.from({ length: 130 }, (_, i) => `k${i},data,u8,${i}`).join('\n'), 0x3000).image
    const swapped = image.slice()
    swapped.set(image.subarray(0x1000, 0x2000), 0)
    swapped.set(image.subarray(0, 0x1000), 0x1000)
    new DataView(swapped.buffer).setUint32(0x1000, 0xfffffff8, true)
    const result = readNvsPartition(swapped)
    expect(result.problems).toEqual([])
    expect(result.entries.map((entry) => entry.value)).toEqual(Array.from({ length: 130 }, (_, i) => i))
  })
})

describe('NVS reader: problems are reported per entry, never thrown', () => {
  it('reports a header CRC mismatch and keeps the other entries', () => {
    const image = sample()
    image[entryOffset(0, 1) + 9] = (image[entryOffset(0, 1) + 9] as number) ^ 0x20 // a key byte of "count"
    const result = readNvsPartition(image)
    expect(result.entries.map((entry) => entry.key)).toEqual(['name', 'blob', 'last'])
    expect(result.problems).toMatchObject([{ code: 'entry-crc', severity: 'error', page: 0, entry: 1 }])
  })

  it('collapses an item whose header is bad together with its payload entries', () => {
    const image = sample()
    image[entryOffset(0, 2) + 24] = (image[entryOffset(0, 2) + 24] as number) ^ 0xff // size of "name": header CRC now fails
    const result = readNvsPartition(image)
    expect(result.problems).toHaveLength(1)
    expect(result.problems[0]?.message).toMatch(/following entries unreadable/)
    expect(result.entries.map((entry) => entry.key)).toEqual(['count', 'blob', 'last'])
  })

  it('reports a payload CRC mismatch with the key', () => {
    const image = sample()
    image[entryOffset(0, 3)] = 0x58 // first byte of "bridge-a"
    const result = readNvsPartition(image)
    expect(result.problems).toMatchObject([{ code: 'data-crc', key: 'name' }])
    expect(result.entries.map((entry) => entry.key)).not.toContain('name')
  })

  it('reports an interrupted write (entry marked empty but holding data)', () => {
    const image = sample()
    setEntryState(image, 0, 7, 0b11) // "last"
    const result = readNvsPartition(image)
    expect(result.problems).toMatchObject([{ code: 'entry-half-written', severity: 'warning', entry: 7 }])
    expect(result.entries.map((entry) => entry.key)).not.toContain('last')
  })

  it('reports blob chunks without an index, and an index without its chunks', () => {
    const orphan = sample()
    setEntryState(orphan, 0, 6, 0b00)
    expect(readNvsPartition(orphan).problems).toMatchObject([{ code: 'blob-orphan', key: 'blob' }])
    const incomplete = sample()
    setEntryState(incomplete, 0, 4, 0b00)
    setEntryState(incomplete, 0, 5, 0b00)
    expect(readNvsPartition(incomplete).problems).toMatchObject([{ code: 'blob-incomplete', key: 'blob' }])
  })

  it('reports a damaged page header and skips only that page', () => {
    const image = generateNvsFromCsv(HEADER + 'ns,namespace,,\n' + Array.from({ length: 130 }, (_, i) => `k${i},data,u8,${i}`).join('\n'), 0x3000).image
    image[0x1000 + 10] = 0 // reserved header byte of page 1
    const result = readNvsPartition(image)
    expect(result.problems).toMatchObject([{ code: 'page-header-crc', page: 1 }])
    expect(result.entries).toHaveLength(125)
  })

  it('reports entries whose namespace has no namespace entry', () => {
    const image = sample()
    setEntryState(image, 0, 0, 0b00)
    const result = readNvsPartition(image)
    expect(result.entries[0]?.namespace).toBe('#1')
    expect(result.problems.filter((problem) => problem.code === 'namespace')).toHaveLength(1)
  })

  it('reports pages of a newer format, bad states and stray bytes on blank pages', () => {
    const image = sample()
    image[8] = 0xfd
    new DataView(image.buffer).setUint32(28, nvsCrc32(image, 4, 28), true)
    image[0x1000 + 100] = 0
    new DataView(image.buffer).setUint32(0x2000, 0x12345678, true)
    const codes = readNvsPartition(image).problems.map((problem) => problem.code)
    expect(codes).toEqual(['page-version', 'page-corrupt', 'page-state'])
  })

  it('reports a partition that is not whole pages, and reads what is there', () => {
    const image = sample().subarray(0, 0x1000 + 100)
    const result = readNvsPartition(image)
    expect(result.problems[0]?.code).toBe('partition-size')
    expect(result.entries).toHaveLength(4)
  })
})
