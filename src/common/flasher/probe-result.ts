// What a probe finds (the `result` of a done probe job): the schema is the definition, the
// type is inferred from it; the UI checks a result against the same schema. The
// configuration comes redacted.
import { z } from 'zod'
import type { DeviceConfig } from '../config'

/** Setting name → value, as the firmware would run with it (secrets redacted). */
const ReadConfigSchema = z.custom<DeviceConfig>(
  (value) => typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((item) => typeof item === 'string' || typeof item === 'number'),
  { message: 'the configuration must map setting names to text or numbers' },
)

export const ProbeResultSchema = z.object({
  port: z.string(),
  chip: z.string(),
  description: z.string().optional(),
  /** major × 100 + minor. */
  revision: z.number().optional(),
  features: z.array(z.string()),
  crystalMHz: z.number().optional(),
  mac: z.string().optional(),
  flash: z.object({ jedecId: z.string(), manufacturer: z.string().optional(), size: z.string().optional(), sizeBytes: z.number().optional() }).optional(),
  security: z
    .object({
      flags: z.number(),
      secureBoot: z.boolean(),
      secureDownloadMode: z.boolean(),
      flashEncryption: z.boolean(),
      flashCryptCount: z.number(),
      jtagDisabled: z.boolean(),
    })
    .optional(),
  stub: z.boolean(),
  baud: z.number(),
  partitionTable: z.array(z.object({ name: z.string(), type: z.number(), subtype: z.number(), offset: z.number(), size: z.number(), flags: z.number() })).optional(),
  apps: z
    .array(
      z.object({
        partition: z.string(),
        offset: z.number(),
        descriptor: z
          .object({
            projectName: z.string(),
            version: z.string(),
            idfVersion: z.string(),
            date: z.string(),
            time: z.string(),
            elfSha256: z.string(),
            secureVersion: z.number(),
            minEfuseBlockRevision: z.number(),
            maxEfuseBlockRevision: z.number(),
            mmuPageSizeLog2: z.number(),
          })
          .optional(),
      }),
    )
    .optional(),
  config: z
    .object({
      config: ReadConfigSchema,
      stored: z.array(z.string()),
      problems: z.array(z.object({ severity: z.enum(['error', 'warning']), message: z.string(), field: z.string().optional(), key: z.string().optional() })),
    })
    .optional(),
  notes: z.array(z.string()),
})
export type ProbeResult = z.infer<typeof ProbeResultSchema>
