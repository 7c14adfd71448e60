import { z } from 'zod'
import { SerializedErrorSchema } from '../rpc/messages'

/**
 * One thing done to a device from the UI: a firmware flash, a provisioning, or, for each device of
 * a pair, a commissioning and a bridge test (the pair's history is its devices' entries with its id).
 */
export const HistoryEntrySchema = z.object({
  id: z.string(),
  /** When it started and ended (ms since the epoch). */
  startedAt: z.number(),
  endedAt: z.number(),
  deviceId: z.string(),
  /** What the device was then, as far as PairKit knew. */
  chip: z.string().optional(),
  mac: z.string().optional(),
  operation: z.enum(['flash', 'provision', 'commission', 'bridge-test']),
  outcome: z.enum(['done', 'failed', 'cancelled']),
  /** The firmware bundle flashed: its name and the SHA-256 of its parts (BundleSummary.sha256). */
  bundle: z.object({ name: z.string(), sha256: z.string() }).optional(),
  /** The pair whose settings were written. */
  pair: z.object({ pairId: z.string(), role: z.union([z.literal(1), z.literal(2)]) }).optional(),
  /** The commissioning it was part of. */
  commissionId: z.string().optional(),
  /** The regions written and verified (empty when nothing was). */
  regions: z.array(z.object({ offset: z.number(), size: z.number(), name: z.string().optional(), md5: z.string().optional() })),
  error: SerializedErrorSchema.optional(),
  /** The state the device was left in, in a sentence. */
  deviceState: z.string().optional(),
})
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>

/** At most this many entries are kept; the oldest go first. */
export const MAX_HISTORY_ENTRIES = 2000

export const historyRequests = {
  /** Newest first; for one device when deviceId is given (any spelling of its link), for one pair when pairId is. */
  'history.list': {
    input: z.object({ deviceId: z.string().min(1).max(300).optional(), pairId: z.string().regex(/^[a-z0-9]{8,32}$/).optional(), limit: z.number().int().min(1).max(MAX_HISTORY_ENTRIES).optional() }).strict(),
    output: z.array(HistoryEntrySchema),
  },
} as const

export const historyEvents = {
  /** A write finished and was recorded. */
  'history.added': HistoryEntrySchema,
} as const
