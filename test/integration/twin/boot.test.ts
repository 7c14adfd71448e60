// Booting into the app: ROM banner, second-stage bootloader and app lines derived from the
// flash contents, the firmware's settings and broker on loopback, the invalid-header loop, a panic.
import { rmSync } from 'node:fs'
import { connect as netConnect, type Socket } from 'node:net'
import path from 'node:path'
import { connectAsync } from 'mqtt'
import { afterEach, describe, expect, it } from 'vitest'
import { configToNvsImage, defaultConfig } from '../../../src/common/config'
import { startEmbeddedBroker } from '../../../src/main/peer/local-broker'
import { startStunServer } from '../../../src/main/peer/stun-server'
import { stripAnsi } from '../../../src/common/serverless/firmware-log'
import { startTwin, type Twin } from '../../../src/twin'
import { FlashMemory } from '../../../src/twin/flash'
import { APP, BOOTLOADER, NVS_OFFSET, renamedApp, TABLE } from './support/flash-images'
import { parseFaults } from '../../../src/twin/faults'



function writeFlash(file: string, app: Uint8Array | undefined, nvs?: Uint8Array): void {
  const flash = FlashMemory.open(file, 4 << 20)
  flash.program(0x1000, BOOTLOADER)
  flash.program(0x8000, TABLE)
  if (nvs) flash.program(NVS_OFFSET, nvs)
  if (app) flash.program(0x10000, app)
  flash.close()
}

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.()
})

async function bootAndRead(options: Partial<Parameters<typeof startTwin>[0]>, until: (text: string) => boolean, timeoutMs = 8000): Promise<{ text: string; twin: Twin; read: () => string }> {
  const twin = await startTwin({ chip: 'esp32', listen: 'socket://127.0.0.1:0', boot: 'app', wireTiming: false, ...options })
  cleanups.push(() => twin.close())
  const [, port = ''] = /:(\d+)$/.exec(twin.url) ?? []
  const socket: Socket = netConnect(Number(port), '127.0.0.1')
  cleanups.push(() => void socket.destroy())
  let text = ''
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`boot log incomplete:\n${text}`)), timeoutMs)
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1')
      if (until(stripAnsi(text))) {
        clearTimeout(timer)
        resolve()
      }
    })
  })
  return { text: stripAnsi(text), twin, read: () => stripAnsi(text) }
}

describe('twin boot', () => {
  const dir = path.join(process.env.TMPDIR ?? '/tmp', `twin-boot-${process.pid}`)

  it('loops on the invalid header when the flash is erased', async () => {
    const { text } = await bootAndRead({}, (t) => (t.match(/invalid header: 0xffffffff/g) ?? []).length >= 3)
    expect(text).toContain('rst:0x1 (POWERON_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)')
    expect(text).not.toContain('2nd stage bootloader')
  })

  it('prints bootloader, partition table and app descriptor lines taken from the flash', async () => {
    const file = `${dir}-a.bin`
    cleanups.push(() => rmFile(file))
    writeFlash(file, APP)
    const { text } = await bootAndRead({ flashPath: file }, (t) => t.includes('does nothing here'))
    expect(text).toMatch(/load:0x[0-9a-f]{8},len:\d+\r\n/)
    expect(text).toMatch(/entry 0x[0-9a-f]{8}/)
    expect(text).toMatch(/I \(\d+\) boot: ESP-IDF v5\.2-dev-254-g1950b15 2nd stage bootloader/)
    expect(text).toContain('boot: compile time Apr 25 2023 00:13:32')
    expect(text).toContain('boot:  2 factory          factory app      00 00 00010000 00100000')
    expect(text).toMatch(/esp_image: segment 0: paddr=00010020 vaddr=[0-9a-f]{8} size=[0-9a-f]{5}h \(\s*\d+\) (map|load)/)
    expect(text).toContain('boot: Loaded app from partition at offset 0x10000')
    expect(text).toContain('cpu_start: Project name:     hello-world')
    expect(text).toContain('ESP-IDF:          v3.3-beta3-21-g0706bd0d1-dirty')
    expect(text).not.toContain('mosquitto')
  })

  it('runs the serverless_mqtt firmware: settings from NVS, a real broker on loopback, the peer waiting for its partner', async () => {
    const file = `${dir}-b.bin`
    // Signalling on a local broker nobody else uses, so the peer waits in the handshake.
    const signalling = await startEmbeddedBroker({ port: 0, host: '127.0.0.1' })
    const stun = await startStunServer({ host: '127.0.0.1' })
    cleanups.push(() => signalling.close(), () => stun.close())
    const config = { ...defaultConfig(), signallingUri: signalling.url, syncTopic: `/boot-test/${process.pid}/`, stunHost: '127.0.0.1', stunPort: stun.port }
    writeFlash(file, renamedApp('serverless_mqtt'), configToNvsImage(config))
    cleanups.push(() => rmFile(file))
    const { text, read } = await bootAndRead({ flashPath: file }, (t) => t.includes('Waiting for the other peer...'))
    expect(text).toMatch(/I \(\d+\) smqtt: signalling mqtt:\/\/127\.0\.0\.1:\d+ topic \/boot-test\//)
    expect(text).toMatch(/^\d+: mosquitto version v2\.0\.20~9 starting\r$/m)
    const port = Number(/Opening ipv4 listen socket on port (\d+)\./.exec(text)?.[1])
    expect(port).toBeGreaterThan(0)
    expect(text).not.toContain('Peer is connected')
    const client = await connectAsync(`mqtt://127.0.0.1:${port}`, { clientId: 'sensor-1' })
    await client.publishAsync('home/temp', '21.5')
    await client.endAsync()
    for (let i = 0; i < 50 && !read().includes('handle_message qos=0, retain=0'); i++) await new Promise((resolve) => setTimeout(resolve, 50))
    expect(read()).toMatch(/New client connected from 127\.0\.0\.1:\d+ as sensor-1 \(p2, c1, k60\)\./)
    expect(read()).toMatch(/I \(\d+\) serverless_mqtt: handle_message topic:home\/temp\r\n.*I \(\d+\) serverless_mqtt: handle_message data:21\.5/s)
  })

  it('boot-loops every N seconds when asked to, each time from the ROM banner', async () => {
    const file = `${dir}-d.bin`
    writeFlash(file, APP)
    cleanups.push(() => rmFile(file))
    const { text } = await bootAndRead({ flashPath: file, faults: parseFaults('bootloop=0.3') }, (t) => (t.match(/Calling app_main\(\)/g) ?? []).length >= 3)
    expect((text.match(/rst:0xc \(SW_CPU_RESET\),boot:0x13 \(SPI_FAST_FLASH_BOOT\)/g) ?? []).length).toBeGreaterThanOrEqual(2)
  })

  it('panics with a Guru Meditation and reboots with a software-reset banner', async () => {
    const file = `${dir}-c.bin`
    writeFlash(file, APP)
    cleanups.push(() => rmFile(file))
    const { text } = await bootAndRead({ flashPath: file, faults: parseFaults('panic=0.3,seed=3') }, (t) => /Rebooting\.\.\.[\s\S]*rst:0xc \(SW_CPU_RESET\)/.test(t))
    expect(text).toContain("Guru Meditation Error: Core  0 panic'ed (LoadProhibited). Exception was unhandled.")
    expect(text).toMatch(/Backtrace: (0x[0-9a-f]{8}:0x[0-9a-f]{8} ?)+/)
  })
})

function rmFile(file: string): void {
  rmSync(file, { force: true })
}
