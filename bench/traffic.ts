// `npm run bench:traffic`: 10 000 messages a second crossing a bridge both ways, watched by the
// Traffic view through the browser host in Chromium for 60 s. Not a timed test: it prints the
// page's frame times, its JavaScript heap and whether every counter is exact.
//
// The bridge is two PairKit peers (`pairkit peer`, as in bench:bridge) with their embedded
// brokers as sites A and B; `pairkit web` serves the page; this process publishes half the
// messages on each site at QoS 1 (so the origin is the site where the message had QoS 1, as
// with the firmware, which republishes at QoS 0) and drives Chromium.
//
// Frames: a requestAnimationFrame loop in the page records the interval between frames (the
// display's 16.7 ms when nothing is late) and each frame's work: from the frame's start to a
// message posted in its callback, which runs once the frame's script, style, layout and paint
// are done. Heap: the renderer's JavaScript heap (CDP Runtime.getHeapUsage), sampled every
// second. Counters: the page's, once the window has settled, against what was published and
// what the peers carried (their own counts).
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { connect, type MqttClient } from 'mqtt'
import type { PeerStats } from '../src/common/serverless/peer-events'
import { startEmbeddedBroker } from '../src/main/peer/local-broker'
import { launchChromium } from '../test/support/browser'
import { freePort } from '../test/support/free-port'

type Browser = Awaited<ReturnType<typeof launchChromium>>
type Page = Awaited<ReturnType<Browser['newPage']>>

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
/** Messages per second in all: half published on each site. */
const RATE = Number(process.env.BENCH_RATE ?? 10_000)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60)
const PAYLOAD_BYTES = Number(process.env.BENCH_PAYLOAD ?? 64)
const TOPICS = 20
/**
 * The targets: p95 frame time < 16 ms and p99 < 50 ms, heap < 300 MB. A frame interval at 60 Hz
 * cannot be below 16.7 ms, so p95 counts as met when it is one display frame (a frame on time).
 */
const TARGETS = { p95FrameMs: 16, p99FrameMs: 50, heapMb: 300 }
const DISPLAY_FRAME_MS = 1000 / 60
/** An interval beyond this missed the display's next frame. */
const LATE_MS = DISPLAY_FRAME_MS + 1
/** A file to write the page's CPU profile to (.cpuprofile, for Chromium's DevTools), when set. */
const CPU_PROFILE = process.env.BENCH_CPU_PROFILE
/** A file to write a Chromium trace of the run to (devtools.timeline), when set. */
const TRACE = process.env.BENCH_TRACE

const children = new Set<ChildProcess>()
process.on('exit', () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL')
})

function track(child: ChildProcess): ChildProcess {
  children.add(child)
  child.once('exit', () => children.delete(child))
  return child
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGINT')
    setTimeout(() => child.kill('SIGKILL'), 5000).unref()
  })
}

interface Peer {
  child: ChildProcess
  broker: string
  /** Its stats line, printed when it stops. */
  stats: Promise<PeerStats>
}

/** Two `pairkit peer` processes linked over loopback, each with its embedded broker. */
async function startPeers(signalling: string): Promise<[Peer, Peer]> {
  const prefix = `/bench/traffic_${process.pid}_`
  const peers = await Promise.all(
    [1, 2].map(async (role) => {
      const port = await freePort()
      const child = track(spawn(process.execPath, [path.join(repoRoot, 'bin/pairkit.js'), 'peer', '--role', String(role), '--signal', signalling, '--topic', prefix, '--bind', '127.0.0.1', '--broker-port', String(port), '--json', '--quiet'], { stdio: ['ignore', 'pipe', 'inherit'] }))
      let linked!: () => void
      const linkedPromise = new Promise<void>((resolve) => (linked = resolve))
      const stats = new Promise<PeerStats>((resolve) => {
        createInterface({ input: child.stdout! }).on('line', (line) => {
          if (line.includes('"type":"linked"')) linked()
          if (line.includes('"type":"stats"')) resolve((JSON.parse(line) as { stats: PeerStats }).stats)
        })
      })
      return { child, broker: `mqtt://127.0.0.1:${port}`, stats, linked: linkedPromise }
    }),
  )
  await Promise.race([Promise.all(peers.map((peer) => peer.linked)), sleep(30_000).then(() => Promise.reject(new Error('the PairKit peers did not link within 30 s')))])
  return [peers[0] as Peer, peers[1] as Peer]
}

async function startWeb(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = track(spawn(process.execPath, [path.join(repoRoot, 'bin/pairkit.js'), 'web', '--json'], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, PAIRKIT_DATA_DIR: dataDir, PAIRKIT_EXTRA_PORTS: '' } }))
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('pairkit web printed no URL within 30 s')), 30_000)
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.includes('"url"')) return
      clearTimeout(timer)
      resolve((JSON.parse(line) as { url: string }).url)
    })
  })
  return { child, url }
}

async function client(url: string): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const c = connect(url, { reconnectPeriod: 0, protocolVersion: 4 })
    c.once('connect', () => resolve(c))
    c.once('error', reject)
  })
}

/** Publishes RATE messages a second for SECONDS, half on each site, at QoS 1; resolves with the acknowledged counts. */
async function publish(a: MqttClient, b: MqttClient): Promise<{ A: number; B: number }> {
  const acked = { A: 0, B: 0 }
  let issued = 0
  const perSite = { A: 0, B: 0 }
  const start = performance.now()
  const end = start + SECONDS * 1000
  const pad = (text: string) => text.padEnd(PAYLOAD_BYTES, '.')
  const waiting: Promise<void>[] = []
  while (performance.now() < end) {
    const due = Math.floor(((performance.now() - start) / 1000) * RATE)
    for (; issued < due; issued++) {
      const site = issued % 2 === 0 ? 'A' : 'B'
      const seq = perSite[site]++
      const payload = pad(`{"site":"${site}","seq":${seq},"t":${Date.now()}}`)
      waiting.push(
        (site === 'A' ? a : b).publishAsync(`bench/${site.toLowerCase()}/sensor/${seq % TOPICS}`, payload, { qos: 1 }).then(() => {
          acked[site]++
        }),
      )
    }
    if (waiting.length > 20_000) await Promise.all(waiting.splice(0))
    await sleep(5)
  }
  await Promise.all(waiting)
  return acked
}

const FRAME_PROBE = `(() => {
  const bench = { intervals: [], work: [], last: 0, longFrames: 0 }
  window.__pairkitBench = bench
  const channel = new MessageChannel()
  const starts = []
  channel.port1.onmessage = () => { const start = starts.shift(); if (start !== undefined) bench.work.push(performance.now() - start) }
  const frame = (time) => {
    if (bench.last) bench.intervals.push(time - bench.last)
    bench.last = time
    starts.push(time)
    channel.port2.postMessage(0)
    requestAnimationFrame(frame)
  }
  requestAnimationFrame(frame)
  try {
    new PerformanceObserver((list) => { bench.longFrames += list.getEntries().length }).observe({ type: 'long-animation-frame', buffered: false })
  } catch {}
})()`

function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((x, y) => x - y)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number
}

interface PageCounters {
  aToB: { crossed: number; lost: number; duplicates: number; pending: number }
  bToA: { crossed: number; lost: number; duplicates: number; pending: number }
  observedA: number
  observedB: number
  domNodes: number
}

async function pageCounters(page: Page): Promise<PageCounters> {
  return (await page.evaluate(`(() => {
    const number = (id) => Number((document.querySelector('[data-testid="' + id + '"]')?.textContent ?? '').replace(/\\D/g, ''))
    const direction = (key) => ({ crossed: number('count-' + key + '-crossed'), lost: number('count-' + key + '-lost'), duplicates: number('count-' + key + '-duplicates'), pending: number('count-' + key + '-pending') })
    const broker = (site) => Number(((document.querySelector('[data-testid="counters-site-' + site + '"]')?.textContent ?? '').match(/broker ([\\d\\s\\u202f]+)/)?.[1] ?? '').replace(/\\D/g, ''))
    return { aToB: direction('aToB'), bToA: direction('bToA'), observedA: broker('A'), observedB: broker('B'), domNodes: document.getElementsByTagName('*').length }
  })()`)) as PageCounters
}

async function main(): Promise<void> {
  console.log(`bench:traffic — ${RATE} msg/s (half each way, ${PAYLOAD_BYTES}-byte payloads, QoS 1 at the origin) for ${SECONDS} s into the Traffic view (browser host, Chromium)`)
  const build = spawnSync(path.join(repoRoot, 'node_modules/.bin/electron-vite'), ['build'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] })
  if (build.status !== 0) throw new Error('electron-vite build failed')
  const dataDir = mkdtempSync(path.join(tmpdir(), 'pairkit-bench-traffic-'))
  const signalling = await startEmbeddedBroker({ port: 0, host: '127.0.0.1' })
  const browser = await launchChromium()
  try {
    const [peerA, peerB] = await startPeers(signalling.url)
    const web = await startWeb(dataDir)
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } })
    await page.goto(web.url)
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /^Traffic/ }).click()
    await page.getByTestId('traffic-a-mqtt').fill(peerA.broker)
    await page.getByTestId('traffic-b-mqtt').fill(peerB.broker)
    await page.getByTestId('traffic-start').click()
    for (const id of ['A/mqtt', 'B/mqtt']) await page.locator(`[data-testid="traffic-source"][data-source="${id}"][data-state="connected"]`).waitFor({ timeout: 20_000 })

    const cdp = await page.context().newCDPSession(page)
    const heap: number[] = []
    const sampler = setInterval(() => {
      cdp.send('Runtime.getHeapUsage').then((usage) => heap.push(usage.usedSize), () => undefined)
    }, 1000)
    const [pubA, pubB] = await Promise.all([client(peerA.broker), client(peerB.broker)])
    await page.evaluate(FRAME_PROBE)
    if (CPU_PROFILE) {
      await cdp.send('Profiler.enable')
      await cdp.send('Profiler.start')
    }
    if (TRACE) await browser.startTracing(page, { path: TRACE, categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] })
    const started = performance.now()
    const sent = await publish(pubA, pubB)
    if (TRACE) await browser.stopTracing()
    if (CPU_PROFILE) writeFileSync(CPU_PROFILE, JSON.stringify((await cdp.send('Profiler.stop')).profile))
    const publishSeconds = (performance.now() - started) / 1000
    const frames = (await page.evaluate('(() => { const b = window.__pairkitBench; const out = { intervals: b.intervals, work: b.work, longFrames: b.longFrames }; b.intervals = []; b.work = []; return out })()')) as {
      intervals: number[]
      work: number[]
      longFrames: number
    }
    clearInterval(sampler)
    await Promise.all([pubA.endAsync(), pubB.endAsync()])

    // The correlation window (2 s) settles every crossing; then the counters stop moving.
    let counters = await pageCounters(page)
    const settleDeadline = Date.now() + 30_000
    for (;;) {
      await sleep(1000)
      const next = await pageCounters(page)
      const still = JSON.stringify(next.aToB) === JSON.stringify(counters.aToB) && JSON.stringify(next.bToA) === JSON.stringify(counters.bToA) && next.aToB.pending === 0 && next.bToA.pending === 0
      counters = next
      if (still || Date.now() > settleDeadline) break
    }
    await Promise.all([stop(peerA.child), stop(peerB.child)])
    const [statsA, statsB] = await Promise.all([peerA.stats, peerB.stats])

    const maxHeapMb = Math.max(...heap) / 1024 / 1024
    const p = (values: number[], q: number) => percentile(values, q).toFixed(1)
    // The bridge may lose datagrams on a loaded machine (the kernel's UDP buffers): what it carried
    // is what the peers counted, and every message published and not carried must show as lost.
    const checks: [string, number, number][] = [
      ['A → B crossed = carried by peer B', counters.aToB.crossed, statsB.messagesFromPeer],
      ['B → A crossed = carried by peer A', counters.bToA.crossed, statsA.messagesFromPeer],
      ['A → B crossed + lost = published on A', counters.aToB.crossed + counters.aToB.lost, sent.A],
      ['B → A crossed + lost = published on B', counters.bToA.crossed + counters.bToA.lost, sent.B],
      ['duplicates, both ways', counters.aToB.duplicates + counters.bToA.duplicates, 0],
      ['still on the way', counters.aToB.pending + counters.bToA.pending, 0],
      ['site A broker: published there + arrived', counters.observedA, sent.A + statsA.messagesFromPeer],
      ['site B broker: published there + arrived', counters.observedB, sent.B + statsB.messagesFromPeer],
    ]
    const dropsA = Object.values(statsA.drops).reduce((sum, n) => sum + n, 0)
    const dropsB = Object.values(statsB.drops).reduce((sum, n) => sum + n, 0)
    console.log('')
    console.log(`published ${sent.A + sent.B} messages in ${publishSeconds.toFixed(1)} s (${((sent.A + sent.B) / publishSeconds).toFixed(0)} msg/s): ${sent.A} on A, ${sent.B} on B`)
    console.log(`the bridge carried ${statsB.messagesFromPeer} A → B and ${statsA.messagesFromPeer} B → A (peers' own counts; drops they counted: A ${dropsA}, B ${dropsB}; the rest lost in the kernel's UDP buffers)`)
    console.log('')
    console.log(`${'figure'.padEnd(48)} ${'value'.padStart(12)} ${'target'.padStart(10)}`)
    const late = frames.intervals.filter((interval) => interval > LATE_MS).length
    const intervalP95 = percentile(frames.intervals, 95)
    const intervalP99 = percentile(frames.intervals, 99)
    console.log(`${'frames drawn (60 Hz display)'.padEnd(48)} ${String(frames.intervals.length + 1).padStart(12)}`)
    console.log(`${'frames later than one display frame'.padEnd(48)} ${String(late).padStart(12)}`)
    console.log(`${'frame time (rAF interval) p50 (ms)'.padEnd(48)} ${p(frames.intervals, 50).padStart(12)}`)
    console.log(`${'frame time (rAF interval) p95 (ms)'.padEnd(48)} ${p(frames.intervals, 95).padStart(12)} ${`< ${TARGETS.p95FrameMs}`.padStart(10)}  (one frame: ${DISPLAY_FRAME_MS.toFixed(1)})`)
    console.log(`${'frame time (rAF interval) p99 (ms)'.padEnd(48)} ${p(frames.intervals, 99).padStart(12)} ${`< ${TARGETS.p99FrameMs}`.padStart(10)}`)
    console.log(`${'frame work p50 / p95 / p99 (ms)'.padEnd(48)} ${`${p(frames.work, 50)} / ${p(frames.work, 95)} / ${p(frames.work, 99)}`.padStart(12)}  (frame start to after paint, waits for the CPU included)`)
    console.log(`${'long animation frames (> 50 ms)'.padEnd(48)} ${String(frames.longFrames).padStart(12)}`)
    console.log(`${'renderer JS heap, max (MB)'.padEnd(48)} ${maxHeapMb.toFixed(1).padStart(12)} ${`< ${TARGETS.heapMb}`.padStart(10)}`)
    console.log(`${'page DOM elements at the end'.padEnd(48)} ${String(counters.domNodes).padStart(12)}`)
    for (const [name, got, want] of checks) console.log(`${`counter: ${name}`.padEnd(48)} ${String(got).padStart(12)} ${`= ${want}`.padStart(10)}${got === want ? '' : '  ✗'}`)
    const exact = checks.every(([, got, want]) => got === want)
    const met = (intervalP95 < TARGETS.p95FrameMs || intervalP95 <= LATE_MS) && intervalP99 < TARGETS.p99FrameMs && maxHeapMb < TARGETS.heapMb
    console.log('')
    console.log(`frame times and heap: ${met ? 'meet' : 'miss'} the targets; counters: ${exact ? 'every one exact' : 'NOT exact'}`)
    console.log(JSON.stringify({ bench: 'traffic', rate: RATE, seconds: SECONDS, sent, publishSeconds, frames: { count: frames.intervals.length + 1, late, intervalP50: percentile(frames.intervals, 50), intervalP95: percentile(frames.intervals, 95), intervalP99: percentile(frames.intervals, 99), workP50: percentile(frames.work, 50), workP95: percentile(frames.work, 95), workP99: percentile(frames.work, 99), longFrames: frames.longFrames }, maxHeapMb, counters, peers: { A: statsA, B: statsB }, exact }))
    await stop(web.child)
  } finally {
    await browser.close()
    await Promise.all([...children].map((child) => stop(child)))
    await signalling.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

main()
  .then(() => process.exit(0))
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error)
    process.exit(1)
  })
