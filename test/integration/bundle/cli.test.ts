// `pairkit bundle inspect` and `pairkit partition-table …` as a user runs them.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runToEnd, spawnPairkit } from '../../support/processes'
import { FIXTURES } from '../../unit/app-image/fixtures'

const dir = mkdtempSync(path.join(os.tmpdir(), 'pairkit-bundle-cli-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const fx = (relative: string) => path.join(FIXTURES, relative)

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

  it('exits 2 for an unknown chip', async () => {
    const result = await runToEnd(spawnPairkit(['bundle', 'inspect', ...pairs, '--chip', 'esp99']))
    expect(result.code).toBe(2)
  })
})
