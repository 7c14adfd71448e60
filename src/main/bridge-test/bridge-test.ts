// The bridge test: does a message published on site A's broker arrive on site B's, and back,
// how fast, how reliably, and what does not survive the crossing? It only publishes and
// subscribes (one MQTT client per broker, under a topic prefix unique to the run), so it works
// against any two brokers joined by any bridge: the ESP32 firmware, PairKit's peer, mosquitto's
// bridge or anything else.
//
// Steps: the clock offset between the sides from ping-pong round trips (each side's times are
// read from its own clock, see bridge-test-stats.ts); latency probes both ways (loss,
// duplicates, reordering, one-way latency); whether QoS 1 and retain survive; the largest
// payload that crosses (binary search up to what the firmware's 4096-byte wrap carries on the
// test's topic); a payload shorter than its topic (the stock firmware drops those); a
// throughput staircase up to the first step that loses messages.
import { randomBytes } from 'node:crypto'
import type { MqttClient } from 'mqtt'
import { CancelledError, PairKitError } from '../../common/errors'
import { SERVERLESS } from '../../common/serverless/constants'
import { wrappedLength } from '../../common/serverless/datagram-wrap'
import type { BridgeTestResult, DirectionResult, Finding, LossThreshold } from '../../common/traffic/bridge-test-result'
import { analyseProbes, describeLossThreshold, estimateClockOffset, lossWithin, p95Within, type ProbeArrival, type RoundTrip } from '../../common/traffic/bridge-test-stats'
import { maskUrlPassword } from '../../common/url-userinfo'
import { connectBroker } from '../traffic/broker-connection'

export const BRIDGE_TEST_PREFIX = 'pairkit/bridge-test'
export const DEFAULT_THROUGHPUT_RATES: readonly number[] = [50, 100, 200, 500, 1000]

export interface BridgeTestOptions {
  a: string
  b: string
  /** Latency probes each way (default 50). */
  count?: number
  /** Pause between probes (default 20 ms). */
  intervalMs?: number
  maxLoss?: LossThreshold
  maxP95Ms?: number
  /** Messages per second of each throughput step, or false to skip the step (default DEFAULT_THROUGHPUT_RATES). */
  throughput?: readonly number[] | false
  /** How long each throughput step sends (default 1000 ms). */
  stepMs?: number
  /** How long to wait for stragglers after the last probe of a step (default 2000 ms). */
  drainMs?: number
  /** Ping-pong round trips for the clock offset (default 10; the one with the shortest round trip counts). */
  pings?: number
  connectTimeoutMs?: number
  /** Each side's clock (ms); by default this process's. Tests give one side a skewed clock. */
  clocks?: { a?: () => number; b?: () => number }
  signal?: AbortSignal
  onProgress?: (progress: BridgeTestProgress) => void
}

export type BridgeTestStep = 'connecting' | 'clock' | 'latency' | 'qos-retain' | 'max-payload' | 'short-payload' | 'throughput'

export interface BridgeTestProgress {
  step: BridgeTestStep
  /** 0 … 1 over the whole test. */
  fraction: number
}

type Dir = 'a2b' | 'b2a'
type Side = 'A' | 'B'
const DIRS: readonly Dir[] = ['a2b', 'b2a']
const STEP_START: Record<BridgeTestStep, number> = { connecting: 0, clock: 0.05, latency: 0.1, 'qos-retain': 0.45, 'max-payload': 0.55, 'short-payload': 0.7, throughput: 0.75 }
/** Latency probes carry their time and are padded to this size, above any test topic + 1 (the stock length check). */
const PROBE_BYTES = 64
/** The short-payload check: a topic this long and a payload this short. */
const SHORT_TOPIC_BYTES = 52
const SHORT_PAYLOAD_BYTES = 8
const COPIES = 3

interface Arrival {
  seq: number
  at: number
  qos: number
  retain: boolean
  payloadBytes: number
}

const clockNow = () => performance.timeOrigin + performance.now()

export async function runBridgeTest(options: BridgeTestOptions): Promise<BridgeTestResult> {
  if (options.a === options.b) throw new PairKitError('BAD_INPUT', 'Sites A and B name the same broker: the test would measure that broker, not a bridge', { hint: 'Give the broker of each site.' })
  const run = new BridgeTestRun(options)
  try {
    return await run.execute()
  } finally {
    await run.close()
  }
}

class BridgeTestRun {
  readonly nonce = randomBytes(4).toString('hex')
  readonly prefix = `${BRIDGE_TEST_PREFIX}/${this.nonce}`
  private readonly clock: Record<Side, () => number>
  private clients: Partial<Record<Side, MqttClient>> = {}
  private readonly extraClients = new Set<MqttClient>()
  /** Arrivals by "kind/dir" (e.g. "lat/a2b"). */
  private readonly arrivals = new Map<string, Arrival[]>()
  private readonly waiters = new Set<() => void>()
  private readonly drainMs: number
  private readonly signal: AbortSignal | undefined
  private readonly startedAt = Date.now()

  constructor(private readonly options: BridgeTestOptions) {
    this.clock = { A: options.clocks?.a ?? clockNow, B: options.clocks?.b ?? clockNow }
    this.drainMs = options.drainMs ?? 2000
    this.signal = options.signal
  }

  async execute(): Promise<BridgeTestResult> {
    const options = this.options
    this.progress('connecting', 0)
    const connected = await Promise.allSettled([
      connectBroker(options.a, { who: "site A's broker", clientId: `pairkit-bt-${this.nonce}-a`, timeoutMs: options.connectTimeoutMs, signal: this.signal }),
      connectBroker(options.b, { who: "site B's broker", clientId: `pairkit-bt-${this.nonce}-b`, timeoutMs: options.connectTimeoutMs, signal: this.signal }),
    ])
    const failed = connected.find((outcome) => outcome.status === 'rejected')
    if (failed) {
      await Promise.all(connected.map((outcome) => (outcome.status === 'fulfilled' ? outcome.value.endAsync(true).catch(() => undefined) : undefined)))
      throw failed.reason
    }
    const [a, b] = connected.map((outcome) => (outcome as PromiseFulfilledResult<MqttClient>).value) as [MqttClient, MqttClient]
    this.clients = { A: a, B: b }
    for (const side of ['A', 'B'] as const) this.listen(side)
    await Promise.all([a.subscribeAsync(`${this.prefix}/#`, { qos: 1 }), b.subscribeAsync(`${this.prefix}/#`, { qos: 1 })])

    this.progress('clock', 0)
    const trips = await this.pingPong(options.pings ?? 10)
    const offset = estimateClockOffset(trips)
    const offsetMs = offset?.offsetMs ?? 0

    const latency = await this.latencyProbes(options.count ?? 50, options.intervalMs ?? 20, offsetMs)
    const p95 = Math.max(latency.aToB.p95Ms ?? 0, latency.bToA.p95Ms ?? 0)
    // How long a single probe may take before it counts as lost in the later checks.
    const probeWaitMs = Math.min(this.drainMs, Math.max(300, 3 * p95 + 100))

    this.progress('qos-retain', 0)
    const qosRetain = await this.qosAndRetain()
    this.progress('max-payload', 0)
    const [maxAToB, maxBToA] = await Promise.all(DIRS.map((dir) => this.largestPayload(dir, probeWaitMs, (dir === 'a2b' ? latency.aToB : latency.bToA).received > 0)))
    this.progress('short-payload', 0)
    const short = await this.shortPayload(Math.max(500, probeWaitMs))
    const throughput = options.throughput === false ? null : await this.throughputSteps(options.throughput ?? DEFAULT_THROUGHPUT_RATES, options.stepMs ?? 1000, Math.max(500, probeWaitMs))

    const maxLoss = options.maxLoss ?? { count: 0 }
    const maxP95Ms = options.maxP95Ms ?? 500
    const limit = this.payloadLimit('size')
    const result: BridgeTestResult = {
      a: maskUrlPassword(options.a),
      b: maskUrlPassword(options.b),
      nonce: this.nonce,
      startedAt: this.startedAt,
      durationMs: Date.now() - this.startedAt,
      clock: { offsetMs: offset ? round(offset.offsetMs) : null, roundTripMs: offset ? round(offset.roundTripMs) : null, samples: trips.length },
      aToB: latency.aToB,
      bToA: latency.bToA,
      qos1Carried: qosRetain.aToB.received === 1 && qosRetain.bToA.received === 1,
      retainCarried: qosRetain.aToB.stored && qosRetain.bToA.stored,
      qos: { aToB: { received: qosRetain.aToB.received }, bToA: { received: qosRetain.bToA.received } },
      retain: { aToB: { arrived: qosRetain.aToB.arrived, stored: qosRetain.aToB.stored }, bToA: { arrived: qosRetain.bToA.arrived, stored: qosRetain.bToA.stored } },
      maxPayloadBytes: Math.min(maxAToB as number, maxBToA as number),
      maxPayload: { aToB: maxAToB as number, bToA: maxBToA as number, limit },
      shortPayload: short,
      throughput,
      findings: [],
      thresholds: { maxLoss, maxP95Ms },
      pass: lossWithin(latency.aToB, maxLoss) && lossWithin(latency.bToA, maxLoss) && p95Within(latency.aToB, maxP95Ms) && p95Within(latency.bToA, maxP95Ms),
    }
    result.findings = findings(result, offset !== undefined)
    return result
  }

  async close(): Promise<void> {
    const clients = [...Object.values(this.clients), ...this.extraClients]
    this.clients = {}
    this.extraClients.clear()
    await Promise.all(clients.map((client) => client?.endAsync(true).catch(() => undefined)))
  }

  // ---- messages

  private listen(side: Side): void {
    const client = this.clients[side] as MqttClient
    const own: Dir = side === 'A' ? 'a2b' : 'b2a'
    client.on('message', (topic, payload, packet) => {
      const at = this.clock[side]()
      if (!topic.startsWith(`${this.prefix}/`)) return
      const [kind = '', dir = '', ...rest] = topic.slice(this.prefix.length + 1).split('/')
      // A broker hands a client its own publishes too: only what came across counts.
      if (dir === own || (dir !== 'a2b' && dir !== 'b2a')) return
      if (kind === 'ping' && side === 'B') return this.answerPing(payload, at)
      if (kind === 'pong' && side === 'A') this.notePong(payload)
      const seq = probeSeq(payload)
      const key = rest.length > 0 && kind === 'tp' ? `${kind}/${dir}/${rest[0]}` : `${kind}/${dir}`
      const list = this.arrivals.get(key) ?? []
      list.push({ seq, at, qos: packet.qos, retain: packet.retain, payloadBytes: payload.length })
      this.arrivals.set(key, list)
      for (const wake of [...this.waiters]) wake()
    })
  }

  private topic(kind: string, dir: Dir, extra?: string): string {
    return `${this.prefix}/${kind}/${dir}${extra === undefined ? '' : `/${extra}`}`
  }

  private sender(dir: Dir): MqttClient {
    return this.clients[dir === 'a2b' ? 'A' : 'B'] as MqttClient
  }

  private senderClock(dir: Dir): () => number {
    return this.clock[dir === 'a2b' ? 'A' : 'B']
  }

  private got(key: string): Arrival[] {
    return this.arrivals.get(key) ?? []
  }

  /** Resolves when `check` holds (re-checked at every arrival) or after `timeoutMs`; rejects when cancelled. */
  private waitFor(check: () => boolean, timeoutMs: number): Promise<boolean> {
    if (check()) return Promise.resolve(true)
    return new Promise<boolean>((resolve, reject) => {
      const finish = (value: boolean | Error) => {
        clearTimeout(timer)
        this.waiters.delete(wake)
        this.signal?.removeEventListener('abort', onAbort)
        if (value instanceof Error) reject(value)
        else resolve(value)
      }
      const wake = () => check() && finish(true)
      const onAbort = () => finish(new CancelledError('the bridge test was cancelled'))
      const timer = setTimeout(() => finish(check()), timeoutMs)
      this.waiters.add(wake)
      if (this.signal?.aborted) onAbort()
      else this.signal?.addEventListener('abort', onAbort, { once: true })
    })
  }

  private async pause(ms: number): Promise<void> {
    await this.waitFor(() => false, ms)
  }

  private progress(step: BridgeTestStep, within: number): void {
    const steps = Object.keys(STEP_START) as BridgeTestStep[]
    const next = steps[steps.indexOf(step) + 1]
    const end = next ? STEP_START[next] : 1
    this.options.onProgress?.({ step, fraction: round(STEP_START[step] + (end - STEP_START[step]) * Math.min(1, within)) })
  }

  // ---- clock

  /** t2 and t3 of each pong, as B wrote them into it. */
  private readonly pongTimes = new Map<number, { t2: number; t3: number }>()

  private notePong(payload: Buffer): void {
    const fields = probeFields(payload)
    const [seq, t2, t3] = [Number(fields.seq), Number(fields.t2), Number(fields.t3)]
    if (Number.isFinite(seq) && Number.isFinite(t2) && Number.isFinite(t3)) this.pongTimes.set(seq, { t2, t3 })
  }

  private answerPing(payload: Buffer, t2: number): void {
    const fields = probeFields(payload)
    const seq = Number(fields.seq)
    const t1 = Number(fields.t)
    if (!Number.isFinite(seq) || !Number.isFinite(t1)) return
    const t3 = this.clock.B()
    ;(this.clients.B as MqttClient).publish(this.topic('pong', 'b2a'), pad(`seq:${seq};t:${t1};t2:${t2};t3:${t3};`, PROBE_BYTES), { qos: 0 })
  }

  private async pingPong(count: number): Promise<RoundTrip[]> {
    const trips: RoundTrip[] = []
    for (let seq = 0; seq < count; seq++) {
      const t1 = this.clock.A()
      ;(this.clients.A as MqttClient).publish(this.topic('ping', 'a2b'), pad(`seq:${seq};t:${t1};`, PROBE_BYTES), { qos: 0 })
      const arrived = await this.waitFor(() => this.got('pong/b2a').some((pong) => pong.seq === seq), Math.min(this.drainMs, 1000))
      if (!arrived) continue
      const pong = this.got('pong/b2a').find((entry) => entry.seq === seq) as Arrival
      const times = this.pongTimes.get(seq)
      if (times) trips.push({ t1, t2: times.t2, t3: times.t3, t4: pong.at })
      this.progress('clock', (seq + 1) / count)
    }
    return trips
  }

  // ---- latency

  private async latencyProbes(count: number, intervalMs: number, offsetMs: number): Promise<{ aToB: DirectionResult; bToA: DirectionResult }> {
    this.progress('latency', 0)
    const sendTimes: Record<Dir, number[]> = { a2b: [], b2a: [] }
    for (let seq = 0; seq < count; seq++) {
      for (const dir of DIRS) {
        const at = this.senderClock(dir)()
        sendTimes[dir].push(at)
        this.sender(dir).publish(this.topic('lat', dir), pad(`seq:${seq};t:${at};`, PROBE_BYTES), { qos: 0 })
      }
      if (seq % 10 === 9) this.progress('latency', (0.8 * (seq + 1)) / count)
      if (intervalMs > 0 && seq < count - 1) await this.pause(intervalMs)
    }
    const complete = (dir: Dir) => new Set(this.got(`lat/${dir}`).map((arrival) => arrival.seq)).size >= count
    await this.waitFor(() => complete('a2b') && complete('b2a'), this.drainMs)
    this.progress('latency', 1)
    const arrivals = (dir: Dir): ProbeArrival[] => this.got(`lat/${dir}`).map(({ seq, at }) => ({ seq, at }))
    return {
      aToB: analyseProbes(sendTimes.a2b, arrivals('a2b'), offsetMs),
      bToA: analyseProbes(sendTimes.b2a, arrivals('b2a'), -offsetMs),
    }
  }

  // ---- QoS and retain

  private async qosAndRetain(): Promise<Record<'aToB' | 'bToA', { received: number | null; arrived: boolean; stored: boolean }>> {
    const check = async (dir: Dir) => {
      const topic = this.topic('retain', dir)
      await this.sender(dir).publishAsync(topic, pad(`seq:0;t:${this.senderClock(dir)()};retained probe;`, PROBE_BYTES), { qos: 1, retain: true })
      const arrived = await this.waitFor(() => this.got(`retain/${dir}`).length > 0, this.drainMs)
      const first = this.got(`retain/${dir}`)[0]
      // Retained means the other broker keeps it: a subscriber that comes afterwards gets it.
      const stored = arrived ? await this.freshSubscriberGetsRetained(dir === 'a2b' ? this.options.b : this.options.a, topic, dir === 'a2b' ? 'B' : 'A') : false
      return { received: first ? first.qos : null, arrived, stored }
    }
    const [aToB, bToA] = await Promise.all(DIRS.map(check))
    // Remove the retained probes from both brokers (an empty retained message clears one).
    for (const dir of DIRS) {
      for (const side of ['A', 'B'] as const) (this.clients[side] as MqttClient).publish(this.topic('retain', dir), Buffer.alloc(0), { qos: 0, retain: true })
    }
    this.progress('qos-retain', 1)
    return { aToB: aToB as { received: number | null; arrived: boolean; stored: boolean }, bToA: bToA as { received: number | null; arrived: boolean; stored: boolean } }
  }

  private async freshSubscriberGetsRetained(url: string, topic: string, side: Side): Promise<boolean> {
    const client = await connectBroker(url, { who: `site ${side}'s broker`, clientId: `pairkit-bt-${this.nonce}-${side.toLowerCase()}2`, timeoutMs: this.options.connectTimeoutMs, signal: this.signal })
    this.extraClients.add(client)
    try {
      let stored = false
      client.on('message', (_topic, payload, packet) => {
        if (packet.retain && payload.length > 0) {
          stored = true
          for (const wake of [...this.waiters]) wake()
        }
      })
      await client.subscribeAsync(topic, { qos: 1 })
      return await this.waitFor(() => stored, 1000)
    } finally {
      this.extraClients.delete(client)
      await client.endAsync(true).catch(() => undefined)
    }
  }

  // ---- largest payload

  /** The most payload bytes the firmware's wrap carries on this kind's topic. */
  private payloadLimit(kind: string): number {
    const topicBytes = Buffer.byteLength(this.topic(kind, 'a2b'))
    return SERVERLESS.MAX_WRAPPED_BYTES - wrappedLength(topicBytes, 0)
  }

  private nextSeq = 1_000_000

  /** Whether a payload of `size` bytes crosses in `dir`: COPIES tries, and COPIES more if none arrived. */
  private async crosses(kind: string, dir: Dir, size: number, waitMs: number, topicExtra?: string, payload?: (seq: number) => Buffer): Promise<boolean> {
    const topic = this.topic(kind, dir, topicExtra)
    const key = `${kind}/${dir}`
    for (let round = 0; round < 2; round++) {
      const seqs = new Set<number>()
      for (let copy = 0; copy < COPIES; copy++) {
        const seq = this.nextSeq++
        seqs.add(seq)
        this.sender(dir).publish(topic, payload ? payload(seq) : pad(`seq:${seq};`, size), { qos: 0 })
      }
      if (await this.waitFor(() => this.got(key).some((arrival) => seqs.has(arrival.seq)), waitMs)) return true
    }
    return false
  }

  private async largestPayload(dir: Dir, waitMs: number, probesCrossed: boolean): Promise<number> {
    const limit = this.payloadLimit('size')
    if (await this.crosses('size', dir, limit, waitMs)) return limit
    let lo = PROBE_BYTES
    if (!probesCrossed && !(await this.crosses('size', dir, PROBE_BYTES, waitMs))) return 0
    let hi = limit
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2)
      if (await this.crosses('size', dir, mid, waitMs)) lo = mid
      else hi = mid
    }
    return lo
  }

  // ---- short payload

  private async shortPayload(waitMs: number): Promise<BridgeTestResult['shortPayload']> {
    const extraFor = (dir: Dir) => 'x'.repeat(Math.max(1, SHORT_TOPIC_BYTES - Buffer.byteLength(this.topic('short', dir)) - 1))
    const topicBytes = Buffer.byteLength(this.topic('short', 'a2b', extraFor('a2b')))
    const check = async (dir: Dir) => {
      const extra = extraFor(dir)
      const shortPayload = (seq: number) => Buffer.from(`s${String(seq % 10_000_000).padStart(SHORT_PAYLOAD_BYTES - 1, '0')}`)
      const [short, control] = await Promise.all([
        this.crosses('short', dir, SHORT_PAYLOAD_BYTES, waitMs, extra, shortPayload),
        this.crosses('short', dir, topicBytes + SHORT_PAYLOAD_BYTES, waitMs, extra),
      ])
      return { short, control }
    }
    const [aToB, bToA] = await Promise.all(DIRS.map(check))
    this.progress('short-payload', 1)
    return { topicBytes, payloadBytes: SHORT_PAYLOAD_BYTES, aToB: aToB?.short ?? false, bToA: bToA?.short ?? false, controlAToB: aToB?.control ?? false, controlBToA: bToA?.control ?? false }
  }

  // ---- throughput

  private async throughputSteps(rates: readonly number[], stepMs: number, drainMs: number): Promise<NonNullable<BridgeTestResult['throughput']>> {
    const steps: NonNullable<BridgeTestResult['throughput']>['steps'] = []
    let maxLossFreeRate: number | null = null
    for (const [index, rate] of rates.entries()) {
      this.progress('throughput', index / rates.length)
      const total = Math.max(1, Math.round((rate * stepMs) / 1000))
      const started = performance.now()
      let sent = 0
      while (sent < total) {
        const due = Math.min(total, Math.floor(((performance.now() - started) * rate) / 1000) + 1)
        for (; sent < due; sent++) {
          for (const dir of DIRS) this.sender(dir).publish(this.topic('tp', dir, String(index)), pad(`seq:${sent};`, PROBE_BYTES), { qos: 0 })
        }
        if (sent < total) await this.pause(10)
      }
      const received = (dir: Dir) => new Set(this.got(`tp/${dir}/${index}`).map((arrival) => arrival.seq)).size
      await this.waitFor(() => received('a2b') >= total && received('b2a') >= total, drainMs)
      steps.push({ rate, aToB: { sent: total, received: received('a2b') }, bToA: { sent: total, received: received('b2a') } })
      if (received('a2b') < total || received('b2a') < total) break
      maxLossFreeRate = rate
    }
    this.progress('throughput', 1)
    return { stepMs, steps, maxLossFreeRate }
  }
}

// ---- probes: "seq:N;t:T;…" padded with "." to their size

function pad(header: string, size: number): Buffer {
  const head = Buffer.from(header)
  if (head.length >= size) return head
  const out = Buffer.alloc(size, 0x2e)
  head.copy(out)
  return out
}

function probeFields(payload: Buffer): Record<string, string> {
  const text = payload.subarray(0, 160).toString('latin1')
  const fields: Record<string, string> = {}
  for (const match of text.matchAll(/([a-z0-9]+):([^;]*);/g)) fields[match[1] as string] = match[2] as string
  return fields
}

/** A probe's sequence number: "seq:N;" or the short form "sNNNNNNN"; -1 for anything else. */
function probeSeq(payload: Buffer): number {
  if (payload.length === SHORT_PAYLOAD_BYTES && payload[0] === 0x73) {
    const value = Number(payload.subarray(1).toString('latin1'))
    return Number.isInteger(value) ? value : -1
  }
  const match = /^seq:(\d+);/.exec(payload.subarray(0, 24).toString('latin1'))
  return match ? Number(match[1]) : -1
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000
}

// ---- findings

function findings(result: BridgeTestResult, offsetKnown: boolean): Finding[] {
  const out: Finding[] = []
  const { maxLoss, maxP95Ms } = result.thresholds
  const both = [
    ['A → B', result.aToB],
    ['B → A', result.bToA],
  ] as const
  for (const [name, dir] of both) {
    if (dir.received === 0) out.push({ code: 'nothing-crossed', severity: 'error', message: `Nothing crossed ${name}: none of ${dir.sent} probes arrived. Check that the bridge is linked.` })
    else if (!lossWithin(dir, maxLoss)) out.push({ code: 'loss', severity: 'error', message: `${dir.lost} of ${dir.sent} probes ${name} were lost (${dir.lossPercent} %), more than the ${describeLossThreshold(maxLoss)} allowed.` })
    else if (dir.lost > 0) out.push({ code: 'loss', severity: 'warning', message: `${dir.lost} of ${dir.sent} probes ${name} were lost (${dir.lossPercent} %).` })
    if (dir.p95Ms !== null && !p95Within(dir, maxP95Ms)) out.push({ code: 'latency', severity: 'error', message: `95 % of the probes ${name} took up to ${dir.p95Ms} ms, not under ${maxP95Ms} ms.` })
    if (dir.duplicates > 0) out.push({ code: 'duplicates', severity: 'warning', message: `${dir.duplicates} probe${dir.duplicates === 1 ? '' : 's'} ${name} arrived more than once.` })
    if (dir.reordered > 0) out.push({ code: 'reordered', severity: 'warning', message: `${dir.reordered} probe${dir.reordered === 1 ? '' : 's'} ${name} arrived out of order.` })
  }
  const unchecked = (['aToB', 'bToA'] as const).filter((key) => result.qos[key].received === null).map((key) => (key === 'aToB' ? 'A → B' : 'B → A'))
  if (unchecked.length > 0) {
    out.push({ code: 'qos-retain-unchecked', severity: 'info', message: `QoS and retain could not be checked ${unchecked.join(' nor ')}: the probe did not cross.` })
  } else {
    if (!result.qos1Carried) {
      out.push({ code: 'qos-not-carried', severity: 'info', message: `QoS 1 is not carried: a QoS 1 message arrives at QoS ${describeQos(result.qos)} on the other side (the serverless-MQTT firmware republishes everything at QoS 0). Do not rely on delivery guarantees across the bridge.` })
    }
    if (!result.retainCarried) {
      out.push({ code: 'retain-not-carried', severity: 'info', message: 'Retained messages are not retained across the bridge: a subscriber on the other site that connects later does not get them (the firmware republishes without retain).' })
    }
  }
  const { maxPayload } = result
  for (const [name, size] of [
    ['A → B', maxPayload.aToB],
    ['B → A', maxPayload.bToA],
  ] as const) {
    if (size > 0 && size < maxPayload.limit) out.push({ code: 'max-payload', severity: 'warning', message: `The largest payload that crosses ${name} is ${size} bytes (the firmware's wrap would carry ${maxPayload.limit} on this topic): larger messages are lost.` })
  }
  const short = result.shortPayload
  for (const [name, crossed, control] of [
    ['A → B', short.aToB, short.controlAToB],
    ['B → A', short.bToA, short.controlBToA],
  ] as const) {
    if (!crossed && control) {
      out.push({ code: 'short-payload-lost', severity: 'warning', message: `A payload of ${short.payloadBytes} bytes on a ${short.topicBytes}-byte topic is lost ${name} while a longer one crosses: the receiving firmware drops payloads shorter than their topic + 1 byte (the stock length check). Fix the firmware, or keep payloads longer than their topics.` })
    } else if (!crossed) {
      out.push({ code: 'short-payload-lost', severity: 'warning', message: `A payload of ${short.payloadBytes} bytes on a ${short.topicBytes}-byte topic is lost ${name}, and so was the longer one sent with it: nothing crossed ${name} in that check.` })
    }
  }
  if (result.throughput) {
    const { maxLossFreeRate, steps } = result.throughput
    const lossy = steps.find((step) => step.aToB.received < step.aToB.sent || step.bToA.received < step.bToA.sent)
    if (lossy) out.push({ code: 'throughput', severity: 'warning', message: `Messages were lost at ${lossy.rate} messages per second each way${maxLossFreeRate === null ? '' : `; none up to ${maxLossFreeRate}`}.` })
    else if (maxLossFreeRate !== null) out.push({ code: 'throughput', severity: 'info', message: `No loss up to ${maxLossFreeRate} messages per second each way (the highest rate tried).` })
  }
  if (!offsetKnown) out.push({ code: 'clock-offset-unknown', severity: 'warning', message: 'No ping-pong round trip completed, so the latencies assume both sides\' clocks agree.' })
  return out
}

function describeQos(qos: BridgeTestResult['qos']): string {
  const values = [...new Set([qos.aToB.received, qos.bToA.received].filter((value) => value !== null && value !== 1))]
  return values.length === 0 ? '0' : values.join(' or ')
}
