// The bridged-traffic model: what one observed MQTT message looks like to the Traffic view, the
// export and scripts, with its zod schemas (the contract and the JSON lines share them).
//
// A row is one observation: a message as one source saw it on one site. One message crossing
// the bridge is seen several times (published on A, republished on B, and the consoles' lines
// about it); the correlator groups those rows into one crossing, whose id is the rows'
// `correlationId`, and gives them all the same direction and fate.
import { z } from 'zod'

export const SiteSchema = z.enum(['A', 'B'])
export type Site = z.infer<typeof SiteSchema>

export function otherSite(site: Site): Site {
  return site === 'A' ? 'B' : 'A'
}

export const SourceKindSchema = z.enum([
  'mqtt', // a subscriber on the site's broker (the ESP's soft-AP broker, a twin's, PairKit's peer's)
  'console', // the firmware's forward lines on the device's serial console
  'peer', // PairKit's own peer's message events (no payload: topic and size only)
  'signalling', // the pair's sync topics on the signalling broker
])
export type SourceKind = z.infer<typeof SourceKindSchema>

export const TrafficDirectionSchema = z.enum(['local', 'a-to-b', 'b-to-a', 'unknown'])
export type TrafficDirection = z.infer<typeof TrafficDirectionSchema>

export function directionFrom(origin: Site): 'a-to-b' | 'b-to-a' {
  return origin === 'A' ? 'a-to-b' : 'b-to-a'
}

/**
 * What became of the message:
 * - pending: its counterpart on the other site may still come (within the window);
 * - crossed: seen on both sites;
 * - lost: the other site is watched and it never arrived there;
 * - duplicate: a second arrival of a message that had already crossed;
 * - local: not bridged by design (a retained message the broker replayed on subscribe, a
 *   signalling message);
 * - unseen: the other site is not watched, so nobody can tell.
 */
export const FateSchema = z.enum(['pending', 'crossed', 'lost', 'duplicate', 'local', 'unseen'])
export type Fate = z.infer<typeof FateSchema>

export const LostReasonSchema = z.enum([
  'too-long', // wrapped size over the firmware's 4096-byte buffer: never sent
  'not-linked', // published while the bridge had no peer link (not forwarded, not queued)
  'stock-receive-bug', // the receiving firmware logged "No local mqtt client, dropping data"
  'short-payload', // payload shorter than topic + NUL: the stock receiver's length check
  'invalid-message', // the receiving firmware logged "Received invalid message" for another cause
  'peer-drop', // PairKit's peer dropped it (its reason in the detail)
  'not-forwarded', // the sending firmware never took it (no handle_message line): client id local_mqtt
  'link-loss', // sent by one bridge, never received by the other: lost on the way (UDP)
  'unknown',
])
export type LostReason = z.infer<typeof LostReasonSchema>

/** A row's payload preview in batches and reads: the first bytes, base64. */
export const ROW_PREVIEW_BYTES = 256
/** Longest topic a row carries (MQTT allows 65535 bytes; no bridge carries one that long). */
export const MAX_ROW_TOPIC_CHARS = 4096

export const TrafficRowSchema = z.object({
  /** Sequence number in this session: ids are contiguous, so the buffer is the range [firstId, nextId). */
  id: z.number().int().nonnegative(),
  /** The host's clock when the source saw it (ms since the epoch). */
  t: z.number(),
  site: SiteSchema,
  source: SourceKindSchema,
  topic: z.string().max(MAX_ROW_TOPIC_CHARS),
  /** Payload size in bytes (console rows: the UTF-8 size of the printed text). */
  size: z.number().int().nonnegative(),
  /** The first ROW_PREVIEW_BYTES bytes of the payload, base64; absent where the source has no payload (peer). */
  preview: z.string().max(Math.ceil((1024 * 4) / 3) + 4).optional(),
  /** As delivered to PairKit's subscriber (at most 1), or as the firmware logged it; null where unknown. */
  qos: z.number().int().min(0).max(2).nullable(),
  retain: z.boolean().nullable(),
  direction: TrafficDirectionSchema,
  fate: FateSchema,
  /** The crossing this row belongs to (all rows of one message share it). */
  correlationId: z.number().int().nonnegative().optional(),
  /** Arrival on the other site minus the publish (host clock), on crossed rows. */
  latencyMs: z.number().optional(),
  lostReason: LostReasonSchema.optional(),
  /** One sentence: why it was lost, or what a local row is. */
  detail: z.string().max(500).optional(),
})
export type TrafficRow = z.infer<typeof TrafficRowSchema>

/** A change to a row sent earlier: its new classification. */
export const TrafficRowUpdateSchema = TrafficRowSchema.pick({ id: true, direction: true, fate: true, correlationId: true, latencyMs: true, lostReason: true, detail: true })
export type TrafficRowUpdate = z.infer<typeof TrafficRowUpdateSchema>

const SourceCounts = z.object({ mqtt: z.number().int(), console: z.number().int(), peer: z.number().int(), signalling: z.number().int() })
const DirectionCounts = z.object({
  /** Messages seen on both sites. */
  crossed: z.number().int(),
  lost: z.number().int(),
  duplicates: z.number().int(),
  /** Messages still inside the window. */
  pending: z.number().int(),
  /** Payload bytes of the crossed messages. */
  bytes: z.number().int(),
})

/**
 * Exact counts since the session started or was cleared, whatever the buffer has let go.
 * Each message counts once in exactly one of aToB, bToA, unseen and local (by its current
 * classification: a late arrival moves it from lost to crossed).
 */
export const TrafficCountersSchema = z.object({
  /** Rows per site and source (every observation, also while paused). */
  observed: z.object({ A: SourceCounts, B: SourceCounts }),
  aToB: DirectionCounts,
  bToA: DirectionCounts,
  /** Messages on a site whose other site nobody watches. */
  unseen: z.object({ A: z.number().int(), B: z.number().int() }),
  /** Messages that are not bridged by design (retained replays, signalling). */
  local: z.object({ A: z.number().int(), B: z.number().int() }),
  lostReasons: z.record(LostReasonSchema, z.number().int()),
  buffer: z.object({
    capacity: z.number().int(),
    size: z.number().int(),
    firstId: z.number().int(),
    nextId: z.number().int(),
    /** Rows that fell out of the buffer (oldest first) since the start or the last clear. */
    evicted: z.number().int(),
    /** Rows not kept because the view was paused. */
    skippedWhilePaused: z.number().int(),
  }),
})
export type TrafficCounters = z.infer<typeof TrafficCountersSchema>

/** Messages per second over the last complete second. */
export const TrafficRatesSchema = z.object({
  /** The second these are for (ms since the epoch of its start). */
  second: z.number(),
  aToB: z.number(),
  bToA: z.number(),
  lost: z.number(),
  /** Messages first seen on each site (published there or arrived there). */
  A: z.number(),
  B: z.number(),
})
export type TrafficRates = z.infer<typeof TrafficRatesSchema>

export const RATE_SERIES_NAMES = ['aToB', 'bToA', 'lost', 'A', 'B'] as const
export type RateSeriesName = (typeof RATE_SERIES_NAMES)[number]

export interface TopicNode {
  /** The last level of the topic ("temp" of "site/temp"); "" for an empty level. */
  name: string
  /** The full topic of this node. */
  topic: string
  /** Messages on exactly this topic. */
  count: number
  /** Messages on this topic and every topic below it. */
  total: number
  bytes: number
  /** Messages per second on exactly this topic, over the last RATE_WINDOW_S seconds. */
  rate: number
  /** Host time of the last message on exactly this topic, 0 when none. */
  last: number
  children: TopicNode[]
}

export const TopicNodeSchema: z.ZodType<TopicNode> = z.lazy(() =>
  z.object({
    name: z.string(),
    topic: z.string(),
    count: z.number().int(),
    total: z.number().int(),
    bytes: z.number().int(),
    rate: z.number(),
    last: z.number(),
    children: z.array(TopicNodeSchema),
  }),
)

export const TopicTreeSchema = z.object({
  site: SiteSchema,
  roots: z.array(TopicNodeSchema),
  /** Distinct topics counted one by one (at most MAX_TOPICS_PER_SITE). */
  topics: z.number().int(),
  /** Messages on topics beyond that limit: counted here, exactly, but not per topic. */
  otherTopics: z.number().int(),
})
export type TopicTree = z.infer<typeof TopicTreeSchema>

/** A source's state, as the Traffic view shows it beside its label. */
export const SourceStateSchema = z.enum(['connecting', 'connected', 'error', 'stopped'])
export type SourceState = z.infer<typeof SourceStateSchema>

export const TrafficSourceStatusSchema = z.object({
  /** Unique within the session: "A/mqtt", "B/console", "signalling" … */
  id: z.string(),
  /** The site it watches; null for the signalling broker, which serves both. */
  site: SiteSchema.nullable(),
  kind: SourceKindSchema,
  /** What it watches, for people: the broker address (password masked), the device, … */
  label: z.string(),
  state: SourceStateSchema,
  /** Since when it is in this state (ms since the epoch). */
  since: z.number(),
  /** What went wrong (error), or what it is waiting for (connecting), in a sentence. */
  message: z.string().optional(),
  /** What to check or do. */
  hint: z.string().optional(),
  /** Observations it has delivered. */
  messages: z.number().int(),
})
export type TrafficSourceStatus = z.infer<typeof TrafficSourceStatusSchema>
