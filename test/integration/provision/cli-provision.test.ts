// `pairkit provision` against twins, as a technician runs it: the nvs partition read back is
// the image PairKit made for that role, byte for byte; `pairkit nvs dump` shows the intended
// settings; no byte outside the nvs partition changes; and devices without a usable nvs
// partition are refused before anything is written.
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodePartitionTable, encodePartitionTable, type PartitionEntry } from '../../../src/common/partition-table'
import { MemorySecretStore } from '../../../src/main/secrets/secret-store'
import { ConfigService } from '../../../src/main/services/config-service'
import { startTwin, type Twin } from '../../../src/twin/index'
import { runToEnd, spawnPairkit } from '../../support/processes'
import { makeTempDir } from '../../support/temp-dir'
import { APP, BOOTLOADER, TABLE } from '../twin/support/flash-images'

const FLASH_SIZE = 4 << 20
const dir = makeTempDir('pairkit-provision-cli-')
const twins: Twin[] = []
afterAll(async () => {
  for (const twin of twins) await twin.close()
})

const run = (args: string[]) => runToEnd(spawnPairkit(args))

/** Where two byte arrays first differ (-1: nowhere). toEqual walks megabytes element by element, far too slowly. */
function firstDifference(a: Uint8Array, b: Uint8Array): number {
  if (Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength))) return -1
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) return i
  return -1
}
const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>

/** A twin holding the fixture bootloader and app, with the given partition table. */
async function twinWith(table: Uint8Array): Promise<Twin> {
  const twin = await startTwin({ chip: 'esp32', listen: 'rfc2217://127.0.0.1:0', wireTiming: false })
  twins.push(twin)
  twin.device.flash.program(0x1000, BOOTLOADER)
  twin.device.flash.program(0x8000, table)
  twin.device.flash.program(0x10000, APP)
  return twin
}

const siteA = { staSsid: 'Farm office', staPassword: 'wifi-secret-a1', apSsid: 'Sensors A', apPassword: 'iot-secret-33' }
const siteB = { staSsid: 'Barn', staPassword: 'wifi-secret-b2', apSsid: 'Sensors B', apPassword: 'iot-secret-44' }
const NVS = decodePartitionTable(TABLE).entries.find((entry) => entry.name === 'nvs') as PartitionEntry
let pairDir = ''
let pairId = ''

beforeAll(async () => {
  // The first run builds the CLI when it is stale; the pair is what the technician made on site.
  writeFileSync(path.join(dir, 'a.json'), JSON.stringify(siteA))
  writeFileSync(path.join(dir, 'b.json'), JSON.stringify(siteB))
  pairDir = path.join(dir, 'pair')
  const made = await run(['config', 'pair', '--a', path.join(dir, 'a.json'), '--b', path.join(dir, 'b.json'), '--out', pairDir, '--json'])
  expect(made.code, made.stderr).toBe(0)
  pairId = String(lastJson(made.stdout).pairId)
}, 240_000)

describe('pairkit provision', () => {
  it('writes the image over the nvs partition only, byte for byte, and the device then reports the pair and role', async () => {
    expect(NVS).toMatchObject({ offset: 0x9000, size: 0x6000 })
    const twin = await twinWith(TABLE)
    const before = twin.device.flash.read(0, FLASH_SIZE)
    const image = new Uint8Array(readFileSync(path.join(pairDir, 'b-nvs.bin')))
    expect(image.length).toBe(NVS.size) // made for the partition's size: the read-back is the image itself

    const provisioned = await run(['provision', '--port', twin.url, '--nvs', path.join(pairDir, 'b-nvs.bin'), '--json'])
    expect(provisioned.code, provisioned.stderr).toBe(0)
    const result = lastJson(provisioned.stdout)
    expect(result).toMatchObject({ type: 'provisioned', partition: { name: 'nvs', offset: 0x9000, size: 0x6000 }, bytes: 0x6000, blocks: 6, written: 1, deviceState: 'the chip was reset and runs the app' })
    // The partition was erased: only the page that holds the settings differed, and only it was written.
    expect(result.readBack).toMatchObject({ config: { pairId, role: 2, staSsid: 'Barn', staPassword: '••••' } })
    expect(result.probe).toMatchObject({ chip: 'esp32', config: { config: { pairId, role: 2 } } })
    for (const secret of ['wifi-secret-b2', 'iot-secret-44']) expect(provisioned.stdout + provisioned.stderr).not.toContain(secret)

    // Read back through the CLI: the partition is the image PairKit generated for role 2.
    const readBack = path.join(dir, 'read-back.bin')
    const read = await run(['read-flash', '--port', twin.url, '0x9000', '0x6000', readBack])
    expect(read.code, read.stderr).toBe(0)
    expect(new Uint8Array(readFileSync(readBack))).toEqual(image)
    const dump = await run(['nvs', 'dump', readBack, '--json', '--show-secrets'])
    expect(dump.code, dump.stderr).toBe(0)
    const entries = Object.fromEntries((JSON.parse(dump.stdout) as Array<{ namespace: string; key: string; value: unknown }>).filter((row) => row.namespace === 'smqtt').map((row) => [row.key, row.value]))
    expect(entries).toMatchObject({ sta_ssid: 'Barn', sta_pass: 'wifi-secret-b2', ap_ssid: 'Sensors B', ap_pass: 'iot-secret-44', role: 2, pair_id: pairId })

    // Nothing else changed: every byte outside the partition is as it was.
    const after = twin.device.flash.read(0, FLASH_SIZE)
    expect(firstDifference(after.subarray(0, NVS.offset), before.subarray(0, NVS.offset))).toBe(-1)
    expect(firstDifference(after.subarray(NVS.offset + NVS.size), before.subarray(NVS.offset + NVS.size))).toBe(-1)
    expect(firstDifference(after.subarray(NVS.offset, NVS.offset + NVS.size), image)).toBe(-1)

    // The same settings again: compared block by block with what the device holds, nothing is written.
    const again = await run(['provision', '--port', twin.url, '--nvs', path.join(pairDir, 'b-nvs.bin'), '--no-reset', '--json'])
    expect(again.code, again.stderr).toBe(0)
    expect(lastJson(again.stdout)).toMatchObject({ type: 'provisioned', blocks: 6, written: 0 })
    expect(firstDifference(twin.device.flash.read(NVS.offset, NVS.size), image)).toBe(-1)
  })

  it('erases every page of earlier settings: a smaller image leaves the rest of the partition empty', async () => {
    const twin = await twinWith(TABLE)
    twin.device.flash.program(0x9000, new Uint8Array(0x6000).fill(0x00)) // old pages, all written
    const small = new Uint8Array(readFileSync(path.join(pairDir, 'a-nvs.bin'))).subarray(0, 0x3000)
    const file = path.join(dir, 'a-small.bin')
    writeFileSync(file, small)
    const provisioned = await run(['provision', '--port', twin.url, '--nvs', file, '--no-reset', '--json'])
    expect(provisioned.code, provisioned.stderr).toBe(0)
    expect(lastJson(provisioned.stdout).probe).toBeUndefined()
    expect(twin.device.flash.read(0x9000, 0x3000)).toEqual(small)
    expect(twin.device.flash.read(0xc000, 0x3000).every((byte) => byte === 0xff)).toBe(true)
  })

  const refusals: Array<[string, PartitionEntry[], RegExp]> = [
    ['no nvs partition', [{ name: 'phy_init', type: 1, subtype: 1, offset: 0xf000, size: 0x1000, flags: 0 }, { name: 'factory', type: 0, subtype: 0, offset: 0x10000, size: 0x100000, flags: 0 }], /has no nvs partition, where the firmware reads its settings; nothing was written/],
    ['an nvs partition smaller than the image', [{ name: 'nvs', type: 1, subtype: 2, offset: 0x9000, size: 0x4000, flags: 0 }, { name: 'factory', type: 0, subtype: 0, offset: 0x10000, size: 0x100000, flags: 0 }], /the NVS image is 24576 bytes, larger than the device's nvs partition \(16384 bytes at 0x9000\); nothing was written/],
  ]
  it.each(refusals)('refuses a device with %s before writing anything', async (_what, entries, reason) => {
    const twin = await twinWith(encodePartitionTable(entries))
    const before = twin.device.flash.read(0, FLASH_SIZE)
    const refused = await run(['provision', '--port', twin.url, '--nvs', path.join(pairDir, 'a-nvs.bin')])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(reason)
    expect(firstDifference(twin.device.flash.read(0, FLASH_SIZE), before)).toBe(-1)
  })

  it('writes a pair from the data folder at the partition size, and says why it cannot when the app keeps its passwords', async () => {
    const dataDir = makeTempDir('pairkit-provision-data-')
    const config = new ConfigService(new MemorySecretStore(), dataDir)
    // Open networks and no TURN: nothing secret, so the command line can make the image.
    const open = config.pair({ siteA: { staSsid: 'Open farm', staPassword: '', apSsid: 'Sensors', apPassword: '' }, siteB: { staSsid: 'Open barn', staPassword: '', apSsid: 'Sensors', apPassword: '' } })
    const closed = config.pair({ siteA, siteB })
    const twin = await twinWith(TABLE)

    const provisioned = await run(['provision', '--port', twin.url, '--pair', open.pairId, '--role', '1', '--data-dir', dataDir, '--json'])
    expect(provisioned.code, provisioned.stderr).toBe(0)
    expect(lastJson(provisioned.stdout)).toMatchObject({ pair: { pairId: open.pairId, role: 1 }, readBack: { differences: [], comparedWith: { pairId: open.pairId, side: 'a' } } })
    expect(twin.device.flash.read(0x9000, 0x6000)).toEqual(config.nvsImageBytes(open.pairId, 'a', 0x6000))

    const before = twin.device.flash.read(0, FLASH_SIZE)
    const refused = await run(['provision', '--port', twin.url, '--pair', closed.pairId, '--role', '2', '--data-dir', dataDir])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(new RegExp(`the passwords of pair ${closed.pairId} are kept in memory by the PairKit app while it runs, where this command cannot read them; nothing was written`))
    expect(refused.stderr).toMatch(/pairkit provision --nvs FILE/)
    expect(firstDifference(twin.device.flash.read(0, FLASH_SIZE), before)).toBe(-1)

    const usage = await run(['provision', '--port', twin.url, '--pair', open.pairId])
    expect(usage.code).toBe(2)
    expect(usage.stderr).toMatch(/--role must be 1 \(site A\) or 2 \(site B\)/)
  })
})
