import { z } from 'zod'

/**
 * The signalling watch: PairKit subscribes to a pair's two sync topics on its signalling broker
 * and shows what passes — the "0"/"1"/"2" handshake and both descriptions. Read-only: it never
 * publishes, so it can never answer in a device's place.
 */
const PairId = z.string().regex(/^[a-z0-9]{8,32}$/)

export const WatchedCandidateSchema = z.object({
  line: z.string().max(512),
  type: z.enum(['host', 'srflx', 'relay']),
  address: z.string(),
  port: z.number().int(),
  priority: z.number(),
})

export const SignallingMessageSchema = z.object({
  pairId: z.string(),
  /** When the watch received it (ms since the epoch). */
  at: z.number(),
  topic: z.string().max(200),
  /** The role that publishes on this topic (prefix + 1 or + 2), i.e. who sent it. */
  from: z.union([z.literal(1), z.literal(2)]),
  bytes: z.number().int().nonnegative(),
  retained: z.boolean(),
  message: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('handshake'), step: z.enum(['0', '1', '2']) }),
    z.object({
      kind: z.literal('description'),
      ufrag: z.string().max(256),
      pwd: z.string().max(256),
      candidates: z.array(WatchedCandidateSchema).max(32),
      /** Candidates the firmware would refuse, each with why. */
      rejected: z.array(z.object({ key: z.string().max(32), reason: z.string().max(64), detail: z.string().max(300) })).max(64),
    }),
    /** What the firmware would ignore or refuse (not JSON, no "desc", a=end-of-candidates …). */
    z.object({ kind: z.literal('rejected'), reason: z.string().max(64), detail: z.string().max(300) }),
  ]),
})
export type SignallingMessage = z.infer<typeof SignallingMessageSchema>

export const SignallingWatchSchema = z.object({
  pairId: z.string(),
  /** The broker, its password masked. */
  broker: z.string(),
  topics: z.array(z.string()),
  state: z.enum(['connecting', 'watching', 'reconnecting', 'stopped', 'failed']),
  since: z.number(),
  /** Why it failed or reconnects, in a sentence. */
  message: z.string().max(1000).optional(),
  /** Messages seen since the watch started. */
  messages: z.number().int().nonnegative(),
})
export type SignallingWatch = z.infer<typeof SignallingWatchSchema>

export const signallingRequests = {
  /** Starts watching a pair's signalling (its broker and sync topics from the pair; a URI password from the stored secrets). Watching it again returns the same watch. */
  'signalling.watch': { input: z.object({ pairId: PairId }).strict(), output: SignallingWatchSchema },
  'signalling.unwatch': { input: z.object({ pairId: PairId }).strict(), output: z.object({}) },
  'signalling.watches': { input: z.object({}).strict(), output: z.array(SignallingWatchSchema) },
} as const

export const signallingEvents = {
  /** One message seen on a watched pair's sync topics, decoded as the firmware reads it. */
  'signalling.message': SignallingMessageSchema,
  /** A watch changed state. */
  'signalling.status': SignallingWatchSchema,
} as const
