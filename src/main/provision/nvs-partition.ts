// Where a device keeps the bridge's settings: the data/nvs partition labelled "nvs" in the
// partition table read from the device. The firmware opens its settings with nvs_flash_init(),
// which uses the partition labelled "nvs" and no other, so a data/nvs partition under another
// label is not where the settings would be read: PairKit refuses rather than guess.
import { PairKitError } from '../../common/errors'
import { formatFlashSize } from '../../common/esp/flash-size'
import { hex } from '../../common/hex'
import { isEncrypted, TYPE_DATA, type DecodedTable, type PartitionEntry } from '../../common/partition-table'
import { DEFAULT_TABLE_OFFSET } from '../../common/partition-table/constants'
import { NVS_MIN_WRITABLE_SIZE, SUBTYPE_DATA_NVS } from '../../common/partition-table/constants'

/** The label nvs_flash_init() opens (NVS_DEFAULT_PART_NAME). */
export const NVS_LABEL = 'nvs'
const SECTOR = 0x1000

/** The partition the settings go to, or the sentence that says why there is none; nothing is written either way. */
export function settingsPartition(table: DecodedTable, flashSize: number): PartitionEntry {
  if (table.entries.length === 0) {
    throw refuse(`the device has no partition table at ${hex(DEFAULT_TABLE_OFFSET)} (its flash may be empty)`, 'Flash the bridge firmware first, then write the pair settings.')
  }
  const damaged = table.problems.find((problem) => problem.severity === 'error')
  if (damaged) throw refuse(`the device's partition table is damaged (${damaged.message})`, 'Flash the bridge firmware again, then write the pair settings.')
  const nvsPartitions = table.entries.filter((entry) => entry.type === TYPE_DATA && entry.subtype === SUBTYPE_DATA_NVS)
  const partition = nvsPartitions.find((entry) => entry.name === NVS_LABEL)
  if (!partition) {
    const others = nvsPartitions.map((entry) => `"${entry.name}"`).join(', ')
    throw refuse(
      others
        ? `the device's partition table has no data/nvs partition labelled "${NVS_LABEL}" (only ${others}), and the firmware reads its settings from "${NVS_LABEL}"`
        : `the device's partition table has no nvs partition, where the firmware reads its settings`,
      'Flash firmware whose partition table has an "nvs" partition (ESP-IDF\'s default tables have one).',
    )
  }
  const where = `the nvs partition (${hex(partition.offset)}, ${partition.size} bytes)`
  if (isEncrypted(partition)) throw refuse(`${where} is marked encrypted, and PairKit writes plain NVS`, 'Use firmware without NVS encryption for the bridge.')
  if (partition.offset % SECTOR !== 0 || partition.size % SECTOR !== 0) {
    throw refuse(`${where} is not made of whole 4 KiB sectors, so writing it would erase part of its neighbours`, 'Fix the partition table and flash the firmware again.')
  }
  if (partition.offset + partition.size > flashSize) {
    throw refuse(`${where} ends past the ${formatFlashSize(flashSize)} flash`, 'Fix the partition table for this flash size and flash the firmware again.')
  }
  if (partition.size < NVS_MIN_WRITABLE_SIZE) {
    throw refuse(
      `${where} is too small: the firmware needs at least ${NVS_MIN_WRITABLE_SIZE} bytes (3 pages: the settings and the spare page NVS keeps)`,
      'Flash firmware whose nvs partition is at least 0x3000 bytes (ESP-IDF\'s default is 0x6000).',
    )
  }
  return partition
}

/** An image placed in the partition: refused when larger, else padded with 0xFF (erased flash) to the partition's size. */
export function fillPartition(image: Uint8Array, partition: PartitionEntry): Uint8Array {
  if (image.length > partition.size) {
    throw refuse(`the NVS image is ${image.length} bytes, larger than the device's nvs partition (${partition.size} bytes at ${hex(partition.offset)})`, 'Make the pair\'s image for this partition size, or use firmware with a larger nvs partition.')
  }
  if (image.length % SECTOR !== 0) throw refuse(`the NVS image is ${image.length} bytes, not a whole number of 4096-byte pages`, 'Give an NVS partition image, as PairKit writes them when it makes a pair or generates an NVS image.')
  if (image.length === partition.size) return image
  const filled = new Uint8Array(partition.size).fill(0xff)
  filled.set(image)
  return filled
}

function refuse(message: string, hint: string): PairKitError {
  return new PairKitError('BAD_INPUT', `${message}; nothing was written`, { hint })
}
