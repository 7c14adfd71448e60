// npm run bench:flash [-- ROUNDS] [--quick] — not a test: PairKit's `pairkit flash` against esptool-js
// 0.7.0 (and esptool.py when one is on the PATH), each in its own process, into wire-timed
// twins (esp32c3 over rfc2217://) in this process. Whole-process wall time and CPU time (user +
// system of the child, from /proc) are compared within one run:
//   (a) a 1 MiB app over a different one, at 921600 and at 2 Mbaud (target PairKit/esptool ≤ 0.85)
//   (b) the same app again onto a device that holds it (target ≤ 0.15 of PairKit's full write)
//   (c) an app that differs from the device's by one 4 KiB block (target ≤ 0.3 of a full write)
//   (d) 4 devices in parallel against 1 (target ≤ 1.1×)
// Clients take turns in alternating order each round; medians are printed. PairKit's own
// breakdown (connect, stub upload, compare, erase, blocks on the wire, waiting for acknowledgements,
// verify, finish) comes from its --json result. --quick writes a 128 KiB app instead, to check the
// output in well under a minute; its figures are not the benchmark's.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FlashResult } from '../src/common/flasher/job-state'
import { startTwin, type Twin } from '../src/twin/index'
import { appLikeImage } from './app-like-image'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)
const QUICK = args.includes('--quick')
const ROUNDS = Number(args.find((arg) => /^\d+$/.test(arg)) ?? 1)
const OFFSET = 0x10000
const APP_SIZE = QUICK ? 128 * 1024 : 1 << 20
const APP = appLikeImage(APP_SIZE, 0.55, 1)
/** What the device held before a full write: another build of the same size. */
const OLD_APP = appLikeImage(APP_SIZE, 0.55, 2)
/** The device's app when the bundle differs from it by one 4 KiB block. */
const ONE_BLOCK_OFF = APP.slice()
const CHANGED_BLOCK = Math.min(37, APP_SIZE / 0x1000 / 2)
for (let i = 0; i < 0x1000; i++) ONE_BLOCK_OFF[CHANGED_BLOCK * 0x1000 + i] = (ONE_BLOCK_OFF[CHANGED_BLOCK * 0x1000 + i] ?? 0) ^ 0x5a

interface Timed {
  seconds: number
  /** CPU seconds of the client process (undefined when several ran at once). */
  cpu?: number
  result?: FlashResult
}

/** CPU seconds of this process's waited-for children (Linux), or undefined. */
function childrenCpuSeconds(): number | undefined {
  if (!existsSync('/proc/self/stat')) return undefined
  const fields = (readFileSync('/proc/self/stat', 'utf8').split(') ')[1] ?? '').split(' ')
  // cutime and cstime are fields 16 and 17 of stat(5), in clock ticks (100 per second).
  return (Number(fields[13]) + Number(fields[14])) / 100
}

function runChild(command: string, args: string[], alone = true): Promise<Timed & { stdout: string }> {
  const cpuBefore = alone ? childrenCpuSeconds() : undefined
  const started = performance.now()
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) => {
      const seconds = (performance.now() - started) / 1000
      if (code !== 0) return reject(new Error(`${path.basename(command)} ${args.slice(0, 3).join(' ')} exited ${code}: ${stderr.slice(-600)}`))
      const cpuAfter = alone ? childrenCpuSeconds() : undefined
      resolve({ seconds, stdout, ...(cpuBefore !== undefined && cpuAfter !== undefined ? { cpu: cpuAfter - cpuBefore } : {}) })
    })
  })
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'pk-bench-flash-'))
const appFile = path.join(dir, 'app.bin')
writeFileSync(appFile, APP)
const runner = path.join(ROOT, 'out', 'bench', 'esptool-js-flash.mjs')

async function prepare(): Promise<void> {
  // The CLI is built once (bin/pairkit.js builds it when stale), untimed.
  spawnSync(process.execPath, ['bin/pairkit.js', '--help'], { cwd: ROOT, stdio: 'ignore' })
  // esptool-js's runner as plain JavaScript, so neither client pays for a TypeScript loader.
  mkdirSync(path.dirname(runner), { recursive: true })
  // esbuild's bin is its native executable once installed (a JavaScript shim only before), so it is run as itself.
  const built = spawnSync(path.join(ROOT, 'node_modules/.bin/esbuild'), ['bench/esptool-js-flash.ts', '--bundle', '--platform=node', '--format=esm', '--packages=external', `--outfile=${runner}`, '--log-level=error'], { cwd: ROOT, encoding: 'utf8' })
  if (built.status !== 0) throw new Error(`bundling the esptool-js runner failed: ${built.stderr}`)
}

async function twinHolding(content: Uint8Array): Promise<Twin> {
  const twin = await startTwin({ chip: 'esp32c3', listen: 'rfc2217://127.0.0.1:0', wireTiming: true })
  twin.device.flash.erase(OFFSET, content.length)
  twin.device.flash.program(OFFSET, content)
  return twin
}

function checkHolds(twin: Twin, who: string): void {
  if (!Buffer.from(twin.device.flash.read(OFFSET, APP.length)).equals(Buffer.from(APP))) throw new Error(`${who}: the twin does not hold the app afterwards`)
}

async function pairkit(twin: Twin, baud: number | undefined, alone = true): Promise<Timed> {
  const args = ['bin/pairkit.js', 'flash', '--port', twin.url, '--json', ...(baud ? ['--baud', String(baud)] : []), '--raw', `0x${OFFSET.toString(16)}`, `0x${OFFSET.toString(16)}=${appFile}`]
  const run = await runChild(process.execPath, args, alone)
  const last = run.stdout.trim().split('\n').pop() ?? '{}'
  checkHolds(twin, 'pairkit')
  return { seconds: run.seconds, ...(run.cpu !== undefined ? { cpu: run.cpu } : {}), result: JSON.parse(last) as FlashResult }
}

async function esptoolJs(twin: Twin, baud: number): Promise<Timed> {
  const run = await runChild(process.execPath, [runner, twin.url, String(baud), String(OFFSET), appFile])
  checkHolds(twin, 'esptool-js')
  return { seconds: run.seconds, ...(run.cpu !== undefined ? { cpu: run.cpu } : {}) }
}

function findEsptoolPy(): string | undefined {
  for (const name of ['esptool.py', 'esptool']) {
    const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' })
    if (found.status === 0 && found.stdout.trim()) return found.stdout.trim()
  }
  return undefined
}

async function esptoolPy(command: string, twin: Twin, baud: number): Promise<Timed> {
  const run = await runChild(command, ['--chip', 'esp32c3', '--port', twin.url, '--baud', String(baud), 'write_flash', `0x${OFFSET.toString(16)}`, appFile])
  checkHolds(twin, 'esptool.py')
  return { seconds: run.seconds, ...(run.cpu !== undefined ? { cpu: run.cpu } : {}) }
}

type Client = 'pairkit' | 'esptool-js' | 'esptool.py'
const samples = new Map<string, Timed[]>()
function keep(key: string, timed: Timed): void {
  samples.set(key, [...(samples.get(key) ?? []), timed])
}
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2
}
function med(key: string): number | undefined {
  const list = samples.get(key)
  return list && list.length ? median(list.map((t) => t.seconds)) : undefined
}
function medCpu(key: string): number | undefined {
  const list = (samples.get(key) ?? []).flatMap((t) => (t.cpu === undefined ? [] : [t.cpu]))
  return list.length ? median(list) : undefined
}

async function once(key: string, client: Client, content: Uint8Array, baud: number | undefined, esptoolPyCommand?: string): Promise<void> {
  const twin = await twinHolding(content)
  try {
    if (client === 'pairkit') keep(`${key}/pairkit`, await pairkit(twin, baud))
    else if (client === 'esptool-js') keep(`${key}/esptool-js`, await esptoolJs(twin, baud ?? 921600))
    else if (esptoolPyCommand) keep(`${key}/esptool.py`, await esptoolPy(esptoolPyCommand, twin, baud ?? 921600))
  } finally {
    await twin.close()
  }
}

async function parallel(count: number): Promise<void> {
  const twins: Twin[] = []
  try {
    for (let i = 0; i < count; i++) twins.push(await twinHolding(OLD_APP))
    const started = performance.now()
    const runs = await Promise.all(twins.map((twin) => pairkit(twin, 921600, count === 1)))
    keep(`d${count}/pairkit`, { seconds: (performance.now() - started) / 1000, ...(runs[0]?.result ? { result: runs[0].result } : {}) })
  } finally {
    for (const twin of twins) await twin.close()
  }
}

await prepare()
const esptoolPyCommand = findEsptoolPy()
const clients: Client[] = ['pairkit', 'esptool-js', ...(esptoolPyCommand ? (['esptool.py'] as const) : [])]
console.log(`${QUICK ? '128 KiB (--quick: checks the output, not the benchmark)' : '1 MiB'} app-like image (~55 % compressible) at 0x10000, twins esp32c3 over rfc2217 with wire timing; ${ROUNDS} round(s), clients in alternating order`)
if (!esptoolPyCommand) console.log('esptool.py not installed: skipped')
try {
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? clients : [...clients].reverse()
    for (const client of order) {
      await once('a921600', client, OLD_APP, 921600, esptoolPyCommand)
      await once('a2000000', client, OLD_APP, 2_000_000, esptoolPyCommand)
      await once('b', client, APP, undefined, esptoolPyCommand)
      await once('c', client, ONE_BLOCK_OFF, undefined, esptoolPyCommand)
    }
    await parallel(1)
    await parallel(4)
    process.stdout.write(`round ${round + 1} of ${ROUNDS} done\n`)
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}

const fmt = (seconds: number | undefined) => (seconds === undefined ? '—' : `${seconds.toFixed(2)} s`)
const cpuText = (key: string) => {
  const cpu = medCpu(key)
  return cpu === undefined ? '' : ` (CPU ${cpu.toFixed(2)} s)`
}
const rows: Array<[string, string]> = [
  ['a921600', '(a) full write, 921600'],
  ['a2000000', '(a) full write, 2 Mbaud'],
  ['b', '(b) same bundle again'],
  ['c', '(c) one 4 KiB block differs'],
]
console.log('')
for (const [key, label] of rows) {
  console.log(`${label.padEnd(30)} ${clients.map((client) => `${client} ${fmt(med(`${key}/${client}`))}${cpuText(`${key}/${client}`)}`).join('   ')}`)
}
const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined && b > 0 ? a / b : undefined)
const show = (value: number | undefined, target: string) => `${value === undefined ? '—' : value.toFixed(2)} (target ${target})`
console.log('')
console.log(`(a) PairKit/esptool-js at 921600: ${show(ratio(med('a921600/pairkit'), med('a921600/esptool-js')), '≤ 0.85')}`)
console.log(`(a) PairKit/esptool-js at 2 Mbaud: ${show(ratio(med('a2000000/pairkit'), med('a2000000/esptool-js')), '≤ 0.85')}`)
if (esptoolPyCommand) {
  console.log(`(a) PairKit/esptool.py at 921600: ${show(ratio(med('a921600/pairkit'), med('a921600/esptool.py')), '≤ 0.85')}`)
  console.log(`(a) PairKit/esptool.py at 2 Mbaud: ${show(ratio(med('a2000000/pairkit'), med('a2000000/esptool.py')), '≤ 0.85')}`)
}
console.log(`(b) same bundle / PairKit's full write: ${show(ratio(med('b/pairkit'), med('a921600/pairkit')), '≤ 0.15')}; against esptool-js's full write ${ratio(med('b/pairkit'), med('b/esptool-js'))?.toFixed(2) ?? '—'}`)
console.log(`(c) one block / PairKit's full write: ${show(ratio(med('c/pairkit'), med('a921600/pairkit')), '≤ 0.3')}; against esptool-js's full write ${ratio(med('c/pairkit'), med('c/esptool-js'))?.toFixed(2) ?? '—'}`)
console.log(`(d) 4 devices in parallel: ${fmt(med('d4/pairkit'))} against 1: ${fmt(med('d1/pairkit'))} → ${show(ratio(med('d4/pairkit'), med('d1/pairkit')), '≤ 1.1×')}`)

console.log('')
console.log('PairKit, where the time goes (medians; seconds): connect (reset, sync, baud) + stub upload + compare (MD5s) + erase (FLASH_BEGIN) + blocks on the wire + waiting for acks + verify + finish, + other (planning, compression not ready)')
for (const [key, label] of [...rows, ['d4', '(d) one of 4 in parallel'] as [string, string]]) {
  const results = (samples.get(`${key}/pairkit`) ?? []).flatMap((t) => (t.result ? [t.result] : []))
  if (!results.length) continue
  const names = ['connect', 'stub', 'compare', 'erase', 'blocks', 'acks', 'verify', 'finish'] as const
  const phase = (name: keyof FlashResult['phases']) => median(results.map((r) => r.phases[name]))
  const job = median(results.map((r) => r.seconds))
  const other = job - names.reduce((sum, name) => sum + phase(name), 0)
  const region = results[0]?.regions[0]
  console.log(
    `${label.padEnd(30)} process ${fmt(med(`${key}/pairkit`))}: job ${job.toFixed(2)} = ${names.map((name) => `${name} ${phase(name).toFixed(2)}`).join(' + ')} + other ${other.toFixed(2)}; ${region ? `${region.written} of ${region.blocks} blocks, ${region.wireBytes} B on the wire at ${results[0]?.baud} baud` : ''}`,
  )
}
