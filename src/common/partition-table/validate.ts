// Checks a table the way gen_esp32part's verify() and the bootloader do: alignment, overlaps,
// unique names, otadata, read-only rules, and (when known) that it fits the flash.
import {
  APP_SIZE_ALIGNMENT, DEFAULT_TABLE_OFFSET, NAME_LENGTH, NVS_MIN_WRITABLE_SIZE, OTADATA_SIZE, SUBTYPE_DATA_COREDUMP,
  SUBTYPE_DATA_NVS, SUBTYPE_DATA_OTA, SUBTYPE_DATA_TEE_OTA, SUBTYPE_PRIMARY, TABLE_SECTOR_SIZE, TYPE_APP, TYPE_BOOTLOADER, TYPE_DATA,
  TYPE_PARTITION_TABLE, offsetAlignment,
} from './constants'
import { formatFlashSize } from '../esp/flash-size'
import { isReadonly, type PartitionEntry, type PartitionProblem } from './entry'

export interface ValidateOptions {
  tableOffset?: number
  /** Flash size in bytes; omit to skip the fits-the-flash check. */
  flashSize?: number
}

export function validatePartitionTable(entries: readonly PartitionEntry[], options: ValidateOptions = {}): PartitionProblem[] {
  const tableEnd = (options.tableOffset ?? DEFAULT_TABLE_OFFSET) + TABLE_SECTOR_SIZE
  const problems: PartitionProblem[] = []
  const error = (code: PartitionProblem['code'], message: string, line?: number) =>
    problems.push({ code, severity: 'error', message, ...(line === undefined ? {} : { line }) })
  const lineOf = (entry: PartitionEntry) => ('line' in entry ? (entry.line as number) : undefined)
  // The bootloader finds no app in an empty table: the device would not boot.
  if (entries.length === 0) error('EMPTY', 'the table has no partitions: add at least an nvs and a factory app row, e.g. as in ESP-IDF\'s partitions_singleapp.csv')

  for (const entry of entries) {
    const label = `partition "${entry.name}"`
    const align = offsetAlignment(entry.type)
    if (entry.offset % align !== 0) {
      error('MISALIGNED', `${label}: offset 0x${entry.offset.toString(16)} is not a multiple of 0x${align.toString(16)}${entry.type === TYPE_APP ? ' (apps start on a 64 KiB boundary)' : ''}`, lineOf(entry))
    }
    if (entry.type === TYPE_APP && entry.size % APP_SIZE_ALIGNMENT !== 0) {
      error('MISALIGNED', `${label}: app size 0x${entry.size.toString(16)} is not a multiple of 4 KiB`, lineOf(entry))
    }
    if (entry.size <= 0) error('OUT_OF_RANGE', `${label}: size must be positive`, lineOf(entry))
    if (entry.offset + entry.size > 0x100000000) error('OUT_OF_RANGE', `${label}: ends beyond the 4 GiB address space`, lineOf(entry))
    if (entry.type > 0xfe || entry.subtype > 0xfe || entry.type < 0 || entry.subtype < 0) {
      error('OUT_OF_RANGE', `${label}: type and subtype must be between 0 and 0xfe`, lineOf(entry))
    }
    if (new TextEncoder().encode(entry.name).length > NAME_LENGTH) {
      problems.push({ code: 'NAME_TOO_LONG', severity: 'warning', message: `${label}: the name is longer than 16 bytes and will be cut`, ...(lineOf(entry) ? { line: lineOf(entry) } : {}) })
    }
    if (entry.type === TYPE_DATA && (entry.subtype === SUBTYPE_DATA_OTA || entry.subtype === SUBTYPE_DATA_COREDUMP) && isReadonly(entry)) {
      error('READONLY', `${label}: ${entry.subtype === SUBTYPE_DATA_OTA ? 'otadata' : 'coredump'} partitions are always written to and cannot be read-only`, lineOf(entry))
    }
    // Newer generators (ESP-IDF master) refuse this; NVS needs three pages to write at all.
    if (entry.type === TYPE_DATA && entry.subtype === SUBTYPE_DATA_NVS && entry.size < NVS_MIN_WRITABLE_SIZE && !isReadonly(entry)) {
      error('READONLY', `${label}: an NVS partition smaller than 0x3000 must be flagged readonly`, lineOf(entry))
    }
  }

  const seen = new Set<string>()
  for (const entry of entries) {
    if (seen.has(entry.name)) error('DUPLICATE_NAME', `two partitions are named "${entry.name}"; names must be unique`, lineOf(entry))
    seen.add(entry.name)
  }

  // The build places the primary bootloader and table itself; they sit below the table's end by design.
  const placed = entries
    .filter((entry) => !((entry.type === TYPE_BOOTLOADER || entry.type === TYPE_PARTITION_TABLE) && entry.subtype === SUBTYPE_PRIMARY))
    .slice()
    .sort((a, b) => a.offset - b.offset)
  let previous: PartitionEntry | undefined
  for (const entry of placed) {
    if (entry.offset < tableEnd) {
      error('BELOW_TABLE', `partition "${entry.name}" at 0x${entry.offset.toString(16)} starts below 0x${tableEnd.toString(16)}, inside the bootloader or the partition table`, lineOf(entry))
    }
    if (previous && entry.offset < previous.offset + previous.size) {
      error('OVERLAP', `partition "${entry.name}" at 0x${entry.offset.toString(16)} overlaps "${previous.name}" (0x${previous.offset.toString(16)}–0x${(previous.offset + previous.size - 1).toString(16)})`, lineOf(entry))
    }
    if (!previous || entry.offset + entry.size > previous.offset + previous.size) previous = entry
  }

  for (const [subtype, what] of [[SUBTYPE_DATA_OTA, 'otadata'], [SUBTYPE_DATA_TEE_OTA, 'TEE otadata']] as const) {
    const found = entries.filter((entry) => entry.type === TYPE_DATA && entry.subtype === subtype)
    if (found.length > 1) error('OTADATA', `${found.length} ${what} partitions; there may be only one`)
    if (found.length === 1 && found[0]?.size !== OTADATA_SIZE) error('OTADATA', `the ${what} partition must be 0x2000 bytes, not 0x${found[0]?.size.toString(16)}`)
  }

  if (options.flashSize !== undefined) {
    const end = Math.max(0, ...entries.map((entry) => entry.offset + entry.size))
    if (end > options.flashSize) {
      error('TOO_LARGE_FOR_FLASH', `the partitions end at 0x${end.toString(16)} (${(end / 0x100000).toFixed(1)} MB), beyond the ${formatFlashSize(options.flashSize, ' ')} flash`)
    }
  }
  return problems
}
