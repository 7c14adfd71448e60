// Wire timing (10 bits per byte at the current baud, switching on CHANGE_BAUDRATE) and
// transport faults (seeded; the connection is cut after disconnect-after bytes).
import { randomBytes } from 'node:crypto'
import { connect, type Socket } from 'node:net'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { OPCODES } from '../../../src/common/esp/opcodes'
import { packWords } from '../../../src/common/esp/packet'
import { startTwin } from '../../../src/twin'
import { parseFaults } from '../../../src/twin/faults'
import { RomClient } from './support/rom-client'

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.()
})

async function client(url: string): Promise<{ rom: RomClient; socket: Socket; received: () => number }> {
  const port = Number(/:(\d+)$/.exec(url)?.[1])
  const socket = connect(port, '127.0.0.1')
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject))
  cleanups.push(() => void socket.destroy())
  let count = 0
  socket.on('data', (chunk: Buffer) => (count += chunk.length))
  const rom = new RomClient({ write: (bytes) => socket.write(bytes), onData: (listener) => socket.on('data', (chunk: Buffer) => listener(new Uint8Array(chunk))) })
  return { rom, socket, received: () => count }
}

describe('twin wire timing', () => {
  it('paces at 115200 and gets ~8× faster after CHANGE_BAUDRATE to 921600', async () => {
    const twin = await startTwin({ chip: 'esp32', listen: 'socket://127.0.0.1:0', wireTiming: true })
    cleanups.push(() => twin.close())
    const { rom } = await client(twin.url)
    await rom.sync()
    const image = new Uint8Array(randomBytes(8 * 1024))
    let started = performance.now()
    await rom.writeFlashRom(0x10000, image)
    const slow = performance.now() - started
    // 8 KiB + headers at 11,520 bytes/s is at least 0.71 s.
    expect(slow).toBeGreaterThan(700)
    await rom.command(OPCODES.CHANGE_BAUDRATE, packWords(921600, 0))
    await new Promise((resolve) => setTimeout(resolve, 20))
    started = performance.now()
    await rom.writeFlashRom(0x20000, image)
    const fast = performance.now() - started
    expect(fast).toBeGreaterThan(85) // 8 KiB at 92,160 bytes/s
    expect(slow / fast).toBeGreaterThan(4)
  })
})

describe('twin transport faults', () => {
  it('cuts the connection after disconnect-after bytes and accepts the next client', async () => {
    const twin = await startTwin({ chip: 'esp32', listen: 'socket://127.0.0.1:0', wireTiming: false, faults: parseFaults('disconnect-after=40,seed=1') })
    cleanups.push(() => twin.close())
    const first = await client(twin.url)
    const closed = new Promise<void>((resolve) => first.socket.once('close', () => resolve()))
    await first.rom.sync().catch(() => undefined)
    await closed
    expect(first.received()).toBe(40)
    const second = await client(twin.url)
    await expect(second.rom.command(OPCODES.READ_REG, packWords(0x40001000), 0, 1000)).resolves.toMatchObject({ value: 0x00f01d83 })
  })

  it('keeps answering through seeded corruption: every answer is well-formed or missing, never a crash', async () => {
    const twin = await startTwin({ chip: 'esp32', listen: 'socket://127.0.0.1:0', wireTiming: false, faults: parseFaults('corrupt=0.02,drop=0.01,seed=11') })
    cleanups.push(() => twin.close())
    const { rom } = await client(twin.url)
    let answered = 0
    for (let i = 0; i < 60; i++) {
      const reply = await rom.command(OPCODES.READ_REG, packWords(0x40001000), 0, 150).catch(() => undefined)
      if (reply) answered++
    }
    expect(answered).toBeGreaterThan(20)
    expect(answered).toBeLessThan(60)
  })

  it('rejects a malformed fault spec with a usage error', () => {
    expect(() => parseFaults('drop=2')).toThrow(/Bad fault/)
    expect(parseFaults('drop=0.001,corrupt=0.001,stall=0.01,disconnect-after=4096,panic,bootloop=5,seed=9')).toEqual({
      drop: 0.001, corrupt: 0.001, stall: 0.01, disconnectAfter: 4096, panicAfterMs: 2000, bootloopMs: 5000, seed: 9,
    })
  })
})

describe('pairkit twin command', () => {
  it('prints the URL as its first stdout line (JSON with --json) and serves it', async () => {
    const repo = path.resolve(__dirname, '../../..')
    const dir = mkdtempSync(path.join(tmpdir(), 'twin-cli-'))
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
    const child = spawn(process.execPath, [path.join(repo, 'bin/pairkit.js'), 'twin', '--chip', 'esp32c3', '--flash', path.join(dir, 'flash.bin'), '--listen', 'socket://127.0.0.1:0', '--json', '--no-wire-timing'], { stdio: ['ignore', 'pipe', 'pipe'] })
    cleanups.push(() => void child.kill('SIGTERM'))
    const line = await new Promise<string>((resolve, reject) => {
      let out = ''
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString()
        if (out.includes('\n')) resolve(out.split('\n')[0] ?? '')
      })
      child.once('exit', (code) => reject(new Error(`exited ${code}`)))
    })
    const parsed = JSON.parse(line) as { url: string; chip: string }
    expect(parsed.chip).toBe('esp32c3')
    const { rom } = await client(parsed.url)
    expect(await rom.sync()).toBe(0x20120707)
    const [magic] = [await rom.command(OPCODES.READ_REG, packWords(0x40001000))]
    expect(magic.value).toBe(0x6921506f)
  })
})
