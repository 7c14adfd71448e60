// One pair's traffic: its sources feed one TrafficStore (src/common/traffic), and every 100 ms
// what changed leaves as one batch with exact counters. Throttling only ever drops rows from a
// batch (the UI reads them back by id when it needs them), never counts.
import { MAX_BATCH_ROWS, MAX_BATCH_UPDATES, type TrafficBatch, type TrafficSession as TrafficSessionInfo } from '../../common/contract/traffic'
import { PairKitError } from '../../common/errors'
import { EXPORT_FORMAT, headerLine, rowLine } from '../../common/traffic/export-lines'
import type { Site, TrafficSourceStatus } from '../../common/traffic/model'
import { TrafficStore } from '../../common/traffic/traffic-store'
import { MqttSiteSource } from './mqtt-site-source'
import type { SourceSink, TrafficSource } from './traffic-source'

export const BATCH_INTERVAL_MS = 100
/** A batch goes out at least this often, so the rate chart moves when the traffic stops. */
const IDLE_BATCH_MS = 1000
export const DEFAULT_EXPORT_CHUNK_BYTES = 1024 * 1024

export interface TrafficSessionOptions {
  sessionId: string
  pairId?: string
  sources: readonly TrafficSource[]
  windowMs?: number
  capacity?: number
  onBatch(batch: TrafficBatch): void
  onSource(status: TrafficSourceStatus): void
  batchIntervalMs?: number
}

export class TrafficSession {
  readonly sessionId: string
  readonly pairId: string | undefined
  readonly store: TrafficStore
  readonly startedAt = Date.now()
  private readonly sources: readonly TrafficSource[]
  private timer: ReturnType<typeof setInterval> | undefined
  private lastEmit = 0
  private lastCounters = ''
  private stopped = false

  constructor(private readonly options: TrafficSessionOptions) {
    this.sessionId = options.sessionId
    this.pairId = options.pairId
    this.sources = options.sources
    this.store = new TrafficStore({ ...(options.capacity ? { capacity: options.capacity } : {}), ...(options.windowMs ? { windowMs: options.windowMs } : {}) })
  }

  start(): void {
    const store = this.store
    const sink: SourceSink = {
      observe: (input) => !this.stopped && store.observe(input),
      drop: (evidence) => !this.stopped && store.drop(evidence),
      link: (site, t, linked) => !this.stopped && store.link(site, t, linked),
      watching: (site, kind, watching) => store.watch(site, kind, watching ? 1 : -1),
      status: (status) => this.options.onSource(status),
    }
    for (const source of this.sources) source.start(sink)
    this.timer = setInterval(() => this.tick(), this.options.batchIntervalMs ?? BATCH_INTERVAL_MS)
    this.timer.unref?.()
  }

  async stop(): Promise<void> {
    if (this.stopped) return
    this.stopped = true
    if (this.timer) clearInterval(this.timer)
    await Promise.all(this.sources.map((source) => source.stop().catch(() => undefined)))
  }

  info(): TrafficSessionInfo {
    return {
      sessionId: this.sessionId,
      ...(this.pairId ? { pairId: this.pairId } : {}),
      startedAt: this.startedAt,
      windowMs: this.store.windowMs,
      capacity: this.store.capacity,
      paused: this.store.paused,
      sources: this.sourceStatuses(),
      counters: this.store.counterSnapshot(),
    }
  }

  sourceStatuses(): TrafficSourceStatus[] {
    return this.sources.map((source) => source.status())
  }

  /** Settles what is due and sends what changed (the timer calls it; tests may too). */
  tick(now = Date.now()): void {
    const store = this.store
    store.settle(now)
    const changes = store.takeChanges(MAX_BATCH_ROWS)
    const counters = store.counterSnapshot()
    const countersText = JSON.stringify(counters)
    const changed = changes.rows.length > 0 || changes.updated.length > 0 || changes.omittedRows > 0 || countersText !== this.lastCounters
    if (!changed && now - this.lastEmit < IDLE_BATCH_MS) return
    this.lastEmit = now
    this.lastCounters = countersText
    const updates = changes.updated.slice(-MAX_BATCH_UPDATES).map(({ id, direction, fate, correlationId, latencyMs, lostReason, detail }) => ({
      id,
      direction,
      fate,
      ...(correlationId !== undefined ? { correlationId } : {}),
      ...(latencyMs !== undefined ? { latencyMs } : {}),
      ...(lostReason !== undefined ? { lostReason } : {}),
      ...(detail !== undefined ? { detail } : {}),
    }))
    this.options.onBatch({
      sessionId: this.sessionId,
      rows: changes.rows,
      omittedRows: changes.omittedRows,
      updates,
      omittedUpdates: Math.max(0, changes.updated.length - MAX_BATCH_UPDATES),
      counters,
      rates: store.lastSecondRates(now),
      paused: store.paused,
    })
  }

  async publish(site: Site, topic: string, payload: Uint8Array, qos: 0 | 1 | 2, retain: boolean): Promise<void> {
    const source = this.sources.find((candidate): candidate is MqttSiteSource => candidate instanceof MqttSiteSource && candidate.id === `${site}/mqtt`)
    if (!source) throw new PairKitError('UNAVAILABLE', `This session watches no broker on site ${site}, so it cannot publish there`, { hint: `Start the session with site ${site}'s broker address.` })
    await source.publish(topic, payload, qos, retain)
  }

  /** One chunk of the JSON-lines export: from the oldest row (with the header) when `from` is undefined. */
  exportChunk(from: number | undefined, maxBytes = DEFAULT_EXPORT_CHUNK_BYTES): { text: string; next: number; done: boolean; skipped: number } {
    const store = this.store
    let text =
      from === undefined
        ? headerLine({
            format: EXPORT_FORMAT,
            sessionId: this.sessionId,
            ...(this.pairId ? { pairId: this.pairId } : {}),
            exportedAt: Date.now(),
            sources: this.sourceStatuses().map((status) => ({ site: status.site ?? 'both', kind: status.kind, label: status.label })),
            firstId: store.firstId,
            nextId: store.nextId,
          })
        : ''
    const start = from ?? store.firstId
    const skipped = Math.max(0, store.firstId - start)
    let rows = 0
    const next = store.forEachKept(start, (row, payload) => {
      const line = rowLine(row, payload)
      // At least one row per chunk, so an export always gets on.
      if (rows > 0 && text.length + line.length > maxBytes) return false
      text += line
      rows++
      return true
    })
    return { text, next, done: next >= store.nextId, skipped }
  }
}
