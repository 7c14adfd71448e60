// The ICE model's snapshot: what the ICE view shows for one device, and for a pair of devices
// (pair-view.ts). Plain JSON (pair priorities are 64-bit, so they travel as decimal strings),
// described by zod so the UI contract can carry it.
import { z } from 'zod'
import { CandidateTypeSchema, IceStateNameSchema, RebootCauseSchema } from '../logs/events'

const EndpointSchema = z.object({ address: z.string(), port: z.number().int() })

export const ModelCandidateSchema = z.object({
  address: z.string(),
  port: z.number().int(),
  type: CandidateTypeSchema,
  component: z.number().int(),
  transport: z.string(),
  priority: z.number().nullable(),
  foundation: z.string().nullable(),
  relatedAddress: z.string().optional(),
  relatedPort: z.number().int().optional(),
  /** The JSON key it came in (cand0 …). */
  key: z.string().optional(),
  /** Why libjuice would not use it. */
  unusable: z.string().optional(),
  /** Known only from a logged candidate pair (esp-peer does not log its own candidates). */
  inferred: z.boolean().optional(),
  sourceLine: z.number().int().optional(),
})
export type ModelCandidate = z.infer<typeof ModelCandidateSchema>

export const ModelPairSchema = z.object({
  local: EndpointSchema.extend({ type: CandidateTypeSchema.optional() }),
  remote: EndpointSchema.extend({ type: CandidateTypeSchema.optional() }),
  /** RFC 8445 pair priority as a decimal string; null when a candidate's priority is unknown. */
  priority: z.string().nullable(),
  /** logged: esp-peer's "Sorted pair" lines; formed: by RFC 8445 from the candidate tables. */
  origin: z.enum(['logged', 'formed']),
  /** esp-peer's pair index. */
  index: z.number().int().optional(),
  selected: z.boolean(),
  /** Connectivity checks the device logged sending on this pair (esp-peer). */
  checksSent: z.number().int(),
})
export type ModelPair = z.infer<typeof ModelPairSchema>

export const IceVariantSchema = z.enum(['libjuice', 'esp-peer', 'pairkit', 'unknown'])
export type IceVariant = z.infer<typeof IceVariantSchema>

export const IceSessionSchema = z.object({
  /** 0-based, counting every session since the model started (older ones may have been dropped). */
  index: z.number().int(),
  variant: IceVariantSchema,
  firstLine: z.number().int().optional(),
  /**
   * controlling or controlled as logged (esp-peer, PairKit), or as assumed: libjuice in the
   * example always starts controlling (reference §4.4) and the log does not say how a role
   * conflict ended.
   */
  role: z.enum(['controlling', 'controlled']),
  roleLogged: z.boolean(),
  roleConflict: z.boolean(),
  localUfrag: z.string().optional(),
  remoteUfrag: z.string().optional(),
  state: IceStateNameSchema.nullable(),
  /** The session reached connected (or completed) at some point. */
  connected: z.boolean(),
  local: z.array(ModelCandidateSchema),
  remote: z.array(ModelCandidateSchema),
  pairs: z.array(ModelPairSchema),
  selected: z.object({ local: EndpointSchema.optional(), remote: EndpointSchema, sourceLine: z.number().int().optional() }).optional(),
  stun: z.object({ server: z.string().optional(), mapped: EndpointSchema.optional(), failed: z.boolean() }),
})
export type IceSession = z.infer<typeof IceSessionSchema>

export const IceStateEntrySchema = z.object({
  t: z.number().nullable(),
  hostTime: z.number().optional(),
  state: IceStateNameSchema,
  session: z.number().int(),
  sourceLine: z.number().int().optional(),
})
export type IceStateEntry = z.infer<typeof IceStateEntrySchema>

export const IceDeviceModelSchema = z.object({
  sessions: z.array(IceSessionSchema),
  timeline: z.array(IceStateEntrySchema),
  reboots: z.array(z.object({ t: z.number().nullable(), hostTime: z.number().optional(), cause: RebootCauseSchema, sourceLine: z.number().int().optional() })),
  /** Sessions and timeline entries left out to keep the model bounded on a long stream. */
  droppedSessions: z.number().int(),
  droppedTimeline: z.number().int(),
})
export type IceDeviceModel = z.infer<typeof IceDeviceModelSchema>
