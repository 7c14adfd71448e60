import { z } from 'zod'
import { FindingSchema } from '../diagnosis/finding'
import { IceDeviceModelSchema, IceSessionSchema, IceStateEntrySchema, ModelCandidateSchema, ModelPairSchema } from '../ice/model'
import { DeviceRef } from './devices'

/**
 * Live diagnostics: the ICE model and the diagnosis of each device whose console PairKit reads
 * (a monitor session), and of each pair (the two devices whose probed settings name the pair,
 * role 1 as site A and role 2 as site B). The backend folds every parsed event in, whether or not
 * a page keeps up with the console, and says when something changed (`ice.changed`, at most
 * every 250 ms); a view then asks for what it shows.
 */
export const DIAGNOSTICS_LIMITS = {
  /** A snapshot carries the newest state changes and ICE sessions, no more. */
  timelineEntries: 200,
  sessions: 8,
} as const

const PairId = z.string().regex(/^[a-z0-9]{8,32}$/)

/** What feeds a device's model: its console in a monitor session, or PairKit's own peer. */
export const IceSourceSchema = z.object({
  kind: z.enum(['monitor', 'peer']),
  /** The monitor session whose console is read (kind monitor). */
  sessionId: z.string().optional(),
  /** When this source began (ms since the epoch): the model starts empty then. */
  since: z.number(),
  /** Parsed events folded in so far. */
  events: z.number().int().nonnegative(),
})
export type IceSource = z.infer<typeof IceSourceSchema>

export const DeviceIceSchema = z.object({
  deviceId: z.string(),
  /** Absent while nothing feeds the device (no monitor session opened on it in this run). */
  source: IceSourceSchema.optional(),
  model: IceDeviceModelSchema,
  /** The diagnosis, errors first; each finding names the device. */
  findings: z.array(FindingSchema),
})
export type DeviceIce = z.infer<typeof DeviceIceSchema>

export const CandidateDeliverySchema = z.object({
  candidate: ModelCandidateSchema,
  /** The other device lists it among its remote candidates. */
  received: z.boolean(),
})

/** Both devices of a pair on one view (src/common/ice/pair-view.ts). */
export const IcePairViewSchema = z.object({
  a: z.object({ name: z.string(), session: IceSessionSchema.optional() }),
  b: z.object({ name: z.string(), session: IceSessionSchema.optional() }),
  /** Each side's ufrags match the other's: the two sessions are one round of signalling. */
  sameRound: z.boolean(),
  aToB: z.array(CandidateDeliverySchema),
  bToA: z.array(CandidateDeliverySchema),
  unknownAtA: z.array(ModelCandidateSchema),
  unknownAtB: z.array(ModelCandidateSchema),
  /** A's candidate pairs, with which side's log marks each selected. */
  pairs: z.array(ModelPairSchema.extend({ selectedBy: z.array(z.enum(['a', 'b'])) })),
})
export type IcePairViewData = z.infer<typeof IcePairViewSchema>

export const PairSideSchema = z.object({
  /** The device whose probed settings make it this side (absent when none does). */
  deviceId: z.string().optional(),
  source: IceSourceSchema.optional(),
  /** Its newest state changes. */
  timeline: z.array(IceStateEntrySchema),
  reboots: z.number().int().nonnegative(),
})
export type PairSide = z.infer<typeof PairSideSchema>

export const PairIceSchema = z.object({
  pairId: z.string(),
  a: PairSideSchema,
  b: PairSideSchema,
  view: IcePairViewSchema,
  /** Both devices' findings, errors first; each names its device. */
  findings: z.array(FindingSchema),
})
export type PairIce = z.infer<typeof PairIceSchema>

const Target = z.union([z.object({ deviceId: DeviceRef }).strict(), z.object({ pairId: PairId }).strict()])

export const iceRequests = {
  /** A device's ICE model and diagnosis (empty until a monitor session reads its console). */
  'ice.device': { input: z.object({ deviceId: DeviceRef }).strict(), output: DeviceIceSchema },
  /** Both devices of a pair on one view, with their findings. */
  'ice.pair': { input: z.object({ pairId: PairId }).strict(), output: PairIceSchema },
  /** The findings alone, of a device or a pair. */
  'diagnosis.list': { input: Target, output: z.array(FindingSchema) },
} as const

export const IceChangedSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('device'), deviceId: z.string() }),
  z.object({ kind: z.literal('pair'), pairId: z.string() }),
])
export type IceChanged = z.infer<typeof IceChangedSchema>

export const iceEvents = {
  /** A device's or a pair's model or findings changed (at most every 250 ms each): ask again for what is shown. */
  'ice.changed': IceChangedSchema,
} as const
