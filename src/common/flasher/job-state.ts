// What a flasher job looks like from outside (UI, CLI --json): plain JSON, tagged on `type`.
// The schema is the definition; the types are inferred from it, and the UI contract
// (contract/flash.ts) carries the same schema.
import { z } from 'zod'
import { SerializedErrorSchema } from '../rpc/messages'

export const FlasherOperationSchema = z.enum(['probe', 'flash', 'erase', 'read-flash', 'provision'])
export type FlasherOperation = z.infer<typeof FlasherOperationSchema>

export const FlasherPhaseSchema = z.enum(['write', 'verify', 'erase', 'read'])
export type FlasherPhase = z.infer<typeof FlasherPhaseSchema>

export const RegionRefSchema = z.object({ offset: z.number(), size: z.number(), name: z.string().optional() })
export type RegionRef = z.infer<typeof RegionRefSchema>

const JobBase = {
  jobId: z.string(),
  /** The link as the job was given it. */
  port: z.string(),
  /** The device: the link normalised (src/common/devices/device-id.ts). */
  deviceId: z.string(),
  operation: FlasherOperationSchema,
}

export const FlasherJobStateSchema = z.discriminatedUnion('type', [
  z.object({ ...JobBase, type: z.literal('queued') }),
  z.object({ ...JobBase, type: z.literal('connecting'), stage: z.string() }),
  z.object({
    ...JobBase,
    type: z.literal('progress'),
    phase: FlasherPhaseSchema,
    region: RegionRefSchema.optional(),
    /** Over the whole job's payload (all regions), uncompressed bytes. */
    bytesDone: z.number(),
    bytesTotal: z.number(),
    percent: z.number(),
    bytesPerSecond: z.number(),
    etaSeconds: z.number().optional(),
  }),
  z.object({ ...JobBase, type: z.literal('warning'), message: z.string() }),
  z.object({ ...JobBase, type: z.literal('done'), result: z.unknown(), deviceState: z.string() }),
  z.object({ ...JobBase, type: z.literal('failed'), error: SerializedErrorSchema, deviceState: z.string() }),
  z.object({ ...JobBase, type: z.literal('cancelled'), deviceState: z.string() }),
])
export type FlasherJobState = z.infer<typeof FlasherJobStateSchema>

export function isFinal(state: FlasherJobState): boolean {
  return state.type === 'done' || state.type === 'failed' || state.type === 'cancelled'
}

/** One region of a flash job: what was written of it and how it was verified. */
export interface WrittenRegion extends RegionRef {
  /** Bytes sent for it (compressed where the stub inflates). */
  wireBytes: number
  md5: string
  verified: true
  /** Written again after its MD5 differed once. */
  retried: boolean
  /** 4 KiB blocks in the region, and how many were written (0: the device already held it). */
  blocks: number
  written: number
}

/** Seconds a flash job spent in each of its parts; they add up to the job's time but for planning and waits on compression. */
export interface FlashPhases {
  /** Reset, sync, identify, baud switch, flash attach. */
  connect: number
  /** Uploading and starting the flasher stub (0 when the ROM did everything, nothing being written). */
  stub: number
  /** MD5s of the device's blocks before writing. */
  compare: number
  /** FLASH_*_BEGIN round trips: the ROM erases the whole range there; the stub erases as blocks arrive (in `acks`). */
  erase: number
  /** The written blocks' frames at the link's rate: what no protocol can save. */
  blocks: number
  /** Waiting for each block's acknowledgement beyond its wire time: round trip, inflating, erasing and writing on the chip, resends. */
  acks: number
  /** MD5 of every written region afterwards. */
  verify: number
  /** Ending the write and resetting into the app. */
  finish: number
}

/** What the flash write achieved, for the technician and for the benchmark. */
export interface FlashResult {
  chip: string
  baud: number
  stub: boolean
  compressed: boolean
  /** Every block was written, without asking the device what it holds (`full`). */
  full: boolean
  regions: WrittenRegion[]
  bytes: number
  wireBytes: number
  seconds: number
  /** Time from the first FLASH_*_BEGIN to the last block's acknowledgement, summed over regions. */
  wireSeconds: number
  /** Uncompressed kbit/s over the whole job, as esptool's "effective" figure. */
  effectiveKbps: number
  /** Wire bytes ÷ what the baud rate carries in wireSeconds (10 bits a byte). */
  wireUtilisation: number
  phases: FlashPhases
}

/** "unchanged", or "3 of 256 blocks written": what became of a region. */
export function describeWrittenRegion(region: Pick<WrittenRegion, 'blocks' | 'written'>): string {
  if (region.written === 0) return 'unchanged'
  return `${region.written} of ${region.blocks} block${region.blocks === 1 ? '' : 's'} written`
}

/** "bootloader unchanged, app: 3 of 256 blocks written" for a job's regions. */
export function describeWrittenRegions(regions: ReadonlyArray<Pick<WrittenRegion, 'blocks' | 'written' | 'name' | 'offset'>>): string {
  return regions
    .map((region) => {
      const name = region.name ?? `0x${region.offset.toString(16)}`
      return region.written === 0 ? `${name} unchanged` : `${name}: ${describeWrittenRegion(region)}`
    })
    .join(', ')
}

/** Wire bytes over capacity: 8N1 carries baud/10 bytes a second. */
export function wireUtilisation(wireBytes: number, seconds: number, baud: number): number {
  return seconds > 0 ? wireBytes / ((baud / 10) * seconds) : 0
}
