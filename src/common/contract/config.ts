import { z } from 'zod'
import { LOG_LEVELS, PEER_LIBRARIES } from '../config/contract'

/**
 * A device configuration as it crosses to the UI: secrets are already replaced by "••••"
 * (an empty password stays empty: it means an open network). Validation of what a
 * technician enters is the config schema's job, not this one's.
 */
export const ShownConfigSchema = z.object({
  staSsid: z.string(),
  staPassword: z.string(),
  apSsid: z.string(),
  apPassword: z.string(),
  apChannel: z.number(),
  role: z.union([z.literal(1), z.literal(2)]),
  peerLibrary: z.enum(PEER_LIBRARIES),
  signallingUri: z.string(),
  syncTopic: z.string(),
  stunHost: z.string(),
  stunPort: z.number(),
  turnHost: z.string(),
  turnPort: z.number(),
  turnUser: z.string(),
  turnPassword: z.string(),
  brokerPort: z.number(),
  logLevel: z.enum(LOG_LEVELS),
  pairId: z.string(),
})
export type ShownConfig = z.infer<typeof ShownConfigSchema>

/** Site settings as entered (the pair wizard); checked in full by the backend. */
export const SiteSettingsSchema = ShownConfigSchema.omit({ role: true, pairId: true }).partial().strict()

const ConfigFieldName = z.enum(Object.keys(ShownConfigSchema.shape) as [keyof ShownConfig, ...(keyof ShownConfig)[]])

export const PairSummarySchema = z.object({
  pairId: z.string(),
  createdAt: z.number(),
  /** What a technician calls the pair, when PairKit made it for something (the virtual lab's). */
  name: z.string().optional(),
  a: ShownConfigSchema,
  b: ShownConfigSchema,
  nvsSize: z.number(),
  /**
   * Whether this PairKit has the pair's passwords. "missing" after a restart of the browser
   * host (memory only): enter them again with config.setPasswords before provisioning.
   */
  passwords: z.enum(['stored', 'missing']),
})
export type PairSummary = z.infer<typeof PairSummarySchema>

export const ConfigProblemSchema = z.object({
  severity: z.enum(['error', 'warning']),
  message: z.string(),
  field: ConfigFieldName.optional(),
  key: z.string().optional(),
})

export const ConfigDifferenceSchema = z.object({
  field: ConfigFieldName,
  key: z.string(),
  label: z.string(),
  secret: z.boolean(),
  intended: z.union([z.string(), z.number()]),
  actual: z.union([z.string(), z.number()]),
})
export type ShownDifference = z.infer<typeof ConfigDifferenceSchema>

export const ReadBackSchema = z.object({
  config: ShownConfigSchema,
  stored: z.array(ConfigFieldName),
  problems: z.array(ConfigProblemSchema),
  /** Against the pair side named in the request, when one was. */
  comparedWith: z.object({ pairId: z.string(), side: z.enum(['a', 'b']) }).optional(),
  differences: z.array(ConfigDifferenceSchema).optional(),
})
export type ReadBack = z.infer<typeof ReadBackSchema>

const Base64 = z.string().max(8 * 1024 * 1024).regex(/^[A-Za-z0-9+/=\s]*$/, { message: 'must be base64' })
const PairId = z.string().regex(/^[a-z0-9]{8,32}$/)
const Side = z.enum(['a', 'b'])
const Secret = z.string().max(64)

export const configRequests = {
  'config.pair': {
    input: z.object({ siteA: SiteSettingsSchema, siteB: SiteSettingsSchema }).strict(),
    output: PairSummarySchema,
  },
  'config.pairs': { input: z.object({}).strict(), output: z.array(PairSummarySchema) },
  /** The NVS partition image for one device of a pair (it carries the passwords the device needs). */
  'config.nvsImage': {
    input: z.object({ pairId: PairId, side: Side }).strict(),
    output: z.object({ fileName: z.string(), base64: z.string() }),
  },
  /** A record of the pair for the site documentation; secrets are never in it. */
  'config.exportPair': {
    input: z.object({ pairId: PairId }).strict(),
    output: z.object({ fileName: z.string(), text: z.string() }),
  },
  /**
   * Gives a pair its passwords again (they are gone when they were kept in memory only and
   * PairKit restarted), or changes them. The signalling URI is the pair's with its password.
   * The configurations must stay valid; nothing is kept when they do not.
   */
  'config.setPasswords': {
    input: z
      .object({
        pairId: PairId,
        a: z.object({ staPassword: Secret.optional(), apPassword: Secret.optional() }).strict().optional(),
        b: z.object({ staPassword: Secret.optional(), apPassword: Secret.optional() }).strict().optional(),
        turnPassword: Secret.optional(),
        signallingUri: z.string().max(255).optional(),
      })
      .strict(),
    output: PairSummarySchema,
  },
  'config.readBack': {
    input: z.object({ nvsBase64: Base64, pairId: PairId.optional(), side: Side.optional() }).strict(),
    output: ReadBackSchema,
  },
} as const

export const configEvents = {} as const
