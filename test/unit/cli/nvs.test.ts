import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
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

describe('pairkit nvs dump and generate with passwords', () => {
  const passwords = { sta_pass: 'wifi-secret-1', ap_pass: 'iot-secret-22', turn_pass: 'turn-secret-3' }
  const hex = (text: string) => Buffer.from(text).toString('hex')
  async function imageWithPasswords(): Promise<string> {
    const csv = path.join(dir, 'bridge.csv')
    writeFileSync(
      csv,
      [
        'key,type,encoding,value',
        'smqtt,namespace,,',
        'sta_ssid,data,string,Farm',
        ...Object.entries(passwords).map(([key, value]) => `${key},data,string,${value}`),
        'signal_uri,data,string,mqtt://tech:broker-secret-4@broker.example.net',
        'other,namespace,,',
        `sta_pass,data,hex2bin,${hex('blob-secret-5')}`,
        '',
      ].join('\n'),
    )
    const image = path.join(dir, 'bridge-nvs.bin')
    expect((await runPairkit(['nvs', 'generate', csv, image, '0x3000'])).code).toBe(0)
    return image
  }
  const secrets = [...Object.values(passwords), 'broker-secret-4', 'blob-secret-5']

  it('writes the image readable by its owner only', async () => {
    const image = await imageWithPasswords()
    expect(statSync(image).mode & 0o777).toBe(0o600)
  })

  it('hides sta_pass, ap_pass and turn_pass, and the signalling URI password, unless --show-secrets', async () => {
    const image = await imageWithPasswords()
    for (const args of [[], ['--json']]) {
      const result = await runPairkit(['nvs', 'dump', image, ...args])
      expect(result.code).toBe(0)
      const text = result.stdout + result.stderr
      for (const secret of secrets) {
        expect(text).not.toContain(secret)
        expect(text).not.toContain(hex(secret))
      }
      expect(text).toContain('Farm')
      expect(text).toContain('mqtt://tech:***@broker.example.net')
    }
    const json = JSON.parse((await runPairkit(['nvs', 'dump', image, '--json'])).stdout) as { namespace: string; key: string; type: string; value: unknown }[]
    expect(json.find((entry) => entry.key === 'sta_pass' && entry.namespace === 'smqtt')).toEqual({ namespace: 'smqtt', key: 'sta_pass', type: 'string', value: '••••' })
    expect(json.find((entry) => entry.key === 'sta_pass' && entry.namespace === 'other')).toMatchObject({ type: 'blob', value: '••••' })
    const shown = await runPairkit(['nvs', 'dump', image, '--show-secrets'])
    for (const secret of [...Object.values(passwords), 'broker-secret-4', hex('blob-secret-5')]) expect(shown.stdout).toContain(secret)
  })
})
