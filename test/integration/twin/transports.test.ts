// The twin over its three transports, checked by flash MD5; restart persistence; four
// twins at once; a tty whose client closes and reopens its end.
import { spawn, type ChildProcess } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { connect, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { SerialPort } from 'serialport'
import { afterEach, describe, expect, it } from 'vitest'
import { startTwin, type Twin } from '../../../src/twin'
import { RomClient } from './support/rom-client'

const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex')
const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.()
})

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'twin-transport-'))
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

async function openSocket(url: string): Promise<{ client: RomClient; socket: Socket }> {
  const [, host = '', port = ''] = /^socket:\/\/([^:]+):(\d+)$/.exec(url) ?? []
  const socket = connect(Number(port), host)
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject))
  cleanups.push(() => void socket.destroy())
  const client = new RomClient({ write: (bytes) => socket.write(bytes), onData: (listener) => socket.on('data', (chunk: Buffer) => listener(new Uint8Array(chunk))) })
  return { client, socket }
}

async function start(options: Parameters<typeof startTwin>[0]): Promise<Twin> {
  const twin = await startTwin(options)
  cleanups.push(() => twin.close())
  return twin
}

describe('twin transports', () => {
  it('socket://: ROM-mode write checked by MD5 on the wire and in the file, kept across a restart', async () => {
    const flashPath = path.join(tempDir(), 'flash.bin')
    const image = new Uint8Array(randomBytes(5000))
    const twin = await start({ chip: 'esp32', flashPath, listen: 'socket://127.0.0.1:0', wireTiming: false })
    const { client, socket } = await openSocket(twin.url)
    expect(await client.sync()).toBe(0x20120707)
    await client.writeFlashRom(0x20000, image)
    expect(await client.md5Rom(0x20000, image.length)).toBe(md5(image))
    socket.destroy()
    await twin.close()
    expect(md5(readFileSync(flashPath).subarray(0x20000, 0x20000 + image.length))).toBe(md5(image))

    const again = await start({ chip: 'esp32', flashPath, listen: 'socket://127.0.0.1:0', wireTiming: false })
    const second = await openSocket(again.url)
    await second.client.sync()
    await second.client.command(0x0d, new Uint8Array(8))
    expect(await second.client.md5Rom(0x20000, image.length)).toBe(md5(image))
  })

  it('runs four twins at once without interference', async () => {
    const dir = tempDir()
    const twins = await Promise.all([0, 1, 2, 3].map((i) => start({ chip: i % 2 ? 'esp32c3' : 'esp32', flashPath: path.join(dir, `f${i}.bin`), listen: 'socket://127.0.0.1:0', wireTiming: false })))
    const images = twins.map(() => new Uint8Array(randomBytes(20_000)))
    await Promise.all(
      twins.map(async (twin, i) => {
        const { client } = await openSocket(twin.url)
        await client.sync()
        await client.writeFlashRom(0x10000, images[i]!)
      }),
    )
    await Promise.all(twins.map((twin) => twin.close()))
    images.forEach((image, i) => expect(md5(readFileSync(path.join(dir, `f${i}.bin`)).subarray(0x10000, 0x10000 + image.length))).toBe(md5(image)))
  })

  it('--tty: works over a socat pty pair and survives the client closing and reopening its end', async () => {
    const dir = tempDir()
    const twinEnd = path.join(dir, 'twin-end')
    const clientEnd = path.join(dir, 'client-end')
    const socat: ChildProcess = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${twinEnd}`, `pty,raw,echo=0,link=${clientEnd}`], { stdio: 'ignore' })
    cleanups.push(() => void socat.kill())
    for (let i = 0; i < 100 && !(existsSync(twinEnd) && existsSync(clientEnd)); i++) await new Promise((resolve) => setTimeout(resolve, 50))
    await start({ chip: 'esp32s3', flashPath: path.join(dir, 'flash.bin'), tty: twinEnd, wireTiming: false })
    const image = new Uint8Array(randomBytes(3000))
    for (let round = 0; round < 2; round++) {
      const port = new SerialPort({ path: clientEnd, baudRate: 115200 })
      await new Promise<void>((resolve, reject) => port.once('open', resolve).once('error', reject))
      const client = new RomClient({ write: (bytes) => void port.write(Buffer.from(bytes)), onData: (listener) => port.on('data', (chunk: Buffer) => listener(new Uint8Array(chunk))) })
      expect(await client.sync()).toBe(0x20120707)
      if (round === 0) await client.writeFlashRom(0x9000, image)
      else await client.command(0x0d, new Uint8Array(8))
      expect(await client.md5Rom(0x9000, image.length)).toBe(md5(image))
      await new Promise<void>((resolve) => port.close(() => resolve()))
    }
  })
})
