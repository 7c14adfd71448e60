// One esptool-js 0.7.0 write, as its own process (bench:flash bundles this file and runs it
// with node, so esptool-js's CPU never shares a process with PairKit's):
//   node esptool-js-flash.mjs URL BAUD OFFSET FILE
// It connects (reset, stub, CHANGE_BAUDRATE), writes FILE compressed with its MD5 check, and
// resets the chip; it prints one JSON line with its own timings.
import { ESPLoader, Transport } from 'esptool-js'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { webSerialPort } from './web-serial-port'

const [url = '', baudText = '921600', offsetText = '0x10000', file = ''] = process.argv.slice(2)
const image = new Uint8Array(readFileSync(file))
const started = performance.now()
const transport = new Transport(webSerialPort(url) as never, false)
const loader = new ESPLoader({ transport, baudrate: Number(baudText), romBaudrate: 115200, terminal: { clean() {}, write() {}, writeLine() {} } })
await loader.main('default_reset')
const connected = performance.now()
await loader.writeFlash({
  fileArray: [{ data: image, address: Number(offsetText) }],
  flashMode: 'keep',
  flashFreq: 'keep',
  flashSize: 'keep',
  eraseAll: false,
  compress: true,
  calculateMD5Hash: (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex'),
})
const written = performance.now()
await loader.after('hard_reset')
await transport.disconnect()
console.log(JSON.stringify({ connect: (connected - started) / 1000, write: (written - connected) / 1000, seconds: (performance.now() - started) / 1000 }))
process.exit(0)
