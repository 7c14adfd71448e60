// Reads what the second-stage bootloader reads from flash: its own image header, the
// partition table at 0x8000 and the app image it will start. Uses PairKit's format codecs.
import { parseImage, type ImageInfo } from '../../common/app-image'
import { decodePartitionTable, DEFAULT_TABLE_OFFSET, TABLE_MAX_LENGTH, type PartitionEntry } from '../../common/partition-table'
import type { TwinChipDef } from '../../common/esp/chips'
import type { FlashMemory } from '../flash'

export const IMAGE_MAGIC = 0xe9
/** The bootloader region ends where the partition table starts. */
const BOOTLOADER_MAX = DEFAULT_TABLE_OFFSET

export type ImageRead = { ok: true; image: ImageInfo } | { ok: false; firstWord: number; reason: string }


function firstWord(flash: FlashMemory, offset: number): number {
  const bytes = flash.read(offset, 4)
  return new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true)
}

/** Parses an image at `offset`, at most `maxLength` bytes long. */
export function readImage(flash: FlashMemory, offset: number, maxLength: number): ImageRead {
  const length = Math.min(maxLength, flash.size - offset)
  const bytes = flash.read(offset, Math.max(0, length))
  if (bytes[0] !== IMAGE_MAGIC) return { ok: false, firstWord: firstWord(flash, offset), reason: 'invalid magic' }
  try {
    const image = parseImage(bytes)
    if (image.segments.length === 0 || image.imageLength === 0) return { ok: false, firstWord: firstWord(flash, offset), reason: 'truncated' }
    // The loaders verify what they load: the XOR checksum, and the SHA-256 when appended.
    if (image.checksum && !image.checksum.valid) {
      return { ok: false, firstWord: firstWord(flash, offset), reason: `Checksum failed. Calculated 0x${image.checksum.computed.toString(16)} read 0x${image.checksum.stored.toString(16)}` }
    }
    if (image.digest && !image.digest.valid) return { ok: false, firstWord: firstWord(flash, offset), reason: 'Image hash failed - image is corrupt' }
    return { ok: true, image }
  } catch (error) {
    return { ok: false, firstWord: firstWord(flash, offset), reason: error instanceof Error ? error.message : String(error) }
  }
}

export function readBootloader(chip: TwinChipDef, flash: FlashMemory): ImageRead {
  return readImage(flash, chip.bootloaderOffset, BOOTLOADER_MAX - chip.bootloaderOffset)
}

export function readPartitionTable(flash: FlashMemory): PartitionEntry[] {
  return decodePartitionTable(flash.read(DEFAULT_TABLE_OFFSET, TABLE_MAX_LENGTH)).entries
}

/** How ESP-IDF's bootloader names a partition's use in its table listing. */
export function partitionUsage(entry: PartitionEntry): string {
  if (entry.type === 0x00) {
    if (entry.subtype === 0x00) return 'factory app'
    if (entry.subtype === 0x20) return 'test app'
    if (entry.subtype >= 0x10 && entry.subtype < 0x20) return 'OTA app'
    return 'Unknown app'
  }
  if (entry.type === 0x01) {
    const data: Record<number, string> = { 0x00: 'OTA data', 0x01: 'RF data', 0x02: 'WiFi data', 0x04: 'NVS keys', 0x05: 'efuse' }
    return data[entry.subtype] ?? 'Unknown data'
  }
  return 'unknown'
}

/**
 * The app partition to start. Assumption: the twin does not read otadata; like a fresh
 * board it starts the factory app, or ota_0 when there is no factory partition.
 */
export function pickBootPartition(entries: readonly PartitionEntry[]): PartitionEntry | undefined {
  return entries.find((entry) => entry.type === 0 && entry.subtype === 0x00) ?? entries.find((entry) => entry.type === 0 && entry.subtype === 0x10)
}
