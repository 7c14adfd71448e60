// `pairkit flash` refuses data where an app or the partition table belongs before it writes
// a byte, and writes it when the technician marks it --raw.
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTwin, type Twin } from '../../../src/twin/index'
import { runToEnd, spawnPairkit } from '../../support/processes'
import { makeTempDir } from '../../support/temp-dir'
import { fixture, FIXTURES } from '../../unit/app-image/fixtures'

const dir = makeTempDir('pk-flash-safety-')
const readmeText = '# bridge\n\nBuild with idf.py build, then flash build/bridge.bin.\n'
const readme = path.join(dir, 'README.md')
writeFileSync(readme, readmeText)
const parts = [
  `0x1000=${path.join(FIXTURES, 'images/bootloader_esp32_v5_2.bin')}`,
  `0x8000=${path.join(FIXTURES, 'partition-tables/partitions_singleapp.bin')}`,
  `0x10000=${readme}`,
]
let twin: Twin
beforeAll(async () => {
  twin = await startTwin({ chip: 'esp32', listen: 'rfc2217://127.0.0.1:0', wireTiming: false })
})
afterAll(async () => {
  await twin.close()
})

const erased = (offset: number, length: number) => twin.device.flash.read(offset, length).every((byte) => byte === 0xff)

describe('pairkit flash', () => {
  it('refuses README.md at 0x10000 with the reason and writes nothing', async () => {
    const result = await runToEnd(spawnPairkit(['flash', '--port', twin.url, '--no-reset', ...parts]))
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('the bundle cannot be written: 0x10000 README.md is not an ESP app image (its first byte is 0x23, an image starts with 0xE9): pick the app .bin from the build folder, or write it as raw data with --raw 0x10000')
    expect([erased(0x1000, 0x7000), erased(0x8000, 0x1000), erased(0x10000, 0x1000)]).toEqual([true, true, true])
  }, 30_000)

  it('writes it as raw data with --raw 0x10000', async () => {
    const result = await runToEnd(spawnPairkit(['flash', '--port', twin.url, '--no-reset', '--raw', '0x10000', ...parts]))
    expect(result.code, result.stderr).toBe(0)
    expect(new TextDecoder().decode(twin.device.flash.read(0x10000, readmeText.length))).toBe(readmeText)
    const table = fixture('partition-tables/partitions_singleapp.bin')
    expect(twin.device.flash.read(0x8000, table.length)).toEqual(table)
  }, 30_000)
})
