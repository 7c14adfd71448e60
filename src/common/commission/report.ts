// The commissioning report of one pair: what was installed, how it was set up (secrets
// redacted), how the two devices connected and what the bridge test measured. It is the JSON
// a script reads and what the printable page (report-html.ts) shows; field names are stable.
import { z } from 'zod'
import { ShownConfigSchema } from '../contract/config'
import { FindingSchema } from '../diagnosis/finding'
import { CandidateTypeSchema } from '../logs/events'
import { BridgeTestResultSchema } from '../traffic/bridge-test-result'
import { CommissionStepSchema } from './steps'

export const REPORT_VERSION = 1

const EndpointSchema = z.object({ address: z.string(), port: z.number().int(), type: CandidateTypeSchema.optional() })

export const ReportDeviceSchema = z.object({
  role: z.union([z.literal(1), z.literal(2)]),
  deviceId: z.string(),
  chip: z.string().optional(),
  /** major × 100 + minor, as the probe read it. */
  revision: z.number().optional(),
  mac: z.string().optional(),
  flashSize: z.number().optional(),
  /** The app it boots, from its app descriptor. */
  firmware: z.object({ name: z.string(), version: z.string(), idfVersion: z.string().optional(), sha256: z.string() }).optional(),
  /** Whether the commissioning wrote the firmware (false: the device already held it). */
  flashed: z.boolean(),
  /** The site broker the bridge test used (password masked). */
  broker: z.string().optional(),
})
export type ReportDevice = z.infer<typeof ReportDeviceSchema>

export const CommissionReportSchema = z.object({
  version: z.literal(REPORT_VERSION),
  reportId: z.string(),
  commissionId: z.string(),
  pairId: z.string(),
  /** commissioned: every step passed, the bridge test too. */
  outcome: z.enum(['commissioned', 'failed']),
  startedAt: z.number(),
  endedAt: z.number(),
  createdAt: z.number(),
  /** The technician's notes, as written. */
  notes: z.string(),
  bundle: z.object({ name: z.string(), sha256: z.string() }),
  devices: z.tuple([ReportDeviceSchema, ReportDeviceSchema]),
  /** Each side's settings with every password as •••• and a URI's password as ***. */
  config: z.object({ a: ShownConfigSchema, b: ShownConfigSchema }),
  ice: z.object({
    /** The pair A selected (its local and the remote it talks to), null when it never selected one. */
    selected: z.object({ local: EndpointSchema.optional(), remote: EndpointSchema }).nullable(),
    /** Why there is no selected pair (the firmware's ICE library does not log it at every level). */
    note: z.string().optional(),
    /** The candidate pairs A formed or logged (the selected one among them when known). */
    pairs: z.number().int(),
    /** The candidate types each side offered (host, srflx, relay …). */
    candidateTypes: z.object({ a: z.array(CandidateTypeSchema), b: z.array(CandidateTypeSchema) }),
  }),
  bridgeTest: BridgeTestResultSchema.nullable(),
  steps: z.array(CommissionStepSchema),
  /** What the Diagnoser found on the two consoles during the flow. */
  findings: z.array(FindingSchema),
})
export type CommissionReport = z.infer<typeof CommissionReportSchema>
