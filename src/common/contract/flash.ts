import { z } from 'zod'
import { FlasherJobStateSchema } from '../flasher/job-state'
import { ProbeResultSchema, type ProbeResult } from '../flasher/probe-result'

/** One dropped or picked file: its path inside the drop, and its bytes. */
export const DroppedFileSchema = z.object({
  path: z.string().min(1).max(1024),
  base64: z.string().max(48 * 1024 * 1024),
})

export const BundleProblemSchema = z.object({
  code: z.string(),
  severity: z.enum(['error', 'warning']),
  message: z.string(),
  part: z.string().optional(),
})

export const BundleSummarySchema = z.object({
  bundleId: z.string(),
  source: z.string(),
  chip: z.string().optional(),
  flashSize: z.number().optional(),
  flash: z.object({ mode: z.string().optional(), size: z.string().optional(), freq: z.string().optional() }),
  parts: z.array(
    z.object({
      offset: z.number(),
      name: z.string(),
      kind: z.string(),
      size: z.number(),
      /** What the image says it is, e.g. "serverless_mqtt v1.0 (ESP-IDF v5.4)". */
      detail: z.string().optional(),
      /** Written as raw data on request (`raw` of bundle.load): not checked as an app image or a table. */
      raw: z.boolean().optional(),
    }),
  ),
  partitions: z.array(z.object({ name: z.string(), type: z.string(), offset: z.number(), size: z.number() })),
  problems: z.array(BundleProblemSchema),
  ok: z.boolean(),
})
export type BundleSummary = z.infer<typeof BundleSummarySchema>

/** A flasher job as the UI sees it: the flasher's own job-state schema. */
export const FlashJobSchema = FlasherJobStateSchema
export type FlashJob = z.infer<typeof FlashJobSchema>

/** A serial port path (/dev/ttyUSB0, COM3) or a remote one (socket://host:port, rfc2217://host:port). */
const PortName = z.string().min(1).max(300)

export const flashRequests = {
  /**
   * Loads and validates a bundle from dropped files (a build folder, a .zip or a merged .bin).
   * `raw`: flash offsets whose parts are written as raw data where an app image or the
   * partition table belongs (the technician's explicit override, as `--raw` in the CLI).
   */
  'bundle.load': {
    input: z
      .object({
        files: z.array(DroppedFileSchema).min(1).max(500),
        chip: z.string().optional(),
        raw: z.array(z.number().int().min(0).max(0xffffffff)).max(64).optional(),
      })
      .strict(),
    output: BundleSummarySchema,
  },
  /** Flashes a loaded bundle to each port, one job per port, in parallel. */
  'flash.start': {
    input: z
      .object({
        bundleId: z.string(),
        ports: z.array(PortName).min(1).max(16),
        baud: z.number().int().min(9600).max(3_000_000).optional(),
        stub: z.boolean().optional(),
      })
      .strict(),
    output: z.object({ jobs: z.array(z.object({ port: z.string(), jobId: z.string().optional(), error: z.string().optional() })) }),
  },
  'flash.probe': { input: z.object({ port: PortName }).strict(), output: z.object({ jobId: z.string() }) },
  'flash.cancel': { input: z.object({ jobId: z.string() }).strict(), output: z.object({}) },
  'flash.jobs': { input: z.object({}).strict(), output: z.array(FlashJobSchema) },
} as const

export const flashEvents = {
  /** Every change of a flasher job (progress at least 4 times a second while writing). */
  'flash.job': FlashJobSchema,
} as const

/** What a probe finds (the `result` of a done probe job), for the UI to check it. */
export { ProbeResultSchema, type ProbeResult }
