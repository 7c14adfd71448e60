// The UI half of `npm run bench:logs` — not a test: two twins, each printing numbered 100-byte log
// lines at 200 KB/s (`--faults flood=200000 --no-wire-timing`), monitored side by side in the
// Monitor view of `pairkit web` in Debian's Chromium for 60 s. Prints, for the page:
//   frame interval  requestAnimationFrame deltas (60 Hz is 16.7 ms; longer ones are dropped frames)
//   frame work      main-thread time per frame: from the frame's rAF callback to a task posted in
//                   it, which runs after the frame's style, layout and paint (target p95 < 16 ms)
//   heap            the renderer's JS heap (CDP Runtime.getHeapUsage, once a second): max, final and
//                   the largest in each quarter of the run (that includes garbage not yet collected),
//                   and what stays after a forced garbage collection at the end (what the page keeps:
//                   each console's ring of lines is full after 10 s, so this must not grow with the run)
// and, per device, the counts that must agree: lines received by the page + lines the page was told
// it missed = lines the backend counted = lines in the spool (raw.bin cut by the monitor's rule).
// Needs the built UI (npx electron-vite build), Chromium (PAIRKIT_CHROMIUM or /usr/bin/chromium).
// PAIRKIT_BENCH_SECONDS=N runs N seconds instead of 60 (a quick check); PAIRKIT_BENCH_PROFILE=FILE writes the page's CPU profile
// of the run (open it in Chromium's DevTools) and prints the functions that took the most time.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { configToNvsImage, defaultConfig } from '../src/common/config'
import { MONITOR_LIMITS } from '../src/common/contract/monitor'
import { LineSplitter } from '../src/common/logs'
import { launchChromium } from '../test/support/browser'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const SECONDS = Number(process.env.PAIRKIT_BENCH_SECONDS ?? 60)
const FLOOD_BYTES_PER_SECOND = 200_000
const TARGET_P95_MS = 16
const VIEWPORT = { width: 1920, height: 1080 }

const children = new Set<ChildProcess>()
process.on('exit', () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL')
})

function pairkit(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/pairkit.js'), ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] })
  children.add(child)
  child.once('exit', () => children.delete(child))
  return child
}

/** The URL the process prints as its first JSON line. */
function urlOf(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! })
    lines.on('line', (line) => {
      if (!line.startsWith('{')) return
      lines.close()
      resolve((JSON.parse(line) as { url: string }).url)
    })
    child.once('exit', (code) => reject(new Error(`pairkit ${child.spawnargs.slice(2, 3).join(' ')} ended (exit ${code}) before it printed its address`)))
  })
}

/** A 4 MB flash: the fixture bootloader, table and app, and a pair's settings for `role` (so the two twins are a pair). */
function writeFlash(file: string, role: 1 | 2): string {
  const fixture = (name: string) => readFileSync(path.join(ROOT, 'test/fixtures', name))
  const flash = new Uint8Array(4 << 20).fill(0xff)
  flash.set(fixture('images/bootloader_esp32_v5_2.bin'), 0x1000)
  flash.set(fixture('partition-tables/partitions_singleapp.bin'), 0x8000)
  flash.set(configToNvsImage({ ...defaultConfig(), role, pairId: 'b3nch0000000f100', staSsid: 'bench', staPassword: 'bench-password', apSsid: 'bench-iot', apPassword: 'bench-password' }, 0x6000), 0x9000)
  flash.set(fixture('images/hello-world-signed.bin'), 0x10000)
  writeFileSync(file, flash)
  return file
}

/** Device lines in a spooled session, by the monitor's rule, the stream cut at each marker. */
function spooledLines(sessionDir: string): { deviceId: string; lines: number; bytes: number } {
  const raw = readFileSync(path.join(sessionDir, 'raw.bin'))
  const record = JSON.parse(readFileSync(path.join(sessionDir, 'session.json'), 'utf8')) as { deviceId: string; markers: { offset: number }[] }
  let lines = 0
  let start = 0
  for (const end of [...record.markers.map((marker) => marker.offset), raw.length]) {
    const splitter = new LineSplitter(MONITOR_LIMITS.lineChars)
    const count = () => void lines++
    splitter.push(raw.subarray(start, end), count)
    splitter.flush(count)
    start = end
  }
  return { deviceId: record.deviceId, lines, bytes: raw.length }
}

function sessionFolders(root: string): string[] {
  if (!existsSync(root)) return []
  return readdirSync(root).flatMap((name) => {
    const entry = path.join(root, name)
    if (!statSync(entry).isDirectory()) return []
    return existsSync(path.join(entry, 'session.json')) ? [entry] : sessionFolders(entry)
  })
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }[]
  startTime: number
  endTime: number
  samples: number[]
}

/** The functions with the most self time in the profile. */
function printHotFunctions(profile: CpuProfile): void {
  const perSample = (profile.endTime - profile.startTime) / 1000 / Math.max(1, profile.samples.length)
  const self = new Map<string, number>()
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  for (const id of profile.samples) {
    const frame = byId.get(id)?.callFrame
    if (!frame) continue
    const key = `${frame.functionName || '(anonymous)'} ${path.basename(frame.url)}:${frame.lineNumber + 1}`
    self.set(key, (self.get(key) ?? 0) + perSample)
  }
  console.log('  self time (ms) of the busiest functions:')
  for (const [key, time] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`    ${time.toFixed(0).padStart(7)}  ${key}`)
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number
}

const ms = (value: number) => `${value.toFixed(1)} ms`
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`

export async function runLogsUiBench(): Promise<boolean> {
  if (!Number.isFinite(SECONDS) || SECONDS < 4) {
    console.error(`PAIRKIT_BENCH_SECONDS is "${process.env.PAIRKIT_BENCH_SECONDS}": give the run's length in seconds, 4 or more (60 when unset).`)
    return false
  }
  if (!existsSync(path.join(ROOT, 'out/renderer/index.html'))) {
    console.error('The UI is not built: run npx electron-vite build first.')
    return false
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'pairkit-bench-logs-ui-'))
  const env = { ...process.env, PAIRKIT_DATA_DIR: path.join(dir, 'data'), PAIRKIT_EXTRA_PORTS: '' }
  const browser = await launchChromium()
  try {
    const [web, ...twins] = await Promise.all([
      urlOf(pairkit(['web', '--json'], env)),
      ...([1, 2] as const).map((role) => urlOf(pairkit(['twin', '--chip', 'esp32', '--flash', writeFlash(path.join(dir, `twin${role}.bin`), role), '--listen', 'rfc2217://127.0.0.1:0', '--boot', 'app', '--no-wire-timing', '--faults', `flood=${FLOOD_BYTES_PER_SECOND}`, '--json'], env))),
    ])
    const page = await browser.newPage({ viewport: VIEWPORT })
    await page.goto(web)

    // Devices: both probed (the pair comes from their settings); each boots its app again after.
    for (const url of twins) {
      await page.getByTestId('probe-remote').fill(url)
      await page.getByTestId('probe-remote-go').click()
      const card = page.locator(`[data-testid="device-card"][data-device="${url}"]`)
      await card.getByTestId('device-firmware').waitFor({ timeout: 60_000 })
      await card.getByTestId('device-busy').waitFor({ state: 'detached', timeout: 60_000 })
    }
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /^Monitor/ }).click()
    await page.getByTestId('monitor-target').selectOption('pair:b3nch0000000f100')
    // A probe leaves the chip in its ROM: the monitor resets it into the app, which floods from its start.
    await page.getByTestId('monitor-reset').check()

    const cdp = await page.context().newCDPSession(page)
    await page.evaluate(`(() => {
      const intervals = [], work = []
      let last
      const channel = new MessageChannel()
      let started = 0
      channel.port1.onmessage = () => work.push(performance.now() - started)
      const tick = (time) => {
        if (last !== undefined) intervals.push(time - last)
        last = time
        started = performance.now()
        channel.port2.postMessage(0)
        requestAnimationFrame(tick)
      }
      requestAnimationFrame(tick)
      window.__benchFrames = { intervals, work }
    })()`)
    const profileFile = process.env.PAIRKIT_BENCH_PROFILE
    if (profileFile) {
      await cdp.send('Profiler.enable')
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 })
      await cdp.send('Profiler.start')
    }
    await page.getByTestId('monitor-open').click()
    const heap: number[] = []
    const started = Date.now()
    while (Date.now() - started < SECONDS * 1000) {
      await new Promise((resolve) => setTimeout(resolve, 1000))
      heap.push(((await cdp.send('Runtime.getHeapUsage')) as { usedSize: number }).usedSize)
    }
    const frames = (await page.evaluate('window.__benchFrames')) as { intervals: number[]; work: number[] }
    if (profileFile) {
      const { profile } = (await cdp.send('Profiler.stop')) as { profile: CpuProfile }
      writeFileSync(profileFile, JSON.stringify(profile))
      printHotFunctions(profile)
    }

    // Both closed from the page; the final counts come with the closing status.
    for (const url of twins) await page.locator(`[data-testid="console-pane"][data-device="${url}"]`).getByTestId('console-close').click()
    // The last batches may come after the closing status, and the page shows its counts at most
    // four times a second: read them once they agree and held still for longer than that, or
    // after 10 s as they are.
    const counts: { url: string; received: number; dropped: number; backend: number }[] = []
    for (const url of twins) {
      const pane = page.locator(`[data-testid="console-pane"][data-device="${url}"]`)
      const figures = pane.getByTestId('console-counts')
      const read = async () => {
        const [received, dropped, backend] = await Promise.all(['data-received', 'data-dropped', 'data-backend-lines'].map(async (name) => Number(await figures.getAttribute(name))))
        return { url, received: received as number, dropped: dropped as number, backend: backend as number }
      }
      const deadline = Date.now() + 10_000
      let latest = await read()
      for (;;) {
        await new Promise((resolve) => setTimeout(resolve, 400))
        const closed = (await pane.getByTestId('console-status').innerText()) === 'closed'
        const now = await read()
        const still = JSON.stringify(now) === JSON.stringify(latest)
        latest = now
        if ((closed && still && now.received + now.dropped === now.backend) || Date.now() > deadline) break
      }
      counts.push(latest)
    }
    heap.push(((await cdp.send('Runtime.getHeapUsage')) as { usedSize: number }).usedSize)
    await cdp.send('HeapProfiler.collectGarbage')
    const kept = ((await cdp.send('Runtime.getHeapUsage')) as { usedSize: number }).usedSize
    const spools = sessionFolders(path.join(dir, 'data', 'monitor')).map(spooledLines)

    const intervals = [...frames.intervals].sort((a, b) => a - b)
    const work = [...frames.work].sort((a, b) => a - b)
    const late = frames.intervals.filter((interval) => interval > 20).length
    console.log(`Monitor view, ${SECONDS} s, 2 twins at ${FLOOD_BYTES_PER_SECOND / 1000} KB/s each, Chromium ${VIEWPORT.width}×${VIEWPORT.height}:`)
    console.log(`  frames            ${frames.intervals.length} (${(frames.intervals.length / SECONDS).toFixed(1)}/s), ${late} longer than 20 ms`)
    console.log(`  frame interval    p50 ${ms(percentile(intervals, 50))}  p95 ${ms(percentile(intervals, 95))}  p99 ${ms(percentile(intervals, 99))}  max ${ms(intervals.at(-1) ?? Number.NaN)}`)
    console.log(`  frame work        p50 ${ms(percentile(work, 50))}  p95 ${ms(percentile(work, 95))}  p99 ${ms(percentile(work, 99))}  max ${ms(work.at(-1) ?? Number.NaN)}  (target p95 < ${TARGET_P95_MS} ms)`)
    const quarter = Math.floor(heap.length / 4)
    const quarters = [0, 1, 2, 3].map((index) => Math.max(...heap.slice(index * quarter, index === 3 ? heap.length : (index + 1) * quarter)))
    console.log(`  JS heap           max ${mib(Math.max(...heap))}, final ${mib(heap.at(-1) ?? 0)}; largest per quarter of the run ${quarters.map(mib).join(', ')}; after a full GC at the end ${mib(kept)}`)
    console.log('  device                       page received + told missed = total | backend | spool lines (bytes)')
    let exact = true
    for (const { url, received, dropped, backend } of counts) {
      const spool = spools.find((item) => item.deviceId === url)
      const agree = received + dropped === backend && spool?.lines === backend
      exact &&= agree
      console.log(`  ${url.padEnd(28)} ${String(received).padStart(13)} + ${String(dropped).padStart(10)} = ${String(received + dropped).padStart(5)} | ${String(backend).padStart(7)} | ${spool?.lines ?? '?'} (${spool?.bytes ?? '?'}) ${agree ? 'exact' : 'DIFFER'}`)
    }
    const p95 = percentile(work, 95)
    console.log(JSON.stringify({
      bench: 'logs-ui', seconds: SECONDS, frames: frames.intervals.length, intervalP95Ms: Number(percentile(intervals, 95).toFixed(2)),
      workP50Ms: Number(percentile(work, 50).toFixed(2)), workP95Ms: Number(p95.toFixed(2)), workP99Ms: Number(percentile(work, 99).toFixed(2)),
      heapMaxBytes: Math.max(...heap), heapFinalBytes: heap.at(-1), heapQuarterMaxBytes: quarters, heapAfterGcBytes: kept, countsExact: exact, targetP95Ms: TARGET_P95_MS,
    }))
    return exact
  } finally {
    await browser.close()
    await Promise.all([...children].map((child) => new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve()
      child.once('exit', () => resolve())
      child.kill('SIGTERM')
      setTimeout(() => child.kill('SIGKILL'), 3000).unref()
    })))
    rmSync(dir, { recursive: true, force: true })
  }
}
