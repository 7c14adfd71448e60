// The Traffic view's backend: one session per pair (or per ad-hoc set of brokers), each with its
// sources, store and batches. The contract's traffic.* handlers are thin calls into this.
import { randomBytes } from 'node:crypto'
import type { RequestInput, RequestResult, TrafficBatch, TrafficSession as TrafficSessionInfo } from '../../common/contract'
import { base64ToBytes, bytesToBase64 } from '../../common/base64'
import { Emitter } from '../../common/event'
import { PairKitError } from '../../common/errors'
import type { Site, TrafficSourceStatus } from '../../common/traffic/model'
import { ConsoleTrafficSource, type ConsoleEventProvider } from './console-source'
import { MqttSiteSource } from './mqtt-site-source'
import { SignallingSource } from './signalling-source'
import type { TrafficSource } from './traffic-source'
import { TrafficSession } from './traffic-session'

/** Sessions at once: each may hold up to its capacity of rows. */
export const MAX_SESSIONS = 8

export interface TrafficServiceOptions {
  /** The serial monitor's parsed console of a device; without it, a site's device cannot be a source. */
  consoleEvents?: ConsoleEventProvider
  /** A pair's signalling broker (with its password) and sync topic prefix. */
  signallingFor?: (pairId: string) => { url: string; topicPrefix: string }
}

export interface SessionSpec {
  sessionId?: string
  pairId?: string
  sources: TrafficSource[]
  windowMs?: number
  capacity?: number
}

export class TrafficService {
  private readonly sessions = new Map<string, TrafficSession>()
  private readonly _onBatch = new Emitter<TrafficBatch>()
  readonly onBatch = this._onBatch.event
  private readonly _onSource = new Emitter<{ sessionId: string; source: TrafficSourceStatus }>()
  readonly onSource = this._onSource.event

  constructor(private readonly options: TrafficServiceOptions = {}) {}

  /** traffic.start: builds the sources the request names. */
  async start(input: RequestInput<'traffic.start'>): Promise<TrafficSessionInfo> {
    const sources: TrafficSource[] = []
    for (const site of ['A', 'B'] as const) {
      const spec = input[site === 'A' ? 'a' : 'b']
      if (spec.mqtt) sources.push(new MqttSiteSource(site, spec.mqtt))
      if (spec.deviceId) sources.push(new ConsoleTrafficSource(site, spec.deviceId, this.options.consoleEvents))
    }
    if (input.signalling) {
      const signalling = input.signalling === true ? this.pairSignalling(input.pairId) : input.signalling
      sources.push(new SignallingSource(signalling.url, signalling.topicPrefix))
    }
    if (sources.length === 0) throw new PairKitError('BAD_INPUT', 'No source to watch: give at least one site\'s broker or device', { hint: 'Enter the broker address of site A or B (e.g. mqtt://192.168.4.1:1883), or pick a device.' })
    return this.startWith({
      ...(input.pairId ? { pairId: input.pairId } : {}),
      sources,
      ...(input.windowMs ? { windowMs: input.windowMs } : {}),
      ...(input.capacity ? { capacity: input.capacity } : {}),
    })
  }

  /** Starts a session on sources the caller made (PairKit's own peer, a console it opened). */
  async startWith(spec: SessionSpec): Promise<TrafficSessionInfo> {
    const sessionId = spec.sessionId ?? spec.pairId ?? `session-${randomBytes(4).toString('hex')}`
    await this.sessions.get(sessionId)?.stop()
    this.sessions.delete(sessionId)
    if (this.sessions.size >= MAX_SESSIONS) throw new PairKitError('UNAVAILABLE', `${MAX_SESSIONS} traffic sessions are running already`, { hint: 'Stop one you no longer watch, then start again.' })
    const session = new TrafficSession({
      sessionId,
      ...(spec.pairId ? { pairId: spec.pairId } : {}),
      sources: spec.sources,
      ...(spec.windowMs ? { windowMs: spec.windowMs } : {}),
      ...(spec.capacity ? { capacity: spec.capacity } : {}),
      onBatch: (batch) => this._onBatch.fire(batch),
      onSource: (source) => this._onSource.fire({ sessionId, source }),
    })
    this.sessions.set(sessionId, session)
    session.start()
    return session.info()
  }

  async stop(sessionId: string): Promise<void> {
    const session = this.session(sessionId)
    this.sessions.delete(sessionId)
    await session.stop()
  }

  list(): TrafficSessionInfo[] {
    return [...this.sessions.values()].map((session) => session.info())
  }

  session(sessionId: string): TrafficSession {
    const session = this.sessions.get(sessionId)
    if (!session) throw new PairKitError('NOT_FOUND', `No traffic session "${sessionId}" is running`, { hint: 'Start watching the pair again.' })
    return session
  }

  read(input: RequestInput<'traffic.read'>): RequestResult<'traffic.read'> {
    const store = this.session(input.sessionId).store
    const { rows, next } = store.read(input.from, input.limit, input.filter)
    return { rows, next, firstId: store.firstId, nextId: store.nextId }
  }

  message(input: RequestInput<'traffic.message'>): RequestResult<'traffic.message'> {
    const found = this.session(input.sessionId).store.message(input.id)
    if (!found) throw new PairKitError('NOT_FOUND', `Message ${input.id} is no longer in the buffer`, { hint: 'Pause the view to keep what is on screen, or raise the buffer size.' })
    return { row: found.row, ...(found.payload ? { payload: bytesToBase64(found.payload) } : {}), complete: found.payload !== undefined && found.payload.length >= found.row.size }
  }

  topics(input: RequestInput<'traffic.topics'>): RequestResult<'traffic.topics'> {
    return this.session(input.sessionId).store.topics(input.site, Date.now())
  }

  rates(input: RequestInput<'traffic.rates'>): RequestResult<'traffic.rates'> {
    return this.session(input.sessionId).store.rateSeries(Date.now(), input.seconds)
  }

  async publish(input: RequestInput<'traffic.publish'>): Promise<void> {
    const payload = input.encoding === 'base64' ? base64ToBytes(input.payload) : new TextEncoder().encode(input.payload)
    if (!payload) throw new PairKitError('BAD_INPUT', 'The payload is not base64', { hint: 'Send it as text, or encode it as base64.' })
    if (/[#+]/.test(input.topic)) throw new PairKitError('BAD_INPUT', `"${input.topic}" has a wildcard (# or +); a message needs a plain topic`, { hint: 'Remove the # and + from the topic.' })
    await this.session(input.sessionId).publish(input.site as Site, input.topic, payload, input.qos ?? 0, input.retain ?? false)
  }

  pause(sessionId: string, paused: boolean): void {
    this.session(sessionId).store.setPaused(paused)
  }

  clear(sessionId: string): void {
    this.session(sessionId).store.clear()
  }

  exportChunk(input: RequestInput<'traffic.export'>): RequestResult<'traffic.export'> {
    return this.session(input.sessionId).exportChunk(input.from, input.maxBytes)
  }

  async dispose(): Promise<void> {
    const sessions = [...this.sessions.values()]
    this.sessions.clear()
    await Promise.all(sessions.map((session) => session.stop()))
    this._onBatch.dispose()
    this._onSource.dispose()
  }

  private pairSignalling(pairId: string | undefined): { url: string; topicPrefix: string } {
    if (!pairId) throw new PairKitError('BAD_INPUT', 'Watching the signalling broker needs the pair', { hint: 'Pick the pair, or give the signalling broker\'s address and topic prefix.' })
    if (!this.options.signallingFor) throw new PairKitError('UNAVAILABLE', 'The pairs are not available here', { hint: 'Give the signalling broker\'s address and topic prefix.' })
    return this.options.signallingFor(pairId)
  }
}
