// Splits a merged flash image (esptool merge_bin, raw format) back into its parts by
// structure: the bootloader where its chip's ROM looks for it, the partition table by its
// entry magic, and each partition's contents. Erased flash reads 0xFF, so trailing 0xFF
// bytes are dropped from every part: writing them or not leaves the same flash.
import { parseImage, type ImageInfo } from '../app-image'
import { CHIPS, chipById, chipByName, type ChipDef } from '../esp/chips'
import { DEFAULT_TABLE_OFFSET, decodePartitionTable, TABLE_MAX_LENGTH, TYPE_APP, TYPE_DATA, type PartitionEntry } from '../partition-table'
import type { Bundle, BundlePart, BundleProblem } from './model'

export interface SplitOptions {
  /** The chip, when known; otherwise the bootloader header tells. */
  chip?: string
  /** Flash address of the file's first byte (esptool's --target-offset); found from the structure when omitted. */
  targetOffset?: number
  /** Name for messages. */
  source?: string
}

const SECTOR = 0x1000
/** The table is looked for on sector boundaries up to here (CONFIG_PARTITION_TABLE_OFFSET stays small). */
const TABLE_SEARCH_LIMIT = 0x100000

export function splitMergedImage(bytes: Uint8Array, options: SplitOptions = {}): Bundle {
  const source = options.source ?? 'merged image'
  const problems: BundleProblem[] = []
  const bundle: Bundle = { source, flash: {}, parts: [], problems }
  const parts = bundle.parts

  const boot = findBootloader(bytes, options)
  if (!boot) {
    const single = tryParse(bytes)
    problems.push(single?.flashMapped
      ? { code: 'NOT_MERGED', severity: 'error', message: `${source} is a single app image, not a merged flash image; give its flash offset, e.g. 0x10000=${source}` }
      : { code: 'NOT_MERGED', severity: 'error', message: `${source} does not start with a bootloader where any chip looks for one; it is not a merged flash image` })
    return bundle
  }
  const { chip, targetOffset, info } = boot
  bundle.chip = chip.name
  const header = info.header
  if (header.flashMode) bundle.flash.mode = header.flashMode.toLowerCase()
  if (header.flashSize) bundle.flash.size = header.flashSize
  if (header.flashFreq) bundle.flash.freq = header.flashFreq
  const at = (flashOffset: number) => flashOffset - targetOffset

  const table = findPartitionTable(bytes, at(chip.bootloaderOffset) + info.imageLength, targetOffset)
  const bootloaderEnd = table ? at(table.offset) : Math.min(bytes.length, at(DEFAULT_TABLE_OFFSET))
  parts.push(part(bytes, chip.bootloaderOffset, at(chip.bootloaderOffset), bootloaderEnd, info.imageLength, 'bootloader', 'bootloader'))
  if (!table) {
    problems.push({ code: 'NO_PARTITION_TABLE', severity: 'error', message: `${source} has no partition table after the bootloader` })
    return bundle
  }
  bundle.partitionTableOffset = table.offset
  parts.push(part(bytes, table.offset, at(table.offset), at(table.offset) + TABLE_MAX_LENGTH, TABLE_MAX_LENGTH, 'partition-table', 'partition-table'))

  for (const entry of table.entries) {
    const start = at(entry.offset)
    if (start < 0 || start >= bytes.length) continue
    const end = Math.min(bytes.length, start + entry.size)
    const isApp = entry.type === TYPE_APP && bytes[start] === 0xe9
    const minimum = isApp ? (tryParse(bytes.subarray(start, end))?.imageLength ?? 0) : 0
    const found = part(bytes, entry.offset, start, end, minimum, entry.name, isApp ? 'app' : kindOfData(entry))
    if (found.bytes.length > 0) parts.push(found)
  }

  reportStrayBytes(bytes, parts, targetOffset, source, problems)
  return bundle
}

function findBootloader(bytes: Uint8Array, options: SplitOptions): { chip: ChipDef; targetOffset: number; info: ImageInfo } | undefined {
  // The given chip is tried first; if its bootloader is not there, any chip's is taken, so
  // validation can say "built for esp32, the device is an esp32c3" instead of "not merged".
  const wanted = options.chip === undefined ? undefined : chipByName(options.chip)
  const candidates = wanted ? [wanted, ...CHIPS.filter((chip) => chip !== wanted)] : CHIPS
  const targets = options.targetOffset !== undefined ? [options.targetOffset] : [0, ...new Set(candidates.map((chip) => chip.bootloaderOffset))]
  for (const targetOffset of targets) {
    for (const chip of candidates) {
      const start = chip.bootloaderOffset - targetOffset
      if (start < 0 || start >= bytes.length || bytes[start] !== 0xe9) continue
      const info = tryParse(bytes.subarray(start))
      if (!info || info.flashMapped || info.header.chipId !== chip.imageChipId) continue
      return { chip: chipById(info.header.chipId) as ChipDef, targetOffset, info }
    }
  }
  return undefined
}

function findPartitionTable(bytes: Uint8Array, after: number, targetOffset: number): { offset: number; entries: PartitionEntry[] } | undefined {
  const fileStart = Math.ceil(after / SECTOR) * SECTOR
  const preferred = DEFAULT_TABLE_OFFSET - targetOffset
  const starts = [preferred]
  for (let start = fileStart; start < Math.min(bytes.length, TABLE_SEARCH_LIMIT); start += SECTOR) if (start !== preferred) starts.push(start)
  for (const start of starts) {
    if (start < 0 || start + 32 > bytes.length || bytes[start] !== 0xaa || bytes[start + 1] !== 0x50) continue
    const decoded = decodePartitionTable(bytes.subarray(start, start + TABLE_MAX_LENGTH))
    if (decoded.entries.length > 0 && !decoded.problems.some((problem) => problem.severity === 'error')) {
      return { offset: start + targetOffset, entries: decoded.entries }
    }
  }
  return undefined
}

/** The bytes in [start, end) without trailing 0xFF, but never shorter than `minimum`. */
function part(bytes: Uint8Array, offset: number, start: number, end: number, minimum: number, name: string, kind: BundlePart['kind']): BundlePart {
  let last = Math.min(end, bytes.length)
  while (last > start + minimum && bytes[last - 1] === 0xff) last--
  return { offset, name, kind, bytes: bytes.slice(start, Math.max(last, Math.min(start + minimum, bytes.length))) }
}

function kindOfData(entry: PartitionEntry): BundlePart['kind'] {
  return entry.type === TYPE_DATA && entry.subtype === 0 ? 'otadata' : 'data'
}

function reportStrayBytes(bytes: Uint8Array, parts: readonly BundlePart[], targetOffset: number, source: string, problems: BundleProblem[]): void {
  const covered = parts.map((p) => [p.offset - targetOffset, p.offset - targetOffset + p.bytes.length] as const).sort((a, b) => a[0] - b[0])
  let position = 0
  for (const [start, end] of [...covered, [bytes.length, bytes.length] as const]) {
    for (let i = position; i < start; i++) {
      if (bytes[i] !== 0xff) {
        problems.push({ code: 'UNACCOUNTED_BYTES', severity: 'warning', message: `${source} has data at 0x${(i + targetOffset).toString(16)} outside the bootloader, the table and every partition; it is not written` })
        return
      }
    }
    position = Math.max(position, end)
  }
}

function tryParse(bytes: Uint8Array): ImageInfo | undefined {
  try {
    return parseImage(bytes)
  } catch {
    return undefined
  }
}
