// A bench for twins that run the bridge firmware and pair on this computer, as processes: Debian's
// mosquitto as the signalling broker, coturn as the STUN server, and flash images holding the
// bridge app (the fixture app renamed serverless_mqtt, which the twin runs as the firmware) with a
// pair's settings in the nvs partition.
import { createHash } from 'node:crypto'
import { createSocket } from 'node:dgram'
import { writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import path from 'node:path'
import type { ChildProcess } from 'node:child_process'
import { parseImage } from '../../src/common/app-image'
import { fixture } from '../unit/app-image/fixtures'
import { freePort } from '../support/free-port'
import { spawnTracked, stopProcess } from '../support/processes'

/** partitions_singleapp: nvs at 0x9000 (0x6000 bytes), the app at 0x10000. */
export const NVS_OFFSET = 0x9000

/** The fixture app with esp_app_desc_t.project_name set to `name`, checksum and SHA-256 fixed. */
export function renamedApp(name: string): Uint8Array {
  const image = fixture('images/hello-world-signed.bin')
  const info = parseImage(image)
  const at = 0x20 + 0x30
  const field = new Uint8Array(32)
  field.set(new TextEncoder().encode(name))
  const checksumAt = info.imageLength - 1 - (info.header.hashAppended ? 32 : 0)
  let xor = 0
  for (let i = 0; i < 32; i++) xor ^= (image[at + i] ?? 0) ^ (field[i] ?? 0)
  image.set(field, at)
  image[checksumAt] = (image[checksumAt] ?? 0) ^ xor
  if (info.header.hashAppended) image.set(createHash('sha256').update(image.subarray(0, info.imageLength - 32)).digest(), info.imageLength - 32)
  return image
}

/** A 4 MB flash file: bootloader, partition table, the bridge app and `nvs` at 0x9000. */
export function writeBridgeFlash(file: string, nvs: Uint8Array): string {
  const flash = new Uint8Array(4 << 20).fill(0xff)
  flash.set(fixture('images/bootloader_esp32_v5_2.bin'), 0x1000)
  flash.set(fixture('partition-tables/partitions_singleapp.bin'), 0x8000)
  flash.set(nvs, NVS_OFFSET)
  flash.set(renamedApp('serverless_mqtt'), 0x10000)
  writeFileSync(file, flash)
  return file
}

/** Debian's mosquitto on loopback (anonymous, nothing kept); resolves with its mqtt:// address once it accepts. */
export async function startMosquitto(dir: string): Promise<{ url: string; process: ChildProcess }> {
  const port = await freePort()
  const config = path.join(dir, 'mosquitto.conf')
  writeFileSync(config, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest none\n`)
  const child = spawnTracked('mosquitto', ['-c', config], { stdio: 'ignore' })
  const deadline = Date.now() + 10_000
  for (;;) {
    const accepted = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.destroy()
        resolve(true)
      })
      socket.once('error', () => resolve(false))
    })
    if (accepted) return { url: `mqtt://127.0.0.1:${port}`, process: child }
    if (Date.now() > deadline) {
      await stopProcess(child)
      throw new Error(`mosquitto did not listen on 127.0.0.1:${port} within 10 s (install it with apt-get install -y mosquitto)`)
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** coturn as a plain STUN server on loopback; resolves with its UDP port once it answers. */
export async function startStun(dir: string): Promise<{ port: number; process: ChildProcess }> {
  const port = await freeUdpPort()
  const child = spawnTracked(
    'turnserver',
    ['-n', '--stun-only', '--listening-ip=127.0.0.1', `--listening-port=${port}`, '--no-tls', '--no-dtls', '--no-cli', `--pidfile=${path.join(dir, 'turn.pid')}`, '--log-file=stdout', '--simple-log'],
    { stdio: 'ignore' },
  )
  try {
    await answersStun(port, 10_000)
  } catch (error) {
    await stopProcess(child)
    throw error
  }
  return { port, process: child }
}

/** A UDP port on 127.0.0.1 that nothing listens on (a STUN server that does not answer). */
export async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4')
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve))
  const { port } = socket.address()
  await new Promise<void>((resolve) => socket.close(() => resolve()))
  return port
}

/** Resolves once a STUN Binding request to 127.0.0.1:port gets any answer. */
async function answersStun(port: number, timeoutMs: number): Promise<void> {
  const socket = createSocket('udp4')
  try {
    const answered = new Promise<void>((resolve) => socket.once('message', () => resolve()))
    const request = Buffer.alloc(20)
    request.writeUInt16BE(0x0001, 0) // Binding request, no attributes
    request.writeUInt32BE(0x2112a442, 4)
    for (let i = 8; i < 20; i++) request[i] = Math.floor(Math.random() * 256)
    const deadline = Date.now() + timeoutMs
    for (;;) {
      socket.send(request, port, '127.0.0.1')
      if (await Promise.race([answered.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 200))])) return
      if (Date.now() > deadline) throw new Error(`coturn did not answer STUN on 127.0.0.1:${port} within ${timeoutMs} ms (install it with apt-get install -y coturn)`)
    }
  } finally {
    socket.close()
  }
}
