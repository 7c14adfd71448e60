// A firmware bundle: what will be written where, before anything is written.
import type { FlashSettings } from './flash-settings'

export type BundlePartKind = 'bootloader' | 'partition-table' | 'app' | 'otadata' | 'data'

export interface BundlePart {
  /** Flash address. */
  offset: number
  /** A short name for messages: the build's image name or the file name. */
  name: string
  bytes: Uint8Array
  kind: BundlePartKind
  /** The build asks for this part to be written encrypted. */
  encrypted?: boolean
  /**
   * Written as given, on the technician's explicit word (`--raw OFFSET`): not checked as an
   * app image or a partition table even where the table says one belongs. Its kind is 'data'.
   */
  raw?: boolean
  /** Placed at an offset the technician chose (an NVS image dropped with its offset), not by a build file. */
  placed?: boolean
}

export type BundleProblemCode =
  | 'FILE_MISSING'
  | 'BAD_BUILD_FILE'
  | 'NOT_MERGED'
  | 'UNACCOUNTED_BYTES'
  | 'SECTOR_OVERLAP'
  | 'MISALIGNED'
  | 'NO_CHIP'
  | 'CHIP_MISMATCH'
  | 'BAD_IMAGE'
  | 'BOOTLOADER_OFFSET'
  | 'NO_PARTITION_TABLE'
  | 'BAD_PARTITION_TABLE'
  | 'NO_PARTITION'
  | 'TOO_LARGE_FOR_PARTITION'
  | 'TOO_LARGE_FOR_FLASH'
  | 'NOT_AN_APP_IMAGE'
  | 'NOT_A_PARTITION_TABLE'

export interface BundleProblem {
  code: BundleProblemCode
  /** "error": flashing would fail or produce a device that does not boot. */
  severity: 'error' | 'warning'
  message: string
  /** The part it concerns, by name. */
  part?: string
}

export interface Bundle {
  /** Where it came from, for messages ("build directory app/build", "merged image fw.bin"). */
  source: string
  /** Target chip name ("esp32c3") when the build says or an image header shows it. */
  chip?: string
  flash: FlashSettings
  /** Flash offset of the partition table, when known (flasher_args.json or found in a merged image). */
  partitionTableOffset?: number
  parts: BundlePart[]
  /** Problems found while loading (missing files, unreadable build files). */
  problems: BundleProblem[]
}

export function sortedParts(parts: readonly BundlePart[]): BundlePart[] {
  return [...parts].sort((a, b) => a.offset - b.offset)
}
