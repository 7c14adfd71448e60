// Flashes the twin through every link kind (rfc2217://, socket://, a pty pair as a local
// port), with and without the stub, and checks the twin's flash byte for byte.
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { appLikeImage } from '../../../bench/app-like-image'
import type { FlashResult } from '../../../src/common/flasher/job-state'
import { FlasherService } from '../../../src/main/flasher'
import { startTwin, type Twin } from '../../../src/twin/index'
import { createPtyPair, type PtyPair } from '../../support/pty'

const dir = mkdtempSync(path.join(os.tmpdir(), 'pk-flasher-'))
const open: Array<Twin | PtyPair> = []
afterAll(async () => {
  for (const item of open.reverse()) await item.close().catch(() => {})
  rmSync(dir, { recursive: true, force: true })
})

async function twinOn(kind: 'rfc2217' | 'socket' | 'pty', chip: 'esp32' | 'esp32c3' | 'esp32s3' = 'esp32c3'): Promise<{ twin: Twin; port: string }> {
  if (kind === 'pty') {
    const pair = await createPtyPair(path.join(dir, `ttyA${open.length}`), path.join(dir, `ttyB${open.length}`))
    open.push(pair)
    const twin = await startTwin({ chip, tty: pair.b, wireTiming: false })
    open.push(twin)
    return { twin, port: pair.a }
  }
  const twin = await startTwin({ chip, listen: `${kind}://127.0.0.1:0`, wireTiming: false })
  open.push(twin)
  return { twin, port: twin.url }
}

const app = appLikeImage(96 * 1024, 0.55, 3)
const bootloaderLike = appLikeImage(20 * 1024, 0.6, 4)

describe.each(['rfc2217', 'socket', 'pty'] as const)('flashing the twin over %s', (kind) => {
  it.each([true, false])('stub=%s writes, verifies and the twin holds the bytes', async (stub) => {
    const { twin, port } = await twinOn(kind)
    const service = new FlasherService()
    const warnings: string[] = []
    let last = ''
    service.onDidChangeJob((state) => {
      if (state.type === 'warning') warnings.push(state.message)
      last = JSON.stringify(state).slice(0, 400)
    })
    const id = service.start({
      operation: 'flash',
      port,
      regions: [
        { offset: 0x0, name: 'bootloader', bytes: bootloaderLike },
        { offset: 0x10000, name: 'app', bytes: app },
      ],
      options: { stub, baud: 460800 },
    })
    // A job that stops moving fails here with where it stopped, not as a bare test timeout.
    let timer: NodeJS.Timeout | undefined
    const stuck = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the flash job made no end within 45 s; last state: ${last}`)), 45_000)
    })
    const { state } = await Promise.race([service.wait(id), stuck]).finally(() => clearTimeout(timer))
    expect(state.type, JSON.stringify(state)).toBe('done')
    const result = (state as { result: FlashResult }).result
    expect(result.stub).toBe(stub)
    expect(result.regions.map((r) => r.verified)).toEqual([true, true])
    expect(twin.device.flash.read(0x10000, app.length)).toEqual(app)
    expect(twin.device.flash.read(0x0, bootloaderLike.length)).toEqual(bootloaderLike)
    if (kind === 'pty') expect(warnings.join('\n')).toMatch(/DTR\/RTS/)
    await service.dispose()
  })
})
