import { z } from 'zod'
import { FlasherJobStateSchema } from '../flasher/job-state'
import { ProbeResultSchema, type ProbeResult } from '../flasher/probe-result'
import { SerializedErrorSchema } from '../rpc/messages'

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
  /** Its name: the build folder, zip or file it came from. */
  source: z.string(),
  /** SHA-256 of what it writes: every part's offset, size and bytes in address order (see bundle-hash.ts). */
  sha256: z.string(),
  /** When it was loaded (ms since the epoch); the current bundle is kept across restarts. */
  loadedAt: z.number(),
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
      /** Placed at an offset the technician chose (`placements` of bundle.load). */
      placed: z.boolean().optional(),
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

/** A serial port path (/dev/ttyUSB0, COM3) or a remote one (socket://host:port, rfc2217://host:port); any spelling. */
const PortName = z.string().min(1).max(300)
const FlashOffset = z.number().int().min(0).max(0xffffffff)

export const flashRequests = {
  /**
   * Loads and validates a bundle from dropped files (a build folder, a .zip or a merged .bin),
   * and makes it the current bundle (kept across restarts, see bundle.current).
   * `placements`: files written at an offset the technician chose, e.g. an NVS image at the
   * offset of the device's nvs partition; they need no build folder, and a bundle made only of
   * data needs no chip. Other files are read as before. `raw`: flash offsets whose parts are
   * written as raw data where an app image or the partition table belongs (the technician's
   * explicit override, as `--raw` in the CLI).
   */
  'bundle.load': {
    input: z
      .object({
        files: z.array(DroppedFileSchema).min(1).max(500),
        chip: z.string().max(32).optional(),
        raw: z.array(FlashOffset).max(64).optional(),
        placements: z.array(z.object({ path: z.string().min(1).max(1024), offset: FlashOffset }).strict()).max(64).optional(),
      })
      .strict(),
    output: BundleSummarySchema,
  },
  /** The bundle loaded last (also after a restart), or null when there is none. */
  'bundle.current': { input: z.object({}).strict(), output: BundleSummarySchema.nullable() },
  /**
   * Flashes a loaded bundle to each device (ids or any spelling of their links; two spellings
   * of one link are one device), one job per device, in parallel. A device busy with another
   * operation gets an error (code DEVICE_BUSY) and the others start. After a successful flash
   * the device is reset, probed again in the same job and left running its app: the done
   * state's result is the flash result with `probe` (a ProbeResult) or `reprobeError`, and
   * devices.changed carries what the probe learnt. Each region of the result says how many of
   * its 4 KiB blocks were written (`blocks`, `written`: 0 when the device already held it).
   */
  'flash.start': {
    input: z
      .object({
        bundleId: z.string().max(64),
        devices: z.array(PortName).min(1).max(16),
        /** Start at this rate; by default the fastest the device's port is known to take. */
        baud: z.number().int().min(9600).max(3_000_000).optional(),
        stub: z.boolean().optional(),
        /** Write every block, without first asking each device what it already holds. */
        full: z.boolean().optional(),
      })
      .strict(),
    output: z.object({ jobs: z.array(z.object({ deviceId: z.string(), jobId: z.string().optional(), error: SerializedErrorSchema.optional() })) }),
  },
  /** Probes a port (same as devices.probe: the device becomes known). */
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
