import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  decodePartitionTable, encodePartitionTable, formatPartitionCsv, md5, parseGeneratorNumber, parsePartitionCsv, validatePartitionTable,
} from '../../../src/common/partition-table'
import { fixture, fixtureText } from '../app-image/fixtures'

const PAIRS = ['partitions_singleapp', 'partitions_singleapp_large', 'partitions_two_ota', 'custom'] as const
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex')

describe('CSV → binary is byte-identical to gen_esp32part', () => {
  it.each(PAIRS)('%s', (name) => {
    const parsed = parsePartitionCsv(fixtureText(`partition-tables/${name}.csv`))
    expect(parsed.problems).toEqual([])
    expect(validatePartitionTable(parsed.entries)).toEqual([])
    expect(hex(encodePartitionTable(parsed.entries))).toBe(hex(fixture(`partition-tables/${name}.bin`)))
  })
})

describe('binary → CSV → binary round trip', () => {
  it.each(PAIRS)('%s', (name) => {
    const bin = fixture(`partition-tables/${name}.bin`)
    const decoded = decodePartitionTable(bin)
    expect(decoded.problems).toEqual([])
    expect(decoded.md5).toEqual({ present: true, valid: true })
    expect(decoded.terminated).toBe(true)
    const again = parsePartitionCsv(formatPartitionCsv(decoded.entries))
    expect(again.problems).toEqual([])
    expect(hex(encodePartitionTable(again.entries))).toBe(hex(bin))
  })

  it('writes the CSV gen_esp32part writes for custom.bin', () => {
    expect(formatPartitionCsv(decodePartitionTable(fixture('partition-tables/custom.bin')).entries)).toBe(`# ESP-IDF Partition Table
# Name, Type, SubType, Offset, Size, Flags
nvs,data,nvs,0x9000,20K,
otadata,data,ota,0xe000,8K,
app0,app,ota_0,0x10000,1280K,
app1,app,ota_1,0x150000,1280K,
spiffs,data,spiffs,0x290000,1408K,
coredump,data,coredump,0x3f0000,64K,
nvs_key,data,nvs_keys,0x400000,4K,encrypted
fctry,data,nvs,0x401000,12K,readonly
custom,64,1,0x404000,4K,
abcdefghijklmnop,data,fat,0x405000,64K,
`)
  })
})

describe('decodePartitionTable', () => {
  it('reads the default single-app layout and its MD5 row', () => {
    const bin = fixture('partition-tables/partitions_singleapp.bin')
    const { entries } = decodePartitionTable(bin)
    expect(entries.map((e) => [e.name, e.type, e.subtype, e.offset, e.size])).toEqual([
      ['nvs', 1, 2, 0x9000, 0x6000],
      ['phy_init', 1, 1, 0xf000, 0x1000],
      ['factory', 0, 0, 0x10000, 0x100000],
    ])
    expect(hex(bin.subarray(0x70, 0x80))).toBe('f4ad4f4538564b5d7435b62c75b69524')
  })

  it('accepts esptool\'s legacy table without MD5 row or end marker, with a warning', () => {
    const decoded = decodePartitionTable(fixture('partition-tables/esptool_test_partitions_singleapp.bin'))
    expect(decoded.entries.map((e) => e.name)).toEqual(['factory', 'rfdata', 'wifidata'])
    expect(decoded.terminated).toBe(false)
    expect(decoded.problems).toEqual([expect.objectContaining({ code: 'NO_END_MARKER', severity: 'warning' })])
  })

  it('reports a corrupted entry through the MD5 row', () => {
    const bin = fixture('partition-tables/partitions_two_ota.bin')
    bin[0x24] = 0x01
    const decoded = decodePartitionTable(bin)
    expect(decoded.md5.valid).toBe(false)
    expect(decoded.problems[0]?.message).toMatch(/^MD5 row mismatch: stored bf25822c0fa6d8641bd930251e06b4c4, computed [0-9a-f]{32}$/)
  })

  it('stops at a row that is not an entry', () => {
    const bin = fixture('partition-tables/partitions_two_ota.bin')
    bin[0x40] = 0x12
    const decoded = decodePartitionTable(bin)
    expect(decoded.entries).toHaveLength(2)
    expect(decoded.problems[0]).toMatchObject({ code: 'BAD_MAGIC', severity: 'error' })
  })
})

describe('CSV dialect', () => {
  it('parses numbers as Python int(x, 0) with K/M suffixes', () => {
    expect(parseGeneratorNumber('0x1_000')).toEqual({ ok: true, value: 0x1000 })
    expect(parseGeneratorNumber('1500K')).toEqual({ ok: true, value: 1500 * 1024 })
    expect(parseGeneratorNumber('2m')).toEqual({ ok: true, value: 2 * 1024 * 1024 })
    expect(parseGeneratorNumber('0o17')).toEqual({ ok: true, value: 15 })
    expect(parseGeneratorNumber('010').ok).toBe(false)
    expect(parseGeneratorNumber('DATA', { data: 1 })).toEqual({ ok: true, value: 1 })
    expect(parseGeneratorNumber('constructor', { data: 1 }).ok).toBe(false)
  })

  it('places automatic offsets after a moved table and aligns apps to 64 KiB', () => {
    const { entries, problems } = parsePartitionCsv('nvs,data,nvs,,0x6000\nfactory,app,factory,,1M\n', { tableOffset: 0x10000 })
    expect(problems).toEqual([])
    expect(entries.map((e) => e.offset)).toEqual([0x11000, 0x20000])
  })

  it('reads an empty data subtype as "undefined" and a negative size as an end address', () => {
    const { entries } = parsePartitionCsv('blob,data,,0x9000,-0xb000\n')
    expect(entries[0]).toMatchObject({ subtype: 0x06, offset: 0x9000, size: 0x2000 })
  })

  it('names the line of each bad row and keeps the good ones', () => {
    const { entries, problems } = parsePartitionCsv('# header\nnvs,data,nvs,,0x6000\nx,app,,,1M\ny,data,nvs,,0x1000,secret\nz,data,bogus,,1K\nw,data,nvs,,\n$HOME,data,nvs,,4K\n')
    expect(entries.map((e) => e.name)).toEqual(['nvs'])
    expect(problems.map((p) => p.line)).toEqual([3, 4, 5, 6, 7])
    expect(problems.map((p) => p.message)).toEqual([
      'line 3: an app partition needs a subtype',
      'line 4: unknown flag "secret" (known: encrypted, readonly)',
      'line 5: subtype "bogus" is not a number or one of: ota, phy, nvs, coredump, nvs_keys, efuse, undefined, esphttpd, fat, spiffs, littlefs, tee_ota, tee_sec_stg',
      'line 6: the size field is empty',
      'line 7: unknown variable "HOME"',
    ])
  })

  it('fills the primary bootloader and table rows from the build settings', () => {
    const { entries } = parsePartitionCsv('bootloader,bootloader,primary,,\npt,partition_table,primary,,\nnvs,data,nvs,,24K\n', { bootloaderOffset: 0x1000 })
    expect(entries.map((e) => [e.offset, e.size])).toEqual([[0x1000, 0x7000], [0x8000, 0x1000], [0x9000, 0x6000]])
    expect(validatePartitionTable(entries)).toEqual([])
  })
})

describe('validatePartitionTable', () => {
  const rows = (csv: string) => parsePartitionCsv(csv).entries
  const codes = (csv: string, flashSize?: number) => validatePartitionTable(rows(csv), { flashSize }).map((p) => p.code)

  it('finds misaligned apps, overlaps and duplicate names', () => {
    expect(codes('factory,app,factory,0x18000,1M\n')).toEqual(['MISALIGNED'])
    expect(codes('a,data,nvs,0x9000,0x6000\nb,data,phy,0xa000,0x1000\n')).toEqual(['OVERLAP'])
    expect(codes('a,data,nvs,0x9000,0x6000\na,data,phy,,0x1000\n')).toEqual(['DUPLICATE_NAME'])
    expect(codes('a,data,phy,0x7000,0x1000\n')).toEqual(['BELOW_TABLE'])
  })

  it('enforces the otadata and read-only rules', () => {
    expect(codes('otadata,data,ota,,0x1000\n')).toEqual(['OTADATA'])
    expect(codes('a,data,tee_ota,,0x2000\nb,data,tee_ota,,0x2000\n')).toEqual(['OTADATA'])
    expect(codes('otadata,data,ota,,0x2000,readonly\n')).toEqual(['READONLY'])
    expect(codes('small,data,nvs,,0x2000\n')).toEqual(['READONLY'])
  })

  it('checks the table fits the flash', () => {
    const csv = fixtureText('partition-tables/partitions_two_ota.csv')
    expect(codes(csv, 4 * 1024 * 1024)).toEqual([])
    const problems = validatePartitionTable(rows(csv), { flashSize: 2 * 1024 * 1024 })
    expect(problems.map((p) => p.message)).toEqual(['the partitions end at 0x310000 (3.1 MB), beyond the 2 MB flash'])
    expect(codes(fixtureText('partition-tables/custom.csv'), 4 * 1024 * 1024)).toEqual(['TOO_LARGE_FOR_FLASH'])
  })
})

describe('md5', () => {
  it('agrees with node:crypto at block boundaries', () => {
    for (const length of [0, 1, 55, 56, 63, 64, 65, 3000]) {
      const data = Uint8Array.from({ length }, (_, i) => (i * 31 + 7) & 0xff)
      expect(hex(md5(data))).toBe(createHash('md5').update(data).digest('hex'))
    }
  })
})
