// The CSV dialect of ESP-IDF's gen_esp32part.py: "Name, Type, SubType, Offset, Size, Flags",
// '#' comments, empty offsets placed automatically after the table, K/M suffixes, flags
// joined by ':'. parsePartitionCsv() lists problems per line instead of throwing.
import {
  DEFAULT_TABLE_OFFSET, FLAGS, SUBTYPES, SUBTYPE_BOOTLOADER_RECOVERY, SUBTYPE_DATA_UNDEFINED, SUBTYPE_PRIMARY, TABLE_SECTOR_SIZE, TYPES, TYPE_APP,
  TYPE_BOOTLOADER, TYPE_PARTITION_TABLE, offsetAlignment, subtypeName, typeName,
} from './constants'
import type { PartitionEntry, PartitionProblem } from './entry'
import { parseGeneratorNumber } from './parse-number'

export interface CsvOptions {
  /** Flash offset of the table itself (CONFIG_PARTITION_TABLE_OFFSET); automatic offsets start one sector later. */
  tableOffset?: number
  /** Needed only for "bootloader" rows: their size, and the primary one's offset, come from here (ESP-IDF ≥ 5.4). */
  bootloaderOffset?: number
  /** Needed only for a "bootloader, recovery" row, whose offset comes from here. */
  recoveryBootloaderOffset?: number
  /** Values for $NAME references; the generator expands environment variables, PairKit only these. */
  variables?: Readonly<Record<string, string>>
}

export interface CsvRow extends PartitionEntry {
  line: number
}

export interface ParsedCsv {
  entries: CsvRow[]
  problems: PartitionProblem[]
}

export function parsePartitionCsv(text: string, options: CsvOptions = {}): ParsedCsv {
  const tableOffset = options.tableOffset ?? DEFAULT_TABLE_OFFSET
  const problems: PartitionProblem[] = []
  const rows: (CsvRow & { autoOffset: boolean })[] = []
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/)
  lines.forEach((raw, index) => {
    const line = index + 1
    const expanded = expandVariables(raw, options.variables ?? {})
    if (!expanded.ok) {
      problems.push({ code: 'CSV_SYNTAX', severity: 'error', line, message: `line ${line}: ${expanded.message}` })
      return
    }
    const trimmed = expanded.text.trim()
    if (trimmed === '' || trimmed.startsWith('#')) return
    const row = parseRow(trimmed, line, tableOffset, options)
    if ('message' in row) problems.push({ code: 'CSV_SYNTAX', severity: 'error', line, message: `line ${line}: ${row.message}` })
    else rows.push(row)
  })

  // Place rows without an offset after the previous row, aligned for their type.
  let lastEnd = tableOffset + TABLE_SECTOR_SIZE
  for (const row of rows) {
    if (isFixedByBuild(row)) continue
    if (!row.autoOffset && row.offset < lastEnd) {
      problems.push({
        code: 'OVERLAP', severity: 'error', line: row.line,
        message: rows[0] === row
          ? `line ${row.line}: the first partition's offset 0x${row.offset.toString(16)} overlaps the partition table, which ends at 0x${lastEnd.toString(16)}`
          : `line ${row.line}: offset 0x${row.offset.toString(16)} overlaps the previous partition, which ends at 0x${lastEnd.toString(16)}`,
      })
    }
    if (row.autoOffset) {
      const align = offsetAlignment(row.type)
      if (lastEnd % align !== 0) lastEnd += align - (lastEnd % align)
      row.offset = lastEnd
    }
    // A negative size means "up to this end address".
    if (row.size < 0) row.size = -row.size - row.offset
    lastEnd = row.offset + row.size
  }
  return { entries: rows.map(({ autoOffset: _auto, ...row }) => row), problems }
}

function isFixedByBuild(row: PartitionEntry): boolean {
  return (row.type === TYPE_BOOTLOADER || row.type === TYPE_PARTITION_TABLE) && row.subtype === SUBTYPE_PRIMARY
}

function parseRow(text: string, line: number, tableOffset: number, options: CsvOptions): (CsvRow & { autoOffset: boolean }) | { message: string } {
  const fields = `${text},,,,`.split(',').map((field) => field.trim())
  const [name = '', typeText = '', subtypeText = '', offsetText = '', sizeText = '', flagsText = ''] = fields
  if (typeText === '') return { message: 'the type field is empty' }
  const type = parseGeneratorNumber(typeText, TYPES)
  if (!type.ok) return { message: `type ${type.message}` }
  let subtype: number
  if (subtypeText === '') {
    if (type.value === TYPE_APP) return { message: 'an app partition needs a subtype' }
    subtype = SUBTYPE_DATA_UNDEFINED
  } else {
    const parsed = parseGeneratorNumber(subtypeText, SUBTYPES[type.value] ?? {})
    if (!parsed.ok) return { message: `subtype ${parsed.message}` }
    subtype = parsed.value
  }

  // Bootloader and partition-table rows (ESP-IDF ≥ 5.4) take their place and size from the
  // build settings, whatever the CSV says, as gen_esp32part's parse_address/parse_size do.
  let offset: number | undefined
  if (type.value === TYPE_BOOTLOADER && subtype === SUBTYPE_PRIMARY) {
    if (options.bootloaderOffset === undefined) return { message: 'a primary bootloader row needs the bootloader offset (it depends on the chip)' }
    offset = options.bootloaderOffset
  } else if (type.value === TYPE_BOOTLOADER && subtype === SUBTYPE_BOOTLOADER_RECOVERY) {
    if (options.recoveryBootloaderOffset === undefined) return { message: 'a recovery bootloader row needs the recovery bootloader offset' }
    offset = options.recoveryBootloaderOffset
  } else if (type.value === TYPE_PARTITION_TABLE && subtype === SUBTYPE_PRIMARY) {
    offset = tableOffset
  } else if (offsetText !== '') {
    const parsed = parseGeneratorNumber(offsetText)
    if (!parsed.ok) return { message: `offset ${parsed.message}` }
    offset = parsed.value
  }

  let size: number
  if (type.value === TYPE_BOOTLOADER) {
    if (options.bootloaderOffset === undefined) return { message: 'a bootloader row needs the bootloader offset (it depends on the chip)' }
    size = tableOffset - options.bootloaderOffset
  } else if (type.value === TYPE_PARTITION_TABLE) {
    size = TABLE_SECTOR_SIZE
  } else {
    if (sizeText === '') return { message: 'the size field is empty' }
    const parsed = parseGeneratorNumber(sizeText)
    if (!parsed.ok) return { message: `size ${parsed.message}` }
    size = parsed.value
  }

  let flags = 0
  for (const flag of flagsText.split(':')) {
    if (flag === '') continue
    const bit = FLAGS[flag]
    if (bit === undefined || !Object.hasOwn(FLAGS, flag)) return { message: `unknown flag "${flag}" (known: ${Object.keys(FLAGS).join(', ')})` }
    flags |= 1 << bit
  }
  return { name, type: type.value, subtype, offset: offset ?? 0, size, flags, line, autoOffset: offset === undefined }
}

function expandVariables(text: string, variables: Readonly<Record<string, string>>): { ok: true; text: string } | { ok: false; message: string } {
  let unknown: string | undefined
  const expanded = text.replace(/(?<!\\)\$(?:\{([A-Za-z_]\w*)\}|([A-Za-z_]\w*))/g, (whole, braced: string | undefined, bare: string | undefined) => {
    const name = (braced ?? bare) as string
    if (Object.hasOwn(variables, name)) return variables[name] as string
    unknown ??= name
    return whole
  })
  return unknown === undefined ? { ok: true, text: expanded } : { ok: false, message: `unknown variable "${unknown}"` }
}

/** The generator's CSV output: hex offsets, sizes in M or K when whole, names for known types. */
export function formatPartitionCsv(entries: readonly PartitionEntry[]): string {
  const rows = ['# ESP-IDF Partition Table', '# Name, Type, SubType, Offset, Size, Flags']
  for (const entry of entries) {
    const flags = Object.keys(FLAGS).filter((flag) => (entry.flags & (1 << (FLAGS[flag] as number))) !== 0)
    rows.push([
      entry.name,
      typeName(entry.type) ?? String(entry.type),
      subtypeName(entry.type, entry.subtype) ?? String(entry.subtype),
      `0x${entry.offset.toString(16)}`,
      formatSize(entry.size),
      flags.join(':'),
    ].join(','))
  }
  return rows.join('\n') + '\n'
}

export function formatSize(size: number): string {
  if (size % 0x100000 === 0) return `${size / 0x100000}M`
  if (size % 0x400 === 0) return `${size / 0x400}K`
  return `0x${size.toString(16)}`
}
