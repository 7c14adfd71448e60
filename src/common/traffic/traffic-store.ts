// One traffic session's data: every observation from every source becomes a row in a bounded
// buffer, is correlated into crossings (correlator.ts), and is counted exactly (counters.ts,
// topic-stats.ts, rate-meter.ts). The Node service (src/main/traffic) feeds it and batches what
// changed for the UI; everything here is environment-free and driven by the host times it is
// given, so tests can replay any order and any clock.
import { bytesToBase64 } from '../base64'
import { Correlator, type Crossing, type CrossingCategory, type DropEvidence, type ObservationRole } from './correlator'
import { TrafficCounterSet } from './counters'
import { IdRing } from './id-ring'
import { byteHash, textHash } from './payload-hash'
import {
  MAX_ROW_TOPIC_CHARS,
  ROW_PREVIEW_BYTES,
  type Fate,
  type LostReason,
  type Site,
  type SourceKind,
  type TopicTree,
  type TrafficCounters,
  type TrafficDirection,
  type TrafficRates,
  type TrafficRow,
} from './model'
import { RateMeter } from './rate-meter'
import { TopicStats } from './topic-stats'

export const DEFAULT_CAPACITY = 100_000
export const DEFAULT_WINDOW_MS = 2000
/** Payload bytes kept per row: the bridge's largest message fits. */
export const KEPT_PAYLOAD_BYTES = 4096
/** Above this many payload bytes in the buffer, the oldest rows keep only their preview. */
export const DEFAULT_PAYLOAD_BUDGET = 64 * 1024 * 1024

export interface TrafficStoreOptions {
  capacity?: number
  windowMs?: number
  payloadBudgetBytes?: number
}

export interface ObservationInput {
  site: Site
  source: SourceKind
  /** Host clock (ms since the epoch). */
  t: number
  topic: string
  /** The payload (MQTT). */
  payload?: Uint8Array
  /** The payload as a console line printed it. */
  text?: string
  /** The exact payload size, where the source has no payload (peer). */
  size?: number
  qos?: number | null
  retain?: boolean | null
  role?: ObservationRole
  /** Not bridged by design: one sentence saying what it is (a retained replay, a signalling message). */
  local?: string
}

/** A row as the store keeps it: the wire row plus its payload and whether the UI has it. */
interface StoredRow extends TrafficRow {
  payload: Uint8Array | undefined
  /** In the buffer (false while paused: the row only lives as long as its crossing). */
  kept: boolean
}

export interface ReadFilter {
  site?: Site
  source?: SourceKind
  direction?: TrafficDirection
  fate?: Fate
  /** Rows whose topic starts with this. */
  topicPrefix?: string
}

export interface Changes {
  /** Rows added since the last call, oldest first. */
  rows: TrafficRow[]
  /** Rows the UI had that were classified again since the last call. */
  updated: TrafficRow[]
}

const encoder = new TextEncoder()

export class TrafficStore {
  readonly capacity: number
  readonly windowMs: number
  private readonly ring: IdRing<StoredRow>
  private readonly correlator: Correlator<StoredRow>
  private readonly counters = new TrafficCounterSet()
  private readonly topicStats = { A: new TopicStats('A'), B: new TopicStats('B') }
  private readonly rates = new RateMeter()
  private readonly watchers = { A: new Map<SourceKind, number>(), B: new Map<SourceKind, number>() }
  /** When each site's console last showed a handle_message line (or its not-linked drop). */
  private readonly forwardLinesAt = { A: Number.NEGATIVE_INFINITY, B: Number.NEGATIVE_INFINITY }
  private readonly payloadBudget: number
  private payloadBytes = 0
  /** Rows before this id have been trimmed to their preview (or were never above it). */
  private trimmedBefore = 0
  /** Rows from this id on have not been handed out by takeChanges() yet. */
  private unsentFrom = 0
  private readonly updated = new Set<StoredRow>()
  private skippedWhilePaused = 0
  private pausedValue = false
  private now = 0

  constructor(options: TrafficStoreOptions = {}) {
    this.capacity = options.capacity ?? DEFAULT_CAPACITY
    this.windowMs = options.windowMs ?? DEFAULT_WINDOW_MS
    this.payloadBudget = options.payloadBudgetBytes ?? DEFAULT_PAYLOAD_BUDGET
    this.ring = new IdRing<StoredRow>(this.capacity)
    this.correlator = new Correlator<StoredRow>({
      windowMs: this.windowMs,
      isWatched: (site) => this.isWatched(site),
      matchBySize: () => this.isWatchedBy('A', 'peer') || this.isWatchedBy('B', 'peer'),
      consoleShowsForwards: (site, t) => this.isWatchedBy(site, 'console') && t - this.forwardLinesAt[site] < 30_000,
      onChange: (crossing, before, added) => this.crossingChanged(crossing, before, added),
    })
  }

  get paused(): boolean {
    return this.pausedValue
  }

  /** Paused: rows are no longer kept (the view holds still); counting and correlation go on. */
  setPaused(paused: boolean): void {
    this.pausedValue = paused
  }

  /** A source of `kind` on `site` started (+1) or stopped (-1) watching. */
  watch(site: Site, kind: SourceKind, delta: 1 | -1): void {
    const map = this.watchers[site]
    const count = Math.max(0, (map.get(kind) ?? 0) + delta)
    if (count === 0) map.delete(kind)
    else map.set(kind, count)
  }

  isWatched(site: Site): boolean {
    for (const kind of this.watchers[site].keys()) if (kind !== 'signalling') return true
    return false
  }

  private isWatchedBy(site: Site, kind: SourceKind): boolean {
    return this.watchers[site].has(kind)
  }

  /** MQTT payloads also get the console's text hash while a console is watched. */
  private get textHashing(): boolean {
    return this.isWatchedBy('A', 'console') || this.isWatchedBy('B', 'console')
  }

  observe(input: ObservationInput): TrafficRow {
    this.now = Math.max(this.now, input.t)
    const payloadBytes = input.payload ?? (input.text !== undefined ? encoder.encode(input.text) : undefined)
    const size = input.payload?.length ?? input.size ?? payloadBytes?.length ?? 0
    const row = this.addRow(input, payloadBytes, size)
    this.counters.observe(input.site, input.source)
    if (input.local !== undefined) {
      this.counters.local(input.site)
      if (input.source !== 'signalling') this.topicStats[input.site].add(input.topic, size, input.t)
      this.rates.add(input.site, input.t)
      return row
    }
    const role = input.role ?? 'unknown'
    if (input.source === 'console' && role === 'sent') this.forwardLinesAt[input.site] = Math.max(this.forwardLinesAt[input.site], input.t)
    this.correlator.observe(
      {
        site: input.site,
        source: input.source,
        t: input.t,
        topic: input.topic,
        size,
        exactSize: input.source !== 'console',
        ...(input.payload ? { hash: byteHash(input.payload) } : {}),
        ...(input.text !== undefined ? { textHash: textHash(input.text) } : input.payload && this.textHashing ? { textHash: textHash(input.payload) } : {}),
        ...(input.source === 'mqtt' && typeof input.qos === 'number' ? { qos: input.qos } : {}),
        role,
      },
      row,
    )
    return row
  }

  /** A firmware or peer log line saying a message was dropped. */
  drop(evidence: DropEvidence): void {
    this.now = Math.max(this.now, evidence.t)
    if (evidence.reason === 'not-linked' && evidence.direction === 'to-peer') this.forwardLinesAt[evidence.site] = Math.max(this.forwardLinesAt[evidence.site], evidence.t)
    this.correlator.drop(evidence)
  }

  /** The site's bridge has (or no longer has) a peer link. */
  link(site: Site, t: number, linked: boolean): void {
    this.correlator.link(site, t, linked)
  }

  /** Settles the crossings whose window has passed at `now` (host clock). */
  settle(now: number): void {
    this.now = Math.max(this.now, now)
    this.correlator.settle(now)
  }

  /** Settles every open crossing now (the session stops, or a test wants the final state). */
  settleAll(): void {
    this.correlator.settleAll()
  }

  get openCrossings(): number {
    return this.correlator.openCount
  }

  counterSnapshot(): TrafficCounters {
    return this.counters.snapshot({
      capacity: this.capacity,
      size: this.ring.size,
      firstId: this.ring.firstId,
      nextId: this.ring.nextId,
      evicted: this.ring.evicted,
      skippedWhilePaused: this.skippedWhilePaused,
    })
  }

  lastSecondRates(now: number): TrafficRates {
    return this.rates.lastSecond(now)
  }

  rateSeries(now: number, seconds: number): ReturnType<RateMeter['series']> {
    return this.rates.series(now, seconds)
  }

  topics(site: Site, now: number): TopicTree {
    return this.topicStats[site].tree(now)
  }

  get firstId(): number {
    return this.ring.firstId
  }

  get nextId(): number {
    return this.ring.nextId
  }

  /** Rows from `from` on (from the oldest kept when older), at most `limit`, optionally filtered. */
  read(from: number, limit: number, filter?: ReadFilter, scanLimit = 100_000): { rows: TrafficRow[]; next: number } {
    const rows: TrafficRow[] = []
    let id = Math.max(from, this.ring.firstId)
    const scanEnd = Math.min(this.ring.nextId, id + (filter ? scanLimit : limit))
    for (; id < scanEnd && rows.length < limit; id++) {
      const row = this.ring.get(id) as StoredRow
      if (!filter || matches(row, filter)) rows.push(wireRow(row))
    }
    return { rows, next: id }
  }

  /** One row with the payload bytes the buffer kept for it. */
  message(id: number): { row: TrafficRow; payload: Uint8Array | undefined } | undefined {
    const row = this.ring.get(id)
    return row ? { row: wireRow(row), payload: row.payload } : undefined
  }

  /** Stored rows from `from` on, for the export. */
  forEachKept(from: number, visit: (row: TrafficRow, payload: Uint8Array | undefined) => boolean): number {
    let id = Math.max(from, this.ring.firstId)
    for (; id < this.ring.nextId; id++) {
      const row = this.ring.get(id) as StoredRow
      if (!visit(wireRow(row), row.payload)) break
    }
    return id
  }

  /** What changed since the last call: new rows (the newest `maxRows`) and classification changes of rows handed out before. */
  takeChanges(maxRows = Number.POSITIVE_INFINITY): Changes & { omittedRows: number } {
    // Rows that fell out of the buffer before anyone took them count as omitted too.
    const evictedUnsent = Math.max(0, this.ring.firstId - this.unsentFrom)
    const start = Math.max(this.unsentFrom, this.ring.firstId)
    const end = this.ring.nextId
    const skipped = Math.max(0, end - start - maxRows)
    const rows: TrafficRow[] = []
    for (let id = start + skipped; id < end; id++) rows.push(wireRow(this.ring.get(id) as StoredRow))
    this.unsentFrom = end
    const updated: TrafficRow[] = []
    for (const row of this.updated) if (row.kept) updated.push(wireRow(row))
    this.updated.clear()
    updated.sort((x, y) => x.id - y.id)
    return { rows, updated, omittedRows: evictedUnsent + skipped }
  }

  /** Empties the buffer and every count; ids go on. */
  clear(): void {
    this.ring.clear()
    this.correlator.clear()
    this.counters.clear()
    this.topicStats.A.clear()
    this.topicStats.B.clear()
    this.rates.clear()
    this.updated.clear()
    this.payloadBytes = 0
    this.trimmedBefore = this.ring.nextId
    this.unsentFrom = this.ring.nextId
    this.skippedWhilePaused = 0
  }

  private addRow(input: ObservationInput, payloadBytes: Uint8Array | undefined, size: number): StoredRow {
    // A copy: a payload may be a view into a larger network buffer, which a row must not keep alive.
    const kept = payloadBytes?.slice(0, KEPT_PAYLOAD_BYTES)
    const row: StoredRow = {
      id: -1,
      t: input.t,
      site: input.site,
      source: input.source,
      topic: input.topic.length > MAX_ROW_TOPIC_CHARS ? input.topic.slice(0, MAX_ROW_TOPIC_CHARS) : input.topic,
      size,
      qos: input.qos ?? null,
      retain: input.retain ?? null,
      direction: input.local !== undefined ? 'local' : 'unknown',
      fate: input.local !== undefined ? 'local' : 'pending',
      ...(input.local !== undefined ? { detail: input.local } : {}),
      payload: kept,
      kept: false,
    }
    if (this.pausedValue) {
      this.skippedWhilePaused++
      return row
    }
    row.kept = true
    row.id = this.ring.push(row, (old) => {
      old.kept = false
      this.payloadBytes -= old.payload?.length ?? 0
    })
    this.payloadBytes += kept?.length ?? 0
    this.trimPayloads()
    return row
  }

  /** Over the budget, the oldest rows keep only their preview. */
  private trimPayloads(): void {
    if (this.payloadBytes <= this.payloadBudget) return
    let id = Math.max(this.trimmedBefore, this.ring.firstId)
    for (; id < this.ring.nextId && this.payloadBytes > this.payloadBudget; id++) {
      const row = this.ring.get(id) as StoredRow
      if (row.payload && row.payload.length > ROW_PREVIEW_BYTES) {
        this.payloadBytes -= row.payload.length - ROW_PREVIEW_BYTES
        row.payload = row.payload.slice(0, ROW_PREVIEW_BYTES)
      }
    }
    this.trimmedBefore = id
  }

  private crossingChanged(crossing: Crossing<StoredRow>, before: CrossingCategory | undefined, added: StoredRow | undefined): void {
    const after = crossing.category
    this.counters.move(before, after)
    const t = added?.t ?? this.now
    // A site counts the message once, when the first of its sources there sees it.
    if (added && crossing.rows.every((row) => row === added || row.site !== added.site)) {
      this.topicStats[added.site].add(crossing.topic, added.size, added.t)
      this.rates.add(added.site, added.t)
    }
    if (after.kind === 'crossed' && before?.kind !== 'crossed') this.rates.add(after.direction === 'a-to-b' ? 'aToB' : 'bToA', t)
    if (after.kind === 'lost' && before?.kind !== 'lost') this.rates.add('lost', this.now)
    const latencyMs = crossing.latencyMs
    for (const row of crossing.rows) {
      const changed =
        row.direction !== crossing.direction ||
        row.fate !== crossing.fate ||
        row.correlationId !== crossing.id ||
        row.latencyMs !== latencyMs ||
        row.lostReason !== crossing.lostReason ||
        row.detail !== crossing.detail
      if (!changed) continue
      row.direction = crossing.direction
      row.fate = crossing.fate
      row.correlationId = crossing.id
      setOptional(row, 'latencyMs', latencyMs)
      setOptional(row, 'lostReason', crossing.lostReason)
      setOptional(row, 'detail', crossing.detail)
      if (row.kept && row.id < this.unsentFrom) this.updated.add(row)
    }
  }

}

function setOptional<K extends 'latencyMs' | 'lostReason' | 'detail'>(row: StoredRow, key: K, value: StoredRow[K] | undefined): void {
  if (value === undefined) delete row[key]
  else row[key] = value
}

function matches(row: StoredRow, filter: ReadFilter): boolean {
  return (
    (filter.site === undefined || row.site === filter.site) &&
    (filter.source === undefined || row.source === filter.source) &&
    (filter.direction === undefined || row.direction === filter.direction) &&
    (filter.fate === undefined || row.fate === filter.fate) &&
    (filter.topicPrefix === undefined || row.topic.startsWith(filter.topicPrefix))
  )
}

/** The row as it crosses to the UI: its preview instead of the kept payload. */
export function wireRow(row: TrafficRow & { payload?: Uint8Array; kept?: boolean }): TrafficRow {
  const { payload, kept: _kept, ...rest } = row
  return payload ? { ...rest, preview: bytesToBase64(payload.subarray(0, ROW_PREVIEW_BYTES)) } : rest
}

export type { LostReason }
