// What a flasher job looks like from outside (UI, CLI --json): plain JSON, tagged on `type`.
import type { SerializedError } from '../errors'

export type FlasherOperation = 'probe' | 'flash' | 'erase' | 'read-flash'
export type FlasherPhase = 'write' | 'verify' | 'erase' | 'read'

export interface RegionRef {
  offset: number
  size: number
  name?: string
}

interface JobBase {
  jobId: string
  port: string
  operation: FlasherOperation
}

export type FlasherJobState =
  | (JobBase & { type: 'queued' })
  | (JobBase & { type: 'connecting'; stage: string })
  | (JobBase & {
      type: 'progress'
      phase: FlasherPhase
      region?: RegionRef
      /** Over the whole job's payload (all regions), uncompressed bytes. */
      bytesDone: number
      bytesTotal: number
      percent: number
      bytesPerSecond: number
      etaSeconds?: number
    })
  | (JobBase & { type: 'warning'; message: string })
  | (JobBase & { type: 'done'; result: unknown; deviceState: string })
  | (JobBase & { type: 'failed'; error: SerializedError; deviceState: string })
  | (JobBase & { type: 'cancelled'; deviceState: string })

export type FlasherJobType = FlasherJobState['type']

export function isFinal(state: FlasherJobState): boolean {
  return state.type === 'done' || state.type === 'failed' || state.type === 'cancelled'
}

/** What the flash write achieved, for the technician and for the benchmark. */
export interface FlashResult {
  chip: string
  baud: number
  stub: boolean
  compressed: boolean
  regions: Array<RegionRef & { wireBytes: number; md5: string; verified: true; retried: boolean }>
  bytes: number
  wireBytes: number
  seconds: number
  /** Time from the first FLASH_*_BEGIN to the last block's acknowledgement, summed over regions. */
  wireSeconds: number
  /** Uncompressed kbit/s over the whole job, as esptool's "effective" figure. */
  effectiveKbps: number
  /** Wire bytes ÷ what the baud rate carries in wireSeconds (10 bits a byte). */
  wireUtilisation: number
}

/** Wire bytes over capacity: 8N1 carries baud/10 bytes a second. */
export function wireUtilisation(wireBytes: number, seconds: number, baud: number): number {
  return seconds > 0 ? wireBytes / ((baud / 10) * seconds) : 0
}

export function hex(value: number): string {
  return `0x${value.toString(16)}`
}
