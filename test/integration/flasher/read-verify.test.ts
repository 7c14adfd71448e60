// Reading flash is checked by MD5 with the ROM loader too (--no-stub), not only with the
// stub: the twin's corrupt-reads fault flips a bit inside each block of flash data it sends,
// in an intact frame, so only the MD5 can tell. A damaged read fails; nothing is written.
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { appLikeImage } from '../../../bench/app-like-image'
import { parseFaults } from '../../../src/twin/faults'
import { startTwin, type Twin } from '../../../src/twin/index'
import { runToEnd, spawnPairkit } from '../../support/processes'
import { makeTempDir } from '../../support/temp-dir'
import { fixture } from '../../unit/app-image/fixtures'

const dir = makeTempDir('pk-read-verify-')
const data = appLikeImage(0x400, 0.55, 5)
const table = fixture('partition-tables/partitions_singleapp.bin')
let clean: Twin
let damaging: Twin

async function twinWith(faults: string): Promise<Twin> {
  const twin = await startTwin({ chip: 'esp32c3', listen: 'rfc2217://127.0.0.1:0', wireTiming: false, faults: parseFaults(faults) })
  twin.device.flash.program(0x8000, table)
  twin.device.flash.program(0x20000, data)
  return twin
}

beforeAll(async () => {
  clean = await twinWith('')
  damaging = await twinWith('corrupt-reads=1,seed=3')
})
afterAll(async () => {
  await clean.close()
  await damaging.close()
})

const readFlash = (twin: Twin, out: string, ...extra: string[]) =>
  runToEnd(spawnPairkit(['read-flash', '--port', twin.url, '--no-reset', ...extra, '0x20000', String(data.length), out]))

describe('read-flash verifies by MD5', () => {
  it('--no-stub reads through the ROM and gets the bytes that are there', async () => {
    const out = path.join(dir, 'rom.bin')
    const result = await readFlash(clean, out, '--no-stub')
    expect(result.code, result.stderr).toBe(0)
    expect(new Uint8Array(readFileSync(out))).toEqual(data)
  }, 30_000)

  it.each([
    { loader: 'the ROM (--no-stub)', extra: ['--no-stub'] },
    { loader: 'the stub', extra: [] },
  ])('through $loader, a read damaged on the line fails with a clear error and writes no file', async ({ extra }) => {
    const out = path.join(dir, `damaged${extra.join('')}.bin`)
    const result = await readFlash(damaging, out, ...extra)
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/read-back of 0x20000\+0x400 arrived damaged \(MD5 mismatch\) .*\. Read again/)
    expect(existsSync(out)).toBe(false)
  }, 30_000)

  it('probe --no-stub notes a damaged read-back instead of showing a wrong partition table', async () => {
    const good = await runToEnd(spawnPairkit(['probe', '--port', clean.url, '--no-reset', '--no-stub', '--json']))
    expect(good.code, good.stderr).toBe(0)
    const goodResult = JSON.parse(good.stdout.trim().split('\n').at(-1) as string) as { partitionTable?: { name: string }[] }
    expect(goodResult.partitionTable?.map((entry) => entry.name)).toEqual(['nvs', 'phy_init', 'factory'])

    const bad = await runToEnd(spawnPairkit(['probe', '--port', damaging.url, '--no-reset', '--no-stub', '--json']))
    expect(bad.code, bad.stderr).toBe(0)
    const badResult = JSON.parse(bad.stdout.trim().split('\n').at(-1) as string) as { partitionTable?: unknown; notes: string[] }
    expect(badResult.partitionTable).toBeUndefined()
    expect(badResult.notes).toContain('read-back of 0x8000+0xc00 arrived damaged (MD5 mismatch)')
  }, 30_000)
})

it('the usage line of read-flash lists --no-stub', async () => {
  const result = await runToEnd(spawnPairkit(['read-flash', '--help']))
  expect(result.stdout).toMatch(/^Usage: pairkit read-flash --port URL OFFSET SIZE OUT \[--baud N\] \[--no-stub\] \[--no-reset\] \[--json\]/)
})
