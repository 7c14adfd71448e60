import { describe, expect, it } from 'vitest'
import { PairKitError } from '../../../src/common/errors'
import { bytesToHex, generateNvsFromCsv, parseNvsSize, readNvsPartition } from '../../../src/common/nvs'
import { pbkdf2Sha1 } from '../../../src/common/nvs/pbkdf2-sha1'
import { GENERATED_FIXTURES, fixtureFileReader, readFixture, readFixtureText } from './fixtures'

const HEADER = 'key,type,encoding,value\n'
const generate = (csv: string, size = 0x3000, version: 1 | 2 = 2) => generateNvsFromCsv(csv, size, { version, readFile: fixtureFileReader }).image

function errorOf(run: () => unknown): PairKitError {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(PairKitError)
    return error as PairKitError
  }
  throw new Error('expected a PairKitError')
}

describe('NVS generator: byte-identical to esp-idf-nvs-partition-gen v0.2.0', () => {
  for (const { name, size } of GENERATED_FIXTURES) {
    it(`${name}.csv at 0x${size.toString(16)} gives ${name}.bin`, () => {
      const image = generate(readFixtureText(`${name}.csv`), size)
      expect(bytesToHex(image)).toBe(bytesToHex(readFixture(`${name}.bin`)))
    })
  }

  it('writes the old single-page layout of ESP-IDF\'s part_old_blob_format.bin with --version 1', () => {
    // CSV reconstructed from the values in that page; the files are the payloads it holds.
    const files: Record<string, Uint8Array> = {
      'hex.txt': new TextEncoder().encode('0123456789abcdef\n'),
      'b64.txt': new TextEncoder().encode('AQIDBAUGBwgJq83v'),
      'str.txt': new TextEncoder().encode('abcdefghijklmnopqrstuvwxyz'),
      'bin.bin': Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 0xab, 0xcd, 0xef),
    }
    const csv = HEADER + [
      'dummyNamespace,namespace,,', 'dummyU8Key,data,u8,127', 'dummyI8Key,data,i8,-128', 'dummyU16Key,data,u16,32768',
      'dummyU32Key,data,u32,4294967295', 'dummyI32Key,data,i32,-2147483648', 'dummyStringKey,data,string,0A:0B:0C:0D:0E:0F',
      'dummyHex2BinKey,data,hex2bin,010203ABCDEF', 'dummyBase64Key,data,base64,MTIzYWJj', 'hexFileKey,file,hex2bin,hex.txt',
      'base64FileKey,file,base64,b64.txt', 'stringFileKey,file,string,str.txt', 'binFileKey,file,binary,bin.bin',
    ].join('\n')
    const { image, readOnly } = generateNvsFromCsv(csv, 0x1000, { version: 1, readFile: (file) => files[file] as Uint8Array })
    expect(readOnly).toBe(true)
    expect(bytesToHex(image)).toBe(bytesToHex(readFixture('idf/part_old_blob_format.bin')))
  })
})

describe('NVS generator layout rules', () => {
  it('keeps the v0.2.0 namespace-revisit bug: no new entry, keys go to the newest namespace', () => {
    const image = generate(HEADER + 'first,namespace,,\na,data,u8,1\nsecond,namespace,,\nb,data,u8,2\nfirst,namespace,,\nc,data,u8,3\n')
    const { entries, namespaces } = readNvsPartition(image)
    expect(namespaces).toEqual([{ name: 'first', index: 1 }, { name: 'second', index: 2 }])
    expect(entries.map((entry) => `${entry.namespace}/${entry.key}`)).toEqual(['first/a', 'second/b', 'second/c'])
  })

  it('under 0x3000 keeps no spare page and truncates to the pages used (read-only mode)', () => {
    const small = generateNvsFromCsv(HEADER + 'ns,namespace,,\na,data,u8,1\n', 0x2000)
    expect(small.readOnly).toBe(true)
    expect(small.image.length).toBe(0x1000)
    const normal = generateNvsFromCsv(HEADER + 'ns,namespace,,\na,data,u8,1\n', 0x3000)
    expect(normal.readOnly).toBe(false)
    expect(normal.image.length).toBe(0x3000)
    expect(normal.image.subarray(0x1000).every((byte) => byte === 0xff)).toBe(true)
  })

  it('accepts a 3967-character string and refuses 3968 (the generator\'s ">=" page test)', () => {
    const fits = generate(HEADER + `ns,namespace,,\ns,data,string,${'x'.repeat(3967)}\n`)
    expect(readNvsPartition(fits).entries[0]?.value).toBe('x'.repeat(3967))
    expect(errorOf(() => generate(HEADER + `ns,namespace,,\ns,data,string,${'x'.repeat(3968)}\n`)).message).toMatch(/do not fit on one NVS page/)
    expect(errorOf(() => generate(HEADER + `ns,namespace,,\ns,data,string,${'x'.repeat(4000)}\n`)).message).toMatch(/more than the 4000/)
  })

  it('limits v1 blobs to 1984 bytes and marks v1 pages with version byte 0xFF', () => {
    const image = generate(HEADER + `ns,namespace,,\nb,data,hex2bin,${'ab'.repeat(1984)}\n`, 0x3000, 1)
    expect(image[8]).toBe(0xff)
    expect(readNvsPartition(image).entries[0]).toMatchObject({ type: 'blob', blobFormat: 'v1' })
    expect(errorOf(() => generate(HEADER + `ns,namespace,,\nb,data,hex2bin,${'ab'.repeat(1985)}\n`, 0x3000, 1)).message).toMatch(/1984/)
  })

  it('adds the hidden Wi-Fi entries for sta.ssid, once', () => {
    const image = generate(HEADER + 'nvs.net80211,namespace,,\nsta.ssid,data,blob_sz_fill(32;0x00),home\nsta.pswd,data,blob_fill(64;0x00),secret12\n')
    const { entries } = readNvsPartition(image)
    expect(entries.map((entry) => entry.key)).toEqual(['sta.ssid', 'sta.apinfo', 'sta.pmk', 'sta.apsw', 'sta.pswd'])
    expect(bytesToHex(entries[0]?.value as Uint8Array)).toBe('04000000' + '686f6d65' + '00'.repeat(28))
    expect((entries[1]?.value as Uint8Array).length).toBe(140)
    expect((entries[4]?.value as Uint8Array).length).toBe(64)
  })

  it('adds ap.pmk_info (PBKDF2-SHA1 of password and SSID) once ap.ssid, ap.passwd and ap.authmode are set', () => {
    const image = generate(HEADER + 'nvs.net80211,namespace,,\nap.ssid,data,string,IEEE\nap.passwd,data,string,password\nap.authmode,data,u8,3\n')
    const { entries } = readNvsPartition(image)
    expect(entries.map((entry) => entry.key)).toEqual(['ap.ssid', 'ap.passwd', 'ap.pmk_info', 'ap.authmode'])
    // IEEE 802.11i test vector: passphrase "password", SSID "IEEE".
    expect(bytesToHex(entries[2]?.value as Uint8Array)).toBe('00'.repeat(100) + 'f42c6fc52df0ebef9ebb4b90b38a5f902e83fe1b135a70e23aed762e9710a12e')
  })

  it('implements PBKDF2-HMAC-SHA1 (RFC 6070 vector)', () => {
    const encode = (text: string) => new TextEncoder().encode(text)
    expect(bytesToHex(pbkdf2Sha1(encode('password'), encode('salt'), 4096, 20))).toBe('4b007901b765489abead49d926f721d065a429c1')
  })

  it('puts a v2 blob index on the next page when the last chunk fills a page exactly', () => {
    // Namespace entry + header + 124 data entries = 126: the index must start page 1.
    const image = generate(HEADER + `ns,namespace,,\nb,data,hex2bin,${'11'.repeat(124 * 32)}\n`)
    const { entries, pages } = readNvsPartition(image)
    expect(pages.slice(0, 2).map((page) => page.state)).toEqual(['full', 'active'])
    expect(entries[0]?.location).toEqual({ page: 1, entry: 0 })
    expect((entries[0]?.value as Uint8Array).length).toBe(124 * 32)
  })
})

describe('NVS generator input errors name the row and the problem', () => {
  const cases: [string, string, RegExp][] = [
    ['key over 15 characters', 'ns,namespace,,\nk234567890123456,data,u8,1', /line 3 \("k234567890123456"\).*at most 15/],
    ['u8 out of range', 'ns,namespace,,\nk,data,u8,256', /256 does not fit in u8 \(0 … 255\)/],
    ['not a number', 'ns,namespace,,\nk,data,i32,12a', /not a whole number/],
    ['odd hex', 'ns,namespace,,\nk,data,hex2bin,abc', /odd number of hex digits/],
    ['bad base64 padding', 'ns,namespace,,\nk,data,base64,QUJD\nl,data,base64,QQ', /missing its "=" padding/],
    ['unknown encoding', 'ns,namespace,,\nk,data,float,1.5', /encoding "float" is not one of/],
    ['unknown row type', 'ns,namespace,,\nk,value,u8,1', /type "value" is not one of namespace, data, file/],
    ['data before a namespace', 'k,data,u8,1', /before any namespace row/],
    ['unclosed quote', 'ns,namespace,,\nk,data,string,"abc', /never closed/],
  ]
  for (const [what, body, message] of cases) {
    it(what, () => {
      expect(errorOf(() => generate(HEADER + body + '\n')).message).toMatch(message)
    })
  }

  it('reports a partition that is too small for the data', () => {
    const rows = Array.from({ length: 130 }, (_, i) => `k${i},data,u8,1`).join('\n')
    const error = errorOf(() => generate(HEADER + 'ns,namespace,,\n' + rows, 0x1000))
    expect(error.message).toMatch(/does not fit/)
    expect(error.hint).toMatch(/larger partition size/)
  })

  it('refuses sizes that are not whole pages', () => {
    expect(errorOf(() => generate(HEADER, 0x3001)).message).toMatch(/multiple of 4096/)
    expect(errorOf(() => generate(HEADER, 0)).message).toMatch(/minimum/)
  })

  it('parses sizes like the generator (decimal, 0x, 0o, 0b)', () => {
    expect([parseNvsSize('0x6000'), parseNvsSize('24576'), parseNvsSize('0o60000'), parseNvsSize('0b110000000000000')]).toEqual([0x6000, 0x6000, 0x6000, 0x6000])
    expect(errorOf(() => parseNvsSize('24K')).message).toMatch(/not a partition size/)
  })
})
