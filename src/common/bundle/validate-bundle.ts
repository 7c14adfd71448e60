// Checks a bundle before anything is written: files present, no two parts in one 4 KiB
// sector, every image built for the target chip and intact, the bootloader where the chip
// looks for it, an app image wherever the table has an app partition and a partition table
// where the bootloader reads it (unless the part is marked raw), every app inside its
// partition, and everything inside the flash.
import { checkImageForChip, IMAGE_MAGIC, isFatalImageProblem, parseImage, type ImageInfo } from '../app-image'
import { PairKitError } from '../errors'
import { chipById, chipByName } from '../esp/chips'
import { parseFlashSize } from '../esp/flash-size'
import { hex } from '../hex'
import {
  DEFAULT_TABLE_OFFSET, decodePartitionTable, TYPE_APP, validatePartitionTable, type DecodedTable, type PartitionEntry,
} from '../partition-table'
import { sortedParts, type Bundle, type BundlePart, type BundleProblem } from './model'

export const SECTOR_SIZE = 0x1000
/** Where ESP-IDF puts the (factory) app when the bundle brings no partition table. */
export const DEFAULT_APP_OFFSET = 0x10000
/** The first two bytes of a partition table's first row. */
const TABLE_ENTRY_MAGIC = [0xaa, 0x50] as const

export interface ValidateBundleOptions {
  /** The device's chip; overrides the bundle's own. */
  chip?: string
  /** The device's flash size in bytes; overrides the bundle's flash settings. */
  flashSize?: number
}

export interface BundleReport {
  ok: boolean
  chip?: string
  flashSize?: number
  problems: BundleProblem[]
  images: { part: string; info: ImageInfo }[]
  partitionTable?: { part: string; table: DecodedTable }
}

export function validateBundle(bundle: Bundle, options: ValidateBundleOptions = {}): BundleReport {
  const problems: BundleProblem[] = [...bundle.problems]
  const add = (problem: BundleProblem) => problems.push(problem)
  const parts = sortedParts(bundle.parts)
  const images: BundleReport['images'] = []

  for (const part of parts) {
    if (part.offset % SECTOR_SIZE !== 0) {
      add({ code: 'MISALIGNED', severity: 'error', part: part.name, message: `${part.name} is at ${hex(part.offset)}, which is not on a 4 KiB sector boundary` })
    }
  }
  for (let i = 1; i < parts.length; i++) {
    const before = parts[i - 1] as BundlePart
    const after = parts[i] as BundlePart
    const lastSector = Math.floor((before.offset + Math.max(before.bytes.length, 1) - 1) / SECTOR_SIZE)
    if (Math.floor(after.offset / SECTOR_SIZE) <= lastSector) {
      add({
        code: 'SECTOR_OVERLAP', severity: 'error', part: after.name,
        message: `${before.name} (${hex(before.offset)}–${hex(before.offset + before.bytes.length - 1)}) and ${after.name} (at ${hex(after.offset)}) share a 4 KiB sector; writing one would erase part of the other`,
      })
    }
  }

  // What belongs where: the table where the bootloader reads it, an app at every app
  // partition's start (the factory app's usual place when the bundle has no table).
  const tablePart = parts.find((part) => part.kind === 'partition-table')
  const tableOffset = tablePart?.offset ?? bundle.partitionTableOffset ?? DEFAULT_TABLE_OFFSET
  const table = tablePart ? decodePartitionTable(tablePart.bytes) : undefined
  const appOffsets = new Set(table && table.entries.length > 0 ? table.entries.filter((entry) => entry.type === TYPE_APP).map((entry) => entry.offset) : [DEFAULT_APP_OFFSET])
  const roleOf = (part: BundlePart): BundlePart['kind'] => {
    if (part.raw) return part.kind
    if (part.offset === tableOffset) return 'partition-table'
    if (appOffsets.has(part.offset)) return 'app'
    return part.kind
  }
  const notAnImage = (part: BundlePart) => part.bytes[0] !== IMAGE_MAGIC
  for (const part of parts) {
    const role = roleOf(part)
    if (role === 'partition-table' && part.kind !== 'partition-table') {
      add({ code: 'NOT_A_PARTITION_TABLE', severity: 'error', part: part.name, message: notATable(part) })
    }
    if (role === 'app' && notAnImage(part)) add({ code: 'NOT_AN_APP_IMAGE', severity: 'error', part: part.name, message: notAnApp(part) })
  }

  // Images: intact, and all for one chip.
  for (const part of parts) {
    const role = roleOf(part)
    if (role !== 'bootloader' && role !== 'app') continue
    if (role === 'app' && notAnImage(part)) continue // reported above
    try {
      const info = parseImage(part.bytes)
      images.push({ part: part.name, info })
      for (const problem of info.problems.filter(isFatalImageProblem)) {
        add({ code: 'BAD_IMAGE', severity: 'error', part: part.name, message: `${part.name}: ${problem.message}` })
      }
      const misplaced = wrongRole(role, info)
      if (misplaced) add({ code: 'BAD_IMAGE', severity: 'error', part: part.name, message: `${part.name}: ${misplaced}` })
    } catch (error) {
      add({ code: 'BAD_IMAGE', severity: 'error', part: part.name, message: `${part.name}: ${error instanceof Error ? error.message : String(error)}` })
    }
  }
  const chipName = options.chip ?? bundle.chip ?? imageChip(images)
  const chip = chipName === undefined ? undefined : chipByName(chipName)
  // Data alone (an NVS image at the nvs partition) is the same bytes on every chip.
  const needsChip = parts.some((part) => ['bootloader', 'app'].includes(roleOf(part)))
  if (!chip && (needsChip || chipName !== undefined)) {
    add({ code: 'NO_CHIP', severity: 'error', message: chipName === undefined ? 'the target chip is unknown' : `"${chipName}" is not a chip PairKit knows` })
  }
  if (chip) {
    for (const { part, info } of images) {
      for (const problem of checkImageForChip(info.header, { chip: chip.name })) {
        add({ code: 'CHIP_MISMATCH', severity: 'error', part, message: `${part}: ${problem.message}` })
      }
    }
    const bootloader = parts.find((part) => roleOf(part) === 'bootloader')
    if (bootloader && bootloader.offset !== chip.bootloaderOffset) {
      add({ code: 'BOOTLOADER_OFFSET', severity: 'error', part: bootloader.name, message: `${bootloader.name} is at ${hex(bootloader.offset)}, but an ${chip.name} boots from ${hex(chip.bootloaderOffset)}` })
    }
  }

  const flashSize = options.flashSize ?? (bundle.flash.size === undefined ? undefined : parseFlashSize(bundle.flash.size))
  if (flashSize !== undefined) {
    for (const part of parts) {
      if (part.offset + part.bytes.length > flashSize) {
        add({ code: 'TOO_LARGE_FOR_FLASH', severity: 'error', part: part.name, message: `${part.name} ends at ${hex(part.offset + part.bytes.length)}, beyond the ${flashSize / 0x100000} MB flash` })
      }
    }
  }

  // The partition table, and every other part inside a partition of its own.
  let partitionTable: BundleReport['partitionTable']
  if (!tablePart || !table) {
    if (parts.some((part) => part.kind === 'app')) add({ code: 'NO_PARTITION_TABLE', severity: 'warning', message: 'the bundle has no partition table; the one on the device must match the apps' })
  } else {
    partitionTable = { part: tablePart.name, table }
    const tableProblems = [...table.problems, ...validatePartitionTable(table.entries, { tableOffset: tablePart.offset, flashSize })]
    for (const problem of tableProblems) {
      add({ code: 'BAD_PARTITION_TABLE', severity: problem.severity, part: tablePart.name, message: `${tablePart.name}: ${problem.message}` })
    }
    for (const part of parts) {
      const role = roleOf(part)
      if (role === 'bootloader' || part === tablePart) continue
      checkInsidePartition({ ...part, kind: role }, table.entries, add)
    }
  }

  return {
    ok: !problems.some((problem) => problem.severity === 'error'),
    ...(chip ? { chip: chip.name } : {}),
    ...(flashSize === undefined ? {} : { flashSize }),
    problems,
    images,
    ...(partitionTable ? { partitionTable } : {}),
  }
}

function checkInsidePartition(part: BundlePart, entries: readonly PartitionEntry[], add: (problem: BundleProblem) => void): void {
  const home = entries.find((entry) => entry.offset <= part.offset && part.offset < entry.offset + entry.size)
  if (!home) {
    add({ code: 'NO_PARTITION', severity: part.kind === 'app' ? 'error' : 'warning', part: part.name, message: `${part.name} is written at ${hex(part.offset)}, where the partition table has no partition` })
    return
  }
  if (part.kind === 'app' && home.offset !== part.offset) {
    add({ code: 'NO_PARTITION', severity: 'error', part: part.name, message: `${part.name} is at ${hex(part.offset)}, inside partition "${home.name}" which starts at ${hex(home.offset)}; an app must start its partition` })
  }
  const end = part.offset + part.bytes.length
  if (end > home.offset + home.size) {
    add({
      code: 'TOO_LARGE_FOR_PARTITION', severity: 'error', part: part.name,
      message: `${part.name} (${part.bytes.length} bytes) does not fit partition "${home.name}" (${home.size} bytes from ${hex(home.offset)}); it is ${end - home.offset - home.size} bytes too large`,
    })
  }
}

/**
 * Data where an app partition starts: the bootloader would refuse to boot it. Problems say
 * what to do in words every front end can show; each adds how (the CLI its --raw flag).
 */
function notAnApp(part: BundlePart): string {
  const found = part.bytes.length === 0 ? 'it is empty' : `its first byte is ${hexByte(part.bytes[0] as number)}`
  return `${hex(part.offset)} ${part.name} is not an ESP app image (${found}, an image starts with ${hexByte(IMAGE_MAGIC)}): pick the app .bin from the build folder, or write it as raw data`
}

/** Anything but a table where the bootloader reads the partition table: the device would not boot. */
function notATable(part: BundlePart): string {
  const found = part.bytes.length === 0 ? 'it is empty' : `its first bytes are ${Array.from(part.bytes.subarray(0, 2), hexByte).join(' ')}`
  const expected = TABLE_ENTRY_MAGIC.map(hexByte).join(' ')
  return `${hex(part.offset)} ${part.name} is not a partition table (${found}, a table starts with ${expected}): pick partition-table.bin from the build folder (build/partition_table/), or write it as raw data`
}

function hexByte(value: number): string {
  return `0x${value.toString(16).toUpperCase().padStart(2, '0')}`
}

/** An app where the bootloader belongs, or the other way round: the device would not boot. */
function wrongRole(role: BundlePart['kind'], info: ImageInfo): string | undefined {
  const project = info.appDescriptor ? ` (${info.appDescriptor.projectName})` : ''
  if (role === 'bootloader' && (info.kind === 'app' || info.flashMapped)) return `this is an app image${project}, not a bootloader`
  if (role === 'app' && info.kind === 'bootloader') return 'this is a bootloader image, not an app'
  // Only judged where the chip's memory map is known (some segment has a memory type).
  const mapped = info.segments.some((segment) => segment.memoryTypes.length > 0)
  if (role === 'app' && mapped && !info.flashMapped) return 'this image has no code mapped from flash: it is a bootloader or RAM-only image, not an app'
  return undefined
}

function imageChip(images: BundleReport['images']): string | undefined {
  for (const { info } of images) {
    const chip = chipById(info.header.chipId)
    if (chip) return chip.name
  }
  return undefined
}

/** Throws the first error of a report as a PairKitError, for callers that must stop. */
export function throwIfBundleInvalid(report: BundleReport): void {
  const error = report.problems.find((problem) => problem.severity === 'error')
  if (!error) return
  const code = error.code === 'CHIP_MISMATCH' ? 'IMAGE_CHIP_MISMATCH' : error.code === 'TOO_LARGE_FOR_FLASH' ? 'FLASH_TOO_SMALL' : error.code === 'FILE_MISSING' ? 'NOT_FOUND' : 'BAD_INPUT'
  throw new PairKitError(code, error.message)
}
