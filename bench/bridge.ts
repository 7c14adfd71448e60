// `npm run bench:bridge`: messages/s and latency through the PairKit serverless bridge on
// loopback, side by side with what users set up today: two mosquitto brokers joined by
// mosquitto's own bridge over TCP. QoS 0, 64-byte and 1-KiB payloads. Not a timed test.
// PairKit runs twice: with the embedded brokers' fast paths (the default) and with
// --plain-broker (aedes alone), so the cost of the simpler path is visible beside the target.
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { connect, type MqttClient } from 'mqtt'
import { startEmbeddedBroker } from '../src/main/peer/local-broker'
import { freePort } from '../test/support/free-port'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 50_000)
const LATENCY_SAMPLES = Number(process.env.BENCH_SAMPLES ?? 1000)
/**
 * Untimed messages before each throughput run. V8 needs tens of thousands of messages to finish
 * optimising the peers' and the benchmark clients' hot paths and to size its heap: after 5 000,
 * the PairKit peers still spent 22–27 µs per message at 64 B, after 50 000 about 18 (the
 * steady state a bridge running for days is in). mosquitto needs none but gets the same.
 */
const WARMUP = Number(process.env.BENCH_WARMUP ?? 50_000)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)
/**
 * How the benchmark's MQTT clients send: "nodelay" (TCP_NODELAY, as mosquitto's bridge and both
 * brokers here send) and "nagle" (mqtt.js's default). Both are clients users run. With Nagle a
 * publisher's next small segment waits for the broker's ACK, and Linux delays that ACK by 40 ms
 * whenever two consecutive segments have the same size of 536 bytes or more (it then takes them
 * for full-sized segments), which a windowed publisher produces once its messages bunch up.
 * Which bridge bunches more then decides the figure more than the bridge's own speed does, so
 * both client kinds are measured and reported apart, with the 40-ms stalls counted.
 */
const CLIENT_KINDS = (process.env.BENCH_CLIENTS ?? 'nodelay,nagle').split(',') as ClientKind[]
type ClientKind = 'nodelay' | 'nagle'
/** A gap between two arrivals this long is a stall (a delayed ACK is 40 ms on Linux). */
const STALL_MS = 30
/** Messages in flight at once, so throughput is what the path sustains without overrunning it. */
const WINDOW = Number(process.env.BENCH_WINDOW ?? 64)
const SIZES = (process.env.BENCH_SIZES ?? '64,1024').split(',').map(Number)
/** Extra node flags for the PairKit peers, e.g. BENCH_PEER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof". */
const PEER_NODE_ARGS = (process.env.BENCH_PEER_NODE_ARGS ?? '').split(' ').filter(Boolean)
/** Some of "pairkit", "plain" (PairKit with --plain-broker) and "mosquitto", comma-separated; all by default. */
const ONLY = process.env.BENCH_ONLY?.split(',')

interface Setup {
  name: string
  a: string
  b: string
  /** The bridge processes (two peers, or two mosquittos), for their CPU time. */
  pids: number[]
  close(): Promise<void>
}

interface Result {
  setup: string
  clients: ClientKind
  size: number
  rate: number
  lost: number
  p50: number
  p99: number
  /** CPU time the two bridge processes spent per message during the throughput run, in µs. */
  bridgeCpuUs: number
  /** read/write/readv/writev calls of the two bridge processes per message (/proc/PID/io syscr +
   * syscw; Linux does not count sendmsg and recvmsg there, so PairKit's UDP I/O is not in it). */
  bridgeSyscalls: number
  /** CPU time the benchmark's own MQTT clients spent per message, in µs. */
  clientCpuUs: number
  /** Gaps of STALL_MS or more between arrivals during the throughput run. */
  stalls: number
  round?: number
}

const children = new Set<ChildProcess>()
process.on('exit', () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL')
})

/** Stops every child this run started, by PID. */
async function stopChildren(): Promise<void> {
  await Promise.all(
    [...children].map((child) => new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve()
      child.once('exit', () => resolve())
      child.kill('SIGINT')
      setTimeout(() => child.kill('SIGKILL'), 3000).unref()
    })),
  )
  children.clear()
}


const PAIRKIT = 'PairKit (ICE/UDP, datagram wrap)'
const PAIRKIT_PLAIN = 'PairKit --plain-broker'
const MOSQUITTO = 'mosquitto bridge (TCP)'

/** Each peer is its own `pairkit peer` process, as in the field (and as each mosquitto is). */
async function pairkitSetup(plainBroker: boolean): Promise<Setup> {
  const signalling = await startEmbeddedBroker({ port: 0 })
  const prefix = `/bench/pairkit_${process.pid}_`
  const ports = [await freePort(), await freePort()]
  const linked = ports.map((port, index) => {
    const child = spawn(process.execPath, [...PEER_NODE_ARGS, path.join(repoRoot, 'bin/pairkit.js'), 'peer', '--role', String(index + 1), '--signal', signalling.url, '--topic', prefix, '--bind', '127.0.0.1', '--broker-port', String(port), ...(plainBroker ? ['--plain-broker'] : []), '--json', '--quiet'], { stdio: ['ignore', 'pipe', 'inherit'] })
    children.add(child)
    return new Promise<void>((resolve, reject) => {
      createInterface({ input: child.stdout! }).on('line', (line) => {
        if (line.includes('"type":"linked"')) resolve()
      })
      child.once('exit', (code) => reject(new Error(`pairkit peer exited with ${code}`)))
    })
  })
  await Promise.race([Promise.all(linked), sleep(30_000).then(() => Promise.reject(new Error('the PairKit peers did not link within 30 s')))])
  return {
    name: plainBroker ? PAIRKIT_PLAIN : PAIRKIT,
    a: `mqtt://127.0.0.1:${ports[0]}`,
    b: `mqtt://127.0.0.1:${ports[1]}`,
    pids: [...children].map((child) => child.pid ?? 0),
    async close() {
      await stopChildren()
      await signalling.close()
    },
  }
}

async function mosquittoSetup(): Promise<Setup> {
  const dir = mkdtempSync(path.join(tmpdir(), 'pairkit-bench-'))
  const [portA, portB] = [await freePort(), await freePort()]
  const base = (port: number) => `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest none\nset_tcp_nodelay true\n`
  writeFileSync(path.join(dir, 'a.conf'), base(portA))
  // B bridges everything both ways to A over TCP, as users do today with a cloud broker in between.
  writeFileSync(path.join(dir, 'b.conf'), `${base(portB)}connection bench\naddress 127.0.0.1:${portA}\ntopic # both 0\ncleansession true\ntry_private true\n`)
  for (const name of ['a', 'b']) {
    const child = spawn('mosquitto', ['-c', path.join(dir, `${name}.conf`)], { stdio: 'ignore' })
    children.add(child)
    child.on('error', (error) => {
      console.error(`mosquitto could not start (${error.message}); install it with: apt-get install -y mosquitto`)
      process.exit(1)
    })
  }
  const pids = [...children].map((child) => child.pid ?? 0)
  const a = `mqtt://127.0.0.1:${portA}`
  const b = `mqtt://127.0.0.1:${portB}`
  await waitForCrossing(a, b)
  return {
    name: MOSQUITTO,
    a,
    b,
    pids,
    async close() {
      await stopChildren()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

async function client(url: string, kind: ClientKind): Promise<MqttClient> {
  for (let tries = 0; ; tries++) {
    try {
      return await new Promise<MqttClient>((resolve, reject) => {
        const c = connect(url, { reconnectPeriod: 0, protocolVersion: 4 })
        c.once('connect', () => {
          ;(c.stream as Socket).setNoDelay(kind === 'nodelay')
          resolve(c)
        })
        c.once('error', (error) => (c.end(true), reject(error)))
      })
    } catch (error) {
      if (tries > 50) throw error
      await sleep(100)
    }
  }
}

/** The bridge is up once a probe published on A arrives at B. */
async function waitForCrossing(a: string, b: string): Promise<void> {
  const [pub, sub] = [await client(a, 'nodelay'), await client(b, 'nodelay')]
  let arrived = false
  sub.on('message', () => (arrived = true))
  await sub.subscribeAsync('probe/#')
  const deadline = Date.now() + 15_000
  while (!arrived) {
    if (Date.now() > deadline) throw new Error('the mosquitto bridge did not connect within 15 s')
    pub.publish('probe/x', 'probe probe probe')
    await sleep(100)
  }
  await Promise.all([pub.endAsync(true), sub.endAsync(true)])
}

async function measure(setup: Setup, size: number, clients: ClientKind): Promise<Result> {
  const [pub, sub] = [await client(setup.a, clients), await client(setup.b, clients)]
  const topic = `bench/${size}`
  await sub.subscribeAsync(topic, { qos: 0 })
  await sleep(200)

  // Warm-up, not timed (see WARMUP).
  await pump(pub, sub, topic, Buffer.alloc(size, 0x61), WARMUP)

  // Throughput: a window of in-flight messages; whatever does not arrive is counted as lost.
  const bridgeCpuBefore = cpuSeconds(setup.pids)
  const syscallsBefore = syscalls(setup.pids)
  const clientCpuBefore = process.cpuUsage()
  const { received, elapsed, stalls } = await pump(pub, sub, topic, Buffer.alloc(size, 0x61), MESSAGES)
  const bridgeCpu = cpuSeconds(setup.pids) - bridgeCpuBefore
  const bridgeSyscalls = (syscalls(setup.pids) - syscallsBefore) / MESSAGES
  const clientCpu = process.cpuUsage(clientCpuBefore)
  const lost = MESSAGES - Math.min(received, MESSAGES)

  // Latency: one message at a time, timestamp inside the payload.
  const samples: number[] = []
  const latencyTopic = `bench/lat${size}`
  await sub.subscribeAsync(latencyTopic, { qos: 0 })
  await sleep(100)
  for (let i = 0; i < LATENCY_SAMPLES; i++) {
    const body = Buffer.alloc(size, 0x62)
    const arrived = new Promise<number>((resolve) => sub.once('message', () => resolve(performance.now())))
    const at = performance.now()
    pub.publish(latencyTopic, body, { qos: 0 })
    const end = await Promise.race([arrived, sleep(1000).then(() => undefined)])
    if (end !== undefined) samples.push(end - at)
    else sub.removeAllListeners('message')
  }
  await Promise.all([pub.endAsync(true), sub.endAsync(true)])
  samples.sort((x, y) => x - y)
  const pick = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? NaN
  return { setup: setup.name, clients, size, rate: Math.min(received, MESSAGES) / elapsed, lost, p50: pick(0.5), p99: pick(0.99), bridgeCpuUs: (bridgeCpu * 1e6) / MESSAGES, bridgeSyscalls, clientCpuUs: (clientCpu.user + clientCpu.system) / MESSAGES, stalls }
}

/** User + system CPU seconds of these processes so far (Linux /proc; 0 where unavailable). */
function cpuSeconds(pids: number[]): number {
  let ticks = 0
  for (const pid of pids) {
    try {
      // Fields after the ")" that ends the command name: utime and stime are the 12th and 13th.
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
      ticks += Number(fields[11]) + Number(fields[12])
    } catch {
      // Not Linux, or the process is gone: the CPU column then reads 0.
    }
  }
  return ticks / 100 // USER_HZ is 100 on Linux
}

/** syscr + syscw of these processes so far (Linux /proc; 0 where unavailable). */
function syscalls(pids: number[]): number {
  let count = 0
  for (const pid of pids) {
    try {
      const io = readFileSync(`/proc/${pid}/io`, 'utf8')
      count += Number(/^syscr: (\d+)$/m.exec(io)?.[1] ?? 0) + Number(/^syscw: (\d+)$/m.exec(io)?.[1] ?? 0)
    } catch {
      // Not Linux, or not allowed: the column then reads 0.
    }
  }
  return count
}

/**
 * Publishes `count` messages on A keeping at most WINDOW in flight, and counts arrivals on B.
 * Elapsed time runs to the last arrival (or to the moment the rest is given up as lost).
 */
async function pump(pub: MqttClient, sub: MqttClient, topic: string, payload: Buffer, count: number): Promise<{ received: number; elapsed: number; stalls: number }> {
  let received = 0
  let stalls = 0
  let sent = 0
  let presumedLost = 0
  let lastArrival = performance.now()
  let wake: (() => void) | undefined
  const onMessage = (arrivedOn: string) => {
    if (arrivedOn !== topic) return
    received++
    const now = performance.now()
    if (received > 1 && now - lastArrival >= STALL_MS) stalls++
    lastArrival = now
    wake?.()
  }
  sub.on('message', onMessage)
  const started = performance.now()
  while (sent < count) {
    if (sent - received - presumedLost >= WINDOW) {
      const progressed = await Promise.race([new Promise<boolean>((resolve) => (wake = () => resolve(true))), sleep(200).then(() => false)])
      wake = undefined
      // A lost datagram never arrives: after 200 ms of silence count the window as lost.
      if (!progressed) presumedLost = sent - received
      continue
    }
    pub.publish(topic, payload, { qos: 0 })
    sent++
  }
  await waitUntil(() => received >= count, 1000, 'the last messages').catch(() => (lastArrival = performance.now()))
  sub.removeListener('message', onMessage)
  return { received, elapsed: (lastArrival - started) / 1000, stalls }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

async function waitUntil(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(20)
  }
}

async function main(): Promise<void> {
  console.log(`bench:bridge — QoS 0 on loopback, ${MESSAGES} messages per throughput run after ${WARMUP} untimed (window ${WINDOW}), ${LATENCY_SAMPLES} latency samples, ${ROUNDS} round(s), clients: ${CLIENT_KINDS.join(', ')}`)
  const results: Result[] = []
  const setups = [
    { key: 'pairkit', make: () => pairkitSetup(false) },
    { key: 'plain', make: () => pairkitSetup(true) },
    { key: 'mosquitto', make: mosquittoSetup },
  ]
  const makers = setups.filter(({ key }) => !ONLY || ONLY.includes(key)).map(({ make }) => make)
  // On a shared machine the load of other programs comes and goes: the setups take turns, in
  // alternating order, so a busy spell does not fall on one side only; medians are compared.
  for (let round = 1; round <= ROUNDS; round++) {
    for (const make of round % 2 === 1 ? makers : [...makers].reverse()) {
      const setup = await make()
      try {
        for (const clients of CLIENT_KINDS) for (const size of SIZES) results.push({ ...(await measure(setup, size, clients)), round })
      } finally {
        await setup.close()
      }
    }
  }
  const header = `${'setup'.padEnd(36)} ${'payload'.padStart(8)} ${'round'.padStart(6)} ${'msg/s'.padStart(10)} ${'lost'.padStart(6)} ${'stalls'.padStart(7)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'bridge CPU µs/msg'.padStart(18)} ${'r+w calls/msg'.padStart(13)} ${'client CPU µs/msg'.padStart(18)}`
  const row = (r: Result, round: string) =>
    `${r.setup.padEnd(36)} ${`${r.size} B`.padStart(8)} ${round.padStart(6)} ${r.rate.toFixed(0).padStart(10)} ${String(r.lost).padStart(6)} ${String(r.stalls).padStart(7)} ${r.p50.toFixed(3).padStart(8)} ${r.p99.toFixed(3).padStart(8)} ${r.bridgeCpuUs.toFixed(1).padStart(18)} ${r.bridgeSyscalls.toFixed(2).padStart(13)} ${r.clientCpuUs.toFixed(1).padStart(18)}`
  const medians: Result[] = []
  for (const clients of CLIENT_KINDS) {
    console.log('')
    console.log(clients === 'nodelay' ? 'Clients without Nagle (TCP_NODELAY):' : `Clients with Nagle (mqtt.js's default; stalls = gaps of ${STALL_MS} ms or more, the kernel's delayed ACKs):`)
    console.log(header)
    for (const name of [...new Set(results.map((r) => r.setup))]) {
      for (const size of SIZES) {
        const runs = results.filter((r) => r.setup === name && r.size === size && r.clients === clients)
        if (runs.length === 0) continue
        for (const r of runs) console.log(row(r, String(r.round)))
        const median = medianResult(runs)
        medians.push(median)
        if (runs.length > 1) console.log(row(median, 'median'))
      }
    }
  }
  console.log('')
  for (const clients of CLIENT_KINDS) {
    for (const size of SIZES) {
      const median = (setup: string) => medians.find((r) => r.clients === clients && r.size === size && r.setup === setup)
      const [ours, plain, theirs] = [median(PAIRKIT), median(PAIRKIT_PLAIN), median(MOSQUITTO)]
      const label = `${size} B, clients ${clients === 'nodelay' ? 'without' : 'with'} Nagle`
      if (ours && theirs) {
        const rateOk = ours.rate >= theirs.rate
        const latencyOk = ours.p50 <= theirs.p50 + 1
        console.log(`${label}: throughput ${rateOk ? 'meets' : 'misses'} the target (≥ mosquitto bridge; PairKit/mosquitto ${(ours.rate / theirs.rate).toFixed(2)}), p50 ${latencyOk ? 'meets' : 'misses'} the target (within 1 ms of it)`)
      }
      // The target is the fast path's; the plain broker's figures show what the fast paths buy.
      if (plain) {
        const against = [ours ? `fast paths/plain ${(ours.rate / plain.rate).toFixed(2)}` : '', theirs ? `plain/mosquitto ${(plain.rate / theirs.rate).toFixed(2)}` : ''].filter(Boolean).join(', ')
        console.log(`${label}, --plain-broker: ${plain.rate.toFixed(0)} msg/s, p50 ${plain.p50.toFixed(3)} ms, ${plain.bridgeCpuUs.toFixed(1)} µs of bridge CPU per message${against ? ` (${against})` : ''}`)
      }
    }
  }
  console.log(JSON.stringify({ bench: 'bridge', results, medians }))
}

/** Each column's median over the rounds (lost and stalls: the totals). */
function medianResult(runs: Result[]): Result {
  const median = (pick: (r: Result) => number) => {
    const values = runs.map(pick).sort((x, y) => x - y)
    const mid = Math.floor(values.length / 2)
    return values.length % 2 === 1 ? (values[mid] as number) : ((values[mid - 1] as number) + (values[mid] as number)) / 2
  }
  const first = runs[0] as Result
  return {
    setup: first.setup,
    clients: first.clients,
    size: first.size,
    rate: median((r) => r.rate),
    lost: runs.reduce((sum, r) => sum + r.lost, 0),
    p50: median((r) => r.p50),
    p99: median((r) => r.p99),
    bridgeCpuUs: median((r) => r.bridgeCpuUs),
    bridgeSyscalls: median((r) => r.bridgeSyscalls),
    clientCpuUs: median((r) => r.clientCpuUs),
    stalls: runs.reduce((sum, r) => sum + r.stalls, 0),
  }
}

main()
  .then(() => process.exit(0))
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error)
    process.exit(1)
  })
