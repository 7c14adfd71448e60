// `pairkit bundle inspect` and `pairkit partition-table …` as a user runs them.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { seededRandom } from '../../../src/common/seeded-random'
import { REPO_ROOT, runToEnd, spawnPairkit } from '../../support/processes'
import { FIXTURES } from '../../unit/app-image/fixtures'

const dir = mkdtempSync(path.join(os.tmpdir(), 'pairkit-bundle-cli-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const fx = (relative: string) => path.join(FIXTURES, relative)
const SHARED = path.resolve(REPO_ROOT, '../shared/fixtures')

describe('pairkit partition-table', () => {
  it('to-bin writes the generator\'s bytes and to-csv reads them back', async () => {
    const out = path.join(dir, 'two_ota.bin')
    const toBin = await runToEnd(spawnPairkit(['partition-table', 'to-bin', fx('partition-tables/partitions_two_ota.csv'), out, '--flash-size', '4MB']))
    expect(toBin.code).toBe(0)
    expect(Buffer.compare(readFileSync(out), readFileSync(fx('partition-tables/partitions_two_ota.bin')))).toBe(0)
    const toCsv = await runToEnd(spawnPairkit(['partition-table', 'to-csv', out]))
    expect(toCsv.code).toBe(0)
    expect(toCsv.stdout).toContain('ota_1,app,ota_1,0x210000,1M,\n')
  })

  it('to-bin refuses a table that does not fit the flash and writes nothing', async () => {
    const out = path.join(dir, 'custom.bin')
    const result = await runToEnd(spawnPairkit(['partition-table', 'to-bin', fx('partition-tables/custom.csv'), out, '--flash-size', '4MB']))
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/beyond the 4 MB flash/)
    expect(() => readFileSync(out)).toThrow()
  })

  it('to-csv --json reports a damaged table', async () => {
    const bad = path.join(dir, 'bad.bin')
    const bytes = readFileSync(fx('partition-tables/partitions_singleapp.bin'))
    bytes[0x05] = 0x91
    writeFileSync(bad, bytes)
    const result = await runToEnd(spawnPairkit(['partition-table', 'to-csv', bad, '--json']))
    expect(result.code).toBe(1)
    const first = JSON.parse(result.stdout.split('\n')[0] as string)
    expect(first.md5).toEqual({ present: true, valid: false })
    expect(first.problems[0].code).toBe('MD5_MISMATCH')
  })
})

describe('pairkit bundle inspect', () => {
  const pairs = [`0x1000=${fx('images/bootloader_esp32_v5_2.bin')}`, `0x8000=${fx('partition-tables/partitions_singleapp.bin')}`, `0x10000=${fx('images/hello-world-signed.bin')}`]

  it('--json describes a good bundle and exits 0', async () => {
    const result = await runToEnd(spawnPairkit(['bundle', 'inspect', ...pairs, '--json']))
    expect(result.code).toBe(0)
    const report = JSON.parse(result.stdout)
    expect(report).toMatchObject({ chip: 'esp32', ok: true, problems: [] })
    expect(report.parts.map((p: { kind: string }) => p.kind)).toEqual(['bootloader', 'partition-table', 'app'])
    expect(report.parts[2].app.projectName).toBe('hello-world')
  })

  it('exits 1 and names the chips when the firmware is for another chip', async () => {
    const result = await runToEnd(spawnPairkit(['bundle', 'inspect', fx('merged/merged_target1000.bin'), '--chip', 'esp32s3']))
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('bootloader: built for esp32, the device is an esp32s3')
    expect(result.stdout).toContain('NOT ready to flash')
  })

  // The case from the report: a project's README.md given as the app.
  const readme = path.join(dir, 'README.md')
  writeFileSync(readme, '# bridge\n\nBuild with idf.py build, then flash build/bridge.bin.\n')
  const issueCase = [`0x1000=${fx('images/bootloader_esp32_v5_2.bin')}`, `0x8000=${fx('partition-tables/partitions_singleapp.bin')}`, `0x10000=${readme}`]

  it('refuses README.md at the app offset with the reason, and accepts it with --raw 0x10000', async () => {
    const refused = await runToEnd(spawnPairkit(['bundle', 'inspect', ...issueCase]))
    expect(refused.code).toBe(1)
    expect(refused.stdout).toContain('error: 0x10000 README.md is not an ESP app image (its first byte is 0x23, an image starts with 0xE9): pick the app .bin from the build folder, or write it as raw data with --raw 0x10000')
    expect(refused.stdout).toContain('NOT ready to flash: 1 error')
    const raw = await runToEnd(spawnPairkit(['bundle', 'inspect', ...issueCase, '--raw', '0x10000', '--json']))
    expect(raw.code, raw.stdout).toBe(0)
    expect(JSON.parse(raw.stdout)).toMatchObject({ ok: true, problems: [], parts: [{ kind: 'bootloader' }, { kind: 'partition-table' }, { name: 'README.md', kind: 'data', raw: true }] })
  })

  it('refuses random bytes at the partition table offset', async () => {
    const noise = path.join(dir, 'noise.bin')
    const random = seededRandom(8)
    writeFileSync(noise, Uint8Array.from({ length: 0xc00 }, (_, i) => (i === 0 ? 0x17 : Math.floor(random() * 256))))
    const result = await runToEnd(spawnPairkit(['bundle', 'inspect', `0x1000=${fx('images/bootloader_esp32_v5_2.bin')}`, `0x8000=${noise}`, `0x10000=${fx('images/hello-world-signed.bin')}`]))
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/error: 0x8000 noise.bin is not a partition table \(its first bytes are 0x17 0x[0-9A-F]{2}, a table starts with 0xAA 0x50\)/)
  })

  it('accepts NVS data at the nvs partition and the shared merged images', async () => {
    const withNvs = await runToEnd(spawnPairkit(['bundle', 'inspect', ...pairs, `0x9000=${fx('nvs/basic.bin')}`]))
    expect(withNvs.code, withNvs.stdout).toBe(0)
    for (const merged of ['merged_keep.bin', 'merged_dio_4MB_40m.bin']) {
      const result = await runToEnd(spawnPairkit(['bundle', 'inspect', path.join(SHARED, 'merged', merged)]))
      expect(result.code, `${merged}: ${result.stdout}`).toBe(0)
    }
  })

  it('says a mistyped offset is not an offset, and a --raw offset without a part names the parts (exit 2)', async () => {
    const typo = await runToEnd(spawnPairkit(['bundle', 'inspect', `0x1000=${fx('images/bootloader_esp32_v5_2.bin')}`, '0xZZ=app.bin']))
    expect(typo.code).toBe(2)
    expect(typo.stderr).toContain('0xZZ is not a flash offset: write it in hex or decimal, e.g. 0x10000=app.bin')
    const stray = await runToEnd(spawnPairkit(['bundle', 'inspect', ...pairs, '--raw', '0x9000']))
    expect(stray.code).toBe(2)
    expect(stray.stderr).toContain('--raw 0x9000 names no part of the firmware (its parts are at 0x1000, 0x8000, 0x10000)')
  })

  it('exits 2 for an unknown chip', async () => {
    const result = await runToEnd(spawnPairkit(['bundle', 'inspect', ...pairs, '--chip', 'esp99']))
    expect(result.code).toBe(2)
  })
})
