import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runPairkit } from './cli-capture'
import { FIXTURES, readFixture } from '../nvs/fixtures'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'pairkit-nvs-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('pairkit nvs generate', () => {
  it('writes the generator\'s bytes, reading file rows beside the CSV', async () => {
    const output = path.join(dir, 'out.bin')
    const result = await runPairkit(['nvs', 'generate', path.join(FIXTURES, 'bigblob.csv'), output, '0x6000'])
    expect(result).toMatchObject({ code: 0 })
    expect(new Uint8Array(readFileSync(output))).toEqual(readFixture('bigblob.bin'))
  })

  it('takes --version 1 and refuses other versions as a usage error', async () => {
    const csv = path.join(dir, 'in.csv')
    writeFileSync(csv, 'key,type,encoding,value\nns,namespace,,\nb,data,hex2bin,abcd\n')
    expect((await runPairkit(['nvs', 'generate', csv, path.join(dir, 'v1.bin'), '0x3000', '--version', '1'])).code).toBe(0)
    expect(readFileSync(path.join(dir, 'v1.bin'))[8]).toBe(0xff)
    expect((await runPairkit(['nvs', 'generate', csv, path.join(dir, 'v3.bin'), '0x3000', '--version', '3'])).code).toBe(2)
  })

  it('exits 1 with the row named when the CSV is wrong', async () => {
    const csv = path.join(dir, 'bad.csv')
    writeFileSync(csv, 'key,type,encoding,value\nns,namespace,,\nport,data,u16,70000\n')
    const result = await runPairkit(['nvs', 'generate', csv, path.join(dir, 'bad.bin'), '0x3000'])
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/line 3 \("port"\): 70000 does not fit in u16/)
  })
})

describe('pairkit nvs dump', () => {
  it('--json prints one JSON array with numbers, decimal strings for 64-bit, text and hex', async () => {
    const result = await runPairkit(['nvs', 'dump', path.join(FIXTURES, 'basic.bin'), '--json'])
    expect(result.code).toBe(0)
    expect(result.stdout.trim().split('\n')).toHaveLength(1)
    const entries = JSON.parse(result.stdout) as { key: string; value: unknown }[]
    const byKey = Object.fromEntries(entries.map((entry) => [entry.key, entry]))
    expect(byKey.u32key).toEqual({ namespace: 'storage', key: 'u32key', type: 'u32', value: 4294967295 })
    expect(byKey.u64key?.value).toBe('18446744073709551615')
    expect(byKey.strkey?.value).toBe('Hello NVS')
    expect(byKey.hexkey?.value).toBe('deadbeef0102')
  })

  it('lists damage on stderr and exits 1, still printing the readable entries', async () => {
    const image = readFixture('basic.bin')
    image[64 + 32 + 9] = (image[64 + 32 + 9] as number) ^ 1 // key byte of u8key
    const file = path.join(dir, 'damaged.bin')
    writeFileSync(file, image)
    const result = await runPairkit(['nvs', 'dump', file])
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/header CRC mismatch/)
    expect(result.stdout).toMatch(/i8key/)
  })
})
