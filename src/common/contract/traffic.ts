// The Traffic view's contract: a session per pair merges the sources of both sites (a
// subscriber on each site's broker, each device's console, the signalling broker), correlates
// their messages into crossings and keeps them in a bounded buffer with exact counters; the
// bridge test runs as a job. Built for 10 000 messages a second: the backend sends at most one
// traffic.batch per session every 100 ms, with at most MAX_BATCH_ROWS new rows (the newest; the
// others are counted in omittedRows) and exact counters in every batch; the UI reads any window
// of the buffer with traffic.read, by id (ids are consecutive: the buffer is [firstId, nextId)).
import { z } from 'zod'
import { MAX_LINK_LENGTH } from '../devices/device-id'
import { SerializedErrorSchema } from '../rpc/messages'
import { BridgeTestResultSchema, LossThresholdSchema } from '../traffic/bridge-test-result'
import {
  FateSchema,
  SiteSchema,
  SourceKindSchema,
  TopicTreeSchema,
  TrafficCountersSchema,
  TrafficDirectionSchema,
  TrafficRatesSchema,
  TrafficRowSchema,
  TrafficRowUpdateSchema,
  TrafficSourceStatusSchema,
  RATE_SERIES_NAMES,
} from '../traffic/model'

export const MAX_BATCH_ROWS = 200
export const MAX_BATCH_UPDATES = 500
export const MAX_READ_ROWS = 1000
/** The most a traffic.export chunk holds. */
export const MAX_EXPORT_CHUNK_BYTES = 4 * 1024 * 1024
/** The largest test message traffic.publish sends (the bridge itself carries at most 4096 bytes). */
export const MAX_PUBLISH_BYTES = 256 * 1024

const SessionId = z.string().min(1).max(64)
const BrokerUrl = z.string().min(1).max(2048)
const RowId = z.number().int().nonnegative()

const SiteSourcesSchema = z
  .object({
    /** The site's broker, e.g. mqtt://192.168.4.1:1883 (the ESP's soft-AP broker); user:password@ allowed. */
    mqtt: BrokerUrl.optional(),
    /** The site's device (any spelling of its link): its console's forward and drop lines. */
    deviceId: z.string().min(1).max(MAX_LINK_LENGTH).optional(),
  })
  .strict()

export const TrafficSessionSchema = z.object({
  sessionId: z.string(),
  pairId: z.string().optional(),
  startedAt: z.number(),
  windowMs: z.number(),
  capacity: z.number(),
  paused: z.boolean(),
  sources: z.array(TrafficSourceStatusSchema),
  counters: TrafficCountersSchema,
})
export type TrafficSession = z.infer<typeof TrafficSessionSchema>

export const TrafficBatchSchema = z.object({
  sessionId: z.string(),
  /** New rows, oldest first: the newest MAX_BATCH_ROWS of those added since the last batch. */
  rows: z.array(TrafficRowSchema).max(MAX_BATCH_ROWS),
  /** New rows not in `rows` (a burst, or fallen out of the buffer already): read them with traffic.read if needed. */
  omittedRows: z.number().int().nonnegative(),
  /** Rows sent before whose direction or fate changed (matched, lost, late arrival). */
  updates: z.array(TrafficRowUpdateSchema).max(MAX_BATCH_UPDATES),
  /** Changes not in `updates`: read the rows on screen again. */
  omittedUpdates: z.number().int().nonnegative(),
  counters: TrafficCountersSchema,
  rates: TrafficRatesSchema,
  paused: z.boolean(),
})
export type TrafficBatch = z.infer<typeof TrafficBatchSchema>

export const BridgeTestJobSchema = z.object({
  jobId: z.string(),
  /** The brokers, passwords masked. */
  a: z.string(),
  b: z.string(),
  state: z.enum(['running', 'done', 'failed', 'cancelled']),
  /** connecting, clock, latency, qos-retain, max-payload, short-payload or throughput. */
  step: z.string().optional(),
  /** 0 … 1. */
  fraction: z.number().min(0).max(1),
  startedAt: z.number(),
  endedAt: z.number().optional(),
  /** When done: the same object as `pairkit bridge-test --json` prints. */
  result: BridgeTestResultSchema.optional(),
  error: SerializedErrorSchema.optional(),
})
export type BridgeTestJob = z.infer<typeof BridgeTestJobSchema>

export const trafficRequests = {
  /**
   * Starts watching a pair's traffic (with pairId, again: its session restarts) and returns its
   * session id (the pair id, or a new id). Each site may have a broker and a device; with
   * `signalling` (true: the pair's own signalling broker and sync topics, which needs pairId; or
   * an explicit broker and topic prefix) the sync messages show too. windowMs: how long a
   * message may take to cross before it counts as lost (default 2000); capacity: rows kept
   * (default 100 000).
   */
  'traffic.start': {
    input: z
      .object({
        pairId: z.string().regex(/^[a-z0-9]{8,32}$/).optional(),
        a: SiteSourcesSchema,
        b: SiteSourcesSchema,
        signalling: z.union([z.boolean(), z.object({ url: BrokerUrl, topicPrefix: z.string().min(1).max(256) }).strict()]).optional(),
        windowMs: z.number().int().min(100).max(60_000).optional(),
        capacity: z.number().int().min(100).max(1_000_000).optional(),
      })
      .strict(),
    output: TrafficSessionSchema,
  },
  /** Stops a session: its sources disconnect and its buffer is dropped. */
  'traffic.stop': { input: z.object({ sessionId: SessionId }).strict(), output: z.object({}) },
  /** The running sessions (after a reconnect, the UI picks its session up from here). */
  'traffic.sessions': { input: z.object({}).strict(), output: z.array(TrafficSessionSchema) },
  'traffic.sources': { input: z.object({ sessionId: SessionId }).strict(), output: z.array(TrafficSourceStatusSchema) },
  /**
   * Up to `limit` rows from id `from` on (from the oldest kept when it is older), optionally only
   * those matching `filter`; `next` is where to go on (the id after the last row looked at).
   */
  'traffic.read': {
    input: z
      .object({
        sessionId: SessionId,
        from: RowId,
        limit: z.number().int().min(1).max(MAX_READ_ROWS),
        filter: z
          .object({ site: SiteSchema.optional(), source: SourceKindSchema.optional(), direction: TrafficDirectionSchema.optional(), fate: FateSchema.optional(), topicPrefix: z.string().max(4096).optional() })
          .strict()
          .optional(),
      })
      .strict(),
    output: z.object({ rows: z.array(TrafficRowSchema), next: z.number().int(), firstId: z.number().int(), nextId: z.number().int() }),
  },
  /** One row with its payload as the buffer kept it (up to 4096 bytes; `complete` when that is all of it). */
  'traffic.message': {
    input: z.object({ sessionId: SessionId, id: RowId }).strict(),
    output: z.object({ row: TrafficRowSchema, payload: z.string().max(8192).optional(), complete: z.boolean() }),
  },
  /** One site's topics as a tree with counts and rates. */
  'traffic.topics': { input: z.object({ sessionId: SessionId, site: SiteSchema }).strict(), output: TopicTreeSchema },
  /** Per-second rates of the last `seconds` complete seconds, oldest first, for the rate chart. */
  'traffic.rates': {
    input: z.object({ sessionId: SessionId, seconds: z.number().int().min(1).max(299) }).strict(),
    output: z.object({ start: z.number(), values: z.record(z.enum(RATE_SERIES_NAMES), z.array(z.number())) }),
  },
  /** Publishes a test message on a site's broker (through the session's MQTT source of that site). */
  'traffic.publish': {
    input: z
      .object({
        sessionId: SessionId,
        site: SiteSchema,
        topic: z.string().min(1).max(4096),
        payload: z.string().max(Math.ceil((MAX_PUBLISH_BYTES * 4) / 3) + 4),
        encoding: z.enum(['text', 'base64']).optional(),
        qos: z.union([z.literal(0), z.literal(1), z.literal(2)]).optional(),
        retain: z.boolean().optional(),
      })
      .strict(),
    output: z.object({}),
  },
  /** Paused: no rows are kept (the view holds still); counting and correlation go on. */
  'traffic.pause': { input: z.object({ sessionId: SessionId, paused: z.boolean() }).strict(), output: z.object({}) },
  /** Empties the buffer and resets the counters, topics and rates; ids go on. */
  'traffic.clear': { input: z.object({ sessionId: SessionId }).strict(), output: z.object({}) },
  /**
   * The buffer as JSON lines (src/common/traffic/export-lines.ts), one chunk of at most
   * maxBytes per call: without `from` the first chunk, beginning with the header line; then call
   * again with from = next until done. Rows that left the buffer meanwhile are skipped (counted).
   */
  'traffic.export': {
    input: z.object({ sessionId: SessionId, from: RowId.optional(), maxBytes: z.number().int().min(4096).max(MAX_EXPORT_CHUNK_BYTES).optional() }).strict(),
    output: z.object({ text: z.string(), next: z.number().int(), done: z.boolean(), skipped: z.number().int() }),
  },
  /** Starts a bridge test between two brokers; progress and the result come as bridgeTest.job events. */
  'bridgeTest.start': {
    input: z
      .object({
        a: BrokerUrl,
        b: BrokerUrl,
        count: z.number().int().min(1).max(10_000).optional(),
        intervalMs: z.number().int().min(0).max(60_000).optional(),
        maxLoss: LossThresholdSchema.optional(),
        maxP95Ms: z.number().positive().max(600_000).optional(),
        /** Messages per second of each throughput step; false skips the step. */
        throughput: z.union([z.array(z.number().positive().max(100_000)).min(1).max(20), z.literal(false)]).optional(),
        stepMs: z.number().int().min(100).max(60_000).optional(),
      })
      .strict(),
    output: z.object({ jobId: z.string() }),
  },
  'bridgeTest.cancel': { input: z.object({ jobId: z.string().max(64) }).strict(), output: z.object({}) },
  /** Running and recent tests, newest first. */
  'bridgeTest.jobs': { input: z.object({}).strict(), output: z.array(BridgeTestJobSchema) },
} as const

export const trafficEvents = {
  /** At most one per session every 100 ms while anything changes, and at least one a second (the rates). */
  'traffic.batch': TrafficBatchSchema,
  /** A source's state changed. */
  'traffic.source': z.object({ sessionId: z.string(), source: TrafficSourceStatusSchema }),
  /** A bridge test's progress (a few times a second at most) and its end. */
  'bridgeTest.job': BridgeTestJobSchema,
} as const
