// Measurement behind the "esptool-js or our own loader" decision (docs/ARCHITECTURE.md):
// the same 1 MiB image into the same wire-timed twin, once through esptool-js 0.7.0 behind
// a Web-Serial-style adapter over our SerialLink, once through PairKit's loader, both in
// this process (CPU time is the process's). bench:flash compares whole processes.
//   npx tsx bench/esptool-js-compare.ts [baud]
import { ESPLoader, Transport } from 'esptool-js'
import { createHash } from 'node:crypto'
import type { FlashResult } from '../src/common/flasher/job-state'
import { FlasherService } from '../src/main/flasher'
import { startTwin } from '../src/twin/index'
import { appLikeImage } from './app-like-image'
import { webSerialPort } from './web-serial-port'

const baud = Number(process.argv[2] ?? 921600)
const IMAGE = appLikeImage(1 << 20, 0.55, 1)

async function viaEsptoolJs(): Promise<{ seconds: number; writeSeconds: number; wire: number }> {
  const twin = await startTwin({ chip: 'esp32c3', listen: 'rfc2217://127.0.0.1:0', wireTiming: true })
  try {
    const started = performance.now()
    const transport = new Transport(webSerialPort(twin.url) as never, false)
    const loader = new ESPLoader({ transport, baudrate: baud, romBaudrate: 115200, terminal: { clean() {}, write() {}, writeLine() {} } })
    await loader.main('default_reset')
    const writeStarted = performance.now()
    await loader.writeFlash({
      fileArray: [{ data: IMAGE, address: 0x10000 }],
      flashMode: 'keep', flashFreq: 'keep', flashSize: 'keep', eraseAll: false, compress: true,
      calculateMD5Hash: (image: Uint8Array) => createHash('md5').update(image).digest('hex'),
    })
    const writeSeconds = (performance.now() - writeStarted) / 1000
    await transport.disconnect()
    const ok = Buffer.from(twin.device.flash.read(0x10000, IMAGE.length)).equals(Buffer.from(IMAGE))
    if (!ok) throw new Error('esptool-js: twin flash differs')
    return { seconds: (performance.now() - started) / 1000, writeSeconds, wire: 560030 }
  } finally {
    await twin.close()
  }
}

async function viaPairKit(): Promise<FlashResult> {
  const twin = await startTwin({ chip: 'esp32c3', listen: 'rfc2217://127.0.0.1:0', wireTiming: true })
  const service = new FlasherService()
  try {
    const id = service.start({ operation: 'flash', port: twin.url, regions: [{ offset: 0x10000, name: 'app', bytes: IMAGE }], options: { baud } })
    const { state } = await service.wait(id)
    if (state.type !== 'done') throw new Error(JSON.stringify(state))
    return state.result as FlashResult
  } finally {
    await service.dispose()
    await twin.close()
  }
}

const cpu0 = process.cpuUsage()
const js = await viaEsptoolJs()
const cpuJs = process.cpuUsage(cpu0)
const cpu1 = process.cpuUsage()
const own = await viaPairKit()
const cpuOwn = process.cpuUsage(cpu1)
const capacity = baud / 10
console.log(`esptool-js 0.7.0: job ${js.seconds.toFixed(2)} s, writeFlash (incl. deflate, MD5) ${js.writeSeconds.toFixed(2)} s → ${((js.wire / (capacity * js.writeSeconds)) * 100).toFixed(1)} % of the wire; CPU ${((cpuJs.user + cpuJs.system) / 1e6).toFixed(2)} s`)
console.log(`PairKit loader:   job ${own.seconds.toFixed(2)} s, writing ${own.wireSeconds.toFixed(2)} s → ${(own.wireUtilisation * 100).toFixed(1)} % of the wire; CPU ${((cpuOwn.user + cpuOwn.system) / 1e6).toFixed(2)} s`)
