// Espressif's esptool-js drives the twin over socket:// and rfc2217://: detection, MAC,
// stub upload, baud change, flash id, compressed write, MD5 verify and read-back.
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ESPLoader, Transport } from 'esptool-js'
import { startTwin, type Twin } from '../../../src/twin'
import { TcpSerialPort } from './support/web-serial-tcp'

const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex')
const terminal = { clean: () => undefined, writeLine: () => undefined, write: () => undefined }

function pseudoRandom(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length)
  let state = seed
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0
    // Half compressible text, half noise, like a real image.
    out[i] = i % 2048 < 1024 ? (state >>> 24) : 0x41 + (i % 13)
  }
  return out
}

let twin: Twin | undefined
let dir: string | undefined
afterEach(async () => {
  await twin?.close()
  twin = undefined
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe.each([
  ['socket', 'esp32'],
  ['rfc2217', 'esp32'],
  ['socket', 'esp32c3'],
  ['rfc2217', 'esp32s3'],
] as const)('esptool-js over %s:// against a %s twin', (scheme, chip) => {
  it('detects, uploads the stub, writes compressed, verifies by MD5 and reads back', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'twin-esptooljs-'))
    const flashPath = path.join(dir, 'flash.bin')
    twin = await startTwin({ chip, flashPath, listen: `${scheme}://127.0.0.1:0`, wireTiming: false, mac: Uint8Array.of(0x24, 0x0a, 0xc4, 0x11, 0x22, 0x33) })
    const port = new TcpSerialPort(twin.url)
    const transport = new Transport(port as unknown as ConstructorParameters<typeof Transport>[0], false)
    const loader = new ESPLoader({ transport, baudrate: 921600, romBaudrate: 115200, terminal })
    const chipName = await loader.main(scheme === 'rfc2217' ? 'default_reset' : 'no_reset')
    expect(chipName).toContain(twin.chip.displayName)
    const mac = await loader.chip.readMac(loader)
    expect(mac).toBe('24:0a:c4:11:22:33')
    expect(await loader.readFlashId()).toBe(0x1640ef)

    const image = pseudoRandom(200_000, 7)
    await loader.writeFlash({ fileArray: [{ data: image, address: 0x10000 }], flashMode: 'keep', flashFreq: 'keep', flashSize: 'keep', eraseAll: false, compress: true })
    const readBack = await loader.readFlash(0x10000, image.length)
    expect(md5(readBack)).toBe(md5(image))
    await transport.disconnect()
    await twin.close()
    twin = undefined
    const file = readFileSync(flashPath)
    expect(md5(file.subarray(0x10000, 0x10000 + image.length))).toBe(md5(image))
    expect(file.subarray(0x10000 + image.length, 0x10000 + image.length + 16).every((byte) => byte === 0xff)).toBe(true)
  })
})
