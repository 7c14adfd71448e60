// The flasher commands as a technician runs them, against a twin in this process.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { ChildProcess } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { appLikeImage } from '../../../bench/app-like-image'
import { startTwin, type Twin } from '../../../src/twin/index'
import { spawnPairkit } from '../../support/processes'

const dir = mkdtempSync(path.join(os.tmpdir(), 'pk-flasher-cli-'))
let twin: Twin
beforeAll(async () => {
  twin = await startTwin({ chip: 'esp32s3', listen: 'rfc2217://127.0.0.1:0', wireTiming: false })
})
afterAll(async () => {
  await twin.close()
  rmSync(dir, { recursive: true, force: true })
})

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child: ChildProcess = spawnPairkit(args)
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })))
}

const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>

describe('pairkit flasher commands', () => {
  it('probe --json names the chip, MAC and flash', async () => {
    const { code, stdout, stderr } = await run(['probe', '--port', twin.url, '--json'])
    expect(code, stderr).toBe(0)
    const result = lastJson(stdout)
    expect(result).toMatchObject({ type: 'probe', chip: 'esp32s3', flash: { size: '4MB' } })
    expect(result.mac).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/)
  })

  it('flash OFFSET=FILE, read-flash it back, erase the region', async () => {
    const image = appLikeImage(40 * 1024, 0.55, 11)
    const file = path.join(dir, 'blob.bin')
    writeFileSync(file, image)
    const flashed = await run(['flash', '--port', twin.url, '--no-reset', '--json', `0x20000=${file}`])
    expect(flashed.code, flashed.stderr).toBe(0)
    expect(lastJson(flashed.stdout)).toMatchObject({ type: 'flashed', regions: [{ offset: 0x20000, verified: true }] })

    const out = path.join(dir, 'back.bin')
    const read = await run(['read-flash', '--port', twin.url, '0x20000', String(image.length), out])
    expect(read.code, read.stderr).toBe(0)
    expect(new Uint8Array(readFileSync(out))).toEqual(image)

    const erased = await run(['erase', '--port', twin.url, '--region', '0x20000:0xa000'])
    expect(erased.code, erased.stderr).toBe(0)
    expect(twin.device.flash.read(0x20000, 0xa000).every((byte) => byte === 0xff)).toBe(true)
  })

  it('flash again writes only what changed, one line per region; --full writes everything', async () => {
    const image = appLikeImage(64 * 1024, 0.55, 12)
    const file = path.join(dir, 'part.bin')
    writeFileSync(file, image)
    const args = ['flash', '--port', twin.url, '--no-reset', '--raw', '0x30000', `0x30000=${file}`]
    const first = await run(args)
    expect(first.code, first.stderr).toBe(0)
    expect(first.stdout).toMatch(/^part\.bin 0x30000: 16 of 16 blocks written \(\d+ bytes on the wire\), verified by MD5 [0-9a-f]{32}$/m)

    const again = await run([...args, '--json'])
    expect(again.code, again.stderr).toBe(0)
    expect(lastJson(again.stdout)).toMatchObject({ type: 'flashed', full: false, regions: [{ offset: 0x30000, blocks: 16, written: 0, verified: true }] })

    image[5 * 4096 + 7] = (image[5 * 4096 + 7] ?? 0) ^ 0xff
    writeFileSync(file, image)
    const changed = await run(args)
    expect(changed.code, changed.stderr).toBe(0)
    expect(changed.stdout).toMatch(/^part\.bin 0x30000: 1 of 16 blocks written, 15 unchanged \(\d+ bytes on the wire\), verified by MD5/m)
    expect(twin.device.flash.read(0x30000, image.length)).toEqual(image)

    const full = await run([...args, '--full', '--json'])
    expect(full.code, full.stderr).toBe(0)
    const fullResult = lastJson(full.stdout) as { seconds: number; wireSeconds: number; phases: Record<string, number> }
    expect(fullResult).toMatchObject({ full: true, regions: [{ blocks: 16, written: 16 }] })
    // Where the write's time went: the parts add up to no more than the job, and the wire phases to its time on the wire.
    const { phases } = fullResult
    expect(Object.keys(phases).sort()).toEqual(['acks', 'blocks', 'compare', 'connect', 'erase', 'finish', 'stub', 'verify'])
    expect(phases.compare).toBe(0)
    expect(phases.stub).toBeGreaterThan(0)
    expect(phases.blocks).toBeGreaterThan(0)
    expect(Object.values(phases).reduce((sum, value) => sum + value, 0)).toBeLessThanOrEqual(fullResult.seconds + 0.005)
    expect(Math.abs((phases.erase ?? 0) + (phases.blocks ?? 0) + (phases.acks ?? 0) - fullResult.wireSeconds)).toBeLessThan(0.005)
    const unchanged = await run(args)
    expect(unchanged.stdout).toMatch(/^part\.bin 0x30000: unchanged \(16 blocks compared\), verified by MD5/m)
  })

  it('a dead port gives the technician something to do', async () => {
    const { code, stderr } = await run(['probe', '--port', 'rfc2217://127.0.0.1:1'])
    expect(code).toBe(1)
    expect(stderr).toMatch(/nothing listens at rfc2217:\/\/127.0.0.1:1/)
  })
})
