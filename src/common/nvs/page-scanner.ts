// Reads the items of one page the way the firmware's Page::load does: walk the bitmap, step
// over each WRITTEN item by its span, and drop (here: report) anything inconsistent.
import {
  BITMAP_OFFSET, CHUNK_ANY, ENTRIES_PER_PAGE, ENTRY_SIZE, ENTRY_STATE, FIRST_ENTRY_OFFSET, ITEM_TYPE, PAGE_SIZE, integerTypeByCode,
} from './constants'
import { nvsCrc32, nvsEntryCrc32 } from './crc32'
import type { NvsProblem } from './read-types'

export interface RawItem {
  namespaceIndex: number
  type: number
  span: number
  chunkIndex: number
  key: string
  /** The 8-byte data field. */
  field: Uint8Array
  /** Payload of SZ / BLOB / BLOB_DATA items (exactly `size` bytes). */
  payload?: Uint8Array
  page: number
  entry: number
}

export interface PageScan {
  items: RawItem[]
  written: number
  erased: number
}

const VARIABLE_TYPES: ReadonlySet<number> = new Set([ITEM_TYPE.SZ, ITEM_TYPE.BLOB, ITEM_TYPE.BLOB_DATA])
const FIXED_TYPES: ReadonlySet<number> = new Set([ITEM_TYPE.FLOAT, ITEM_TYPE.DOUBLE, ITEM_TYPE.BLOB_IDX])

export function isKnownItemType(type: number): boolean {
  return VARIABLE_TYPES.has(type) || FIXED_TYPES.has(type) || integerTypeByCode(type) !== undefined
}

function entryState(image: Uint8Array, pageBase: number, index: number): number {
  const byte = image[pageBase + BITMAP_OFFSET + (index >> 2)] as number
  return (byte >> ((index & 3) * 2)) & 3
}

/** Key bytes up to the NUL; undefined when there is no NUL or a byte is not ASCII. */
export function decodeKey(raw: Uint8Array): string | undefined {
  const end = raw.indexOf(0)
  if (end < 0) return undefined
  let key = ''
  for (let i = 0; i < end; i++) {
    const byte = raw[i] as number
    if (byte >= 0x80) return undefined
    key += String.fromCharCode(byte)
  }
  return key
}

export function scanPage(image: Uint8Array, page: number, problems: NvsProblem[]): PageScan {
  const base = page * PAGE_SIZE
  const entryAt = (index: number) => image.subarray(base + FIRST_ENTRY_OFFSET + index * ENTRY_SIZE, base + FIRST_ENTRY_OFFSET + (index + 1) * ENTRY_SIZE)
  const items: RawItem[] = []
  let written = 0
  let erased = 0
  const report = (problem: Omit<NvsProblem, 'page'>) => problems.push({ ...problem, page })
  const crcOk = (index: number) => entryState(image, base, index) === ENTRY_STATE.WRITTEN && nvsEntryCrc32(entryAt(index)) === readU32(entryAt(index), 4)

  let index = 0
  while (index < ENTRIES_PER_PAGE) {
    const state = entryState(image, base, index)
    const entry = entryAt(index)
    if (state === ENTRY_STATE.EMPTY) {
      if (entry.some((byte) => byte !== 0xff)) {
        report({ code: 'entry-half-written', severity: 'warning', entry: index, message: `page ${page} entry ${index} is marked empty but holds data (an interrupted write); the firmware discards it` })
      }
      index++
      continue
    }
    if (state === ENTRY_STATE.ERASED) {
      erased++
      index++
      continue
    }
    if (state === ENTRY_STATE.ILLEGAL) {
      report({ code: 'entry-illegal', severity: 'warning', entry: index, message: `page ${page} entry ${index} has the illegal bitmap state 0b01; it is ignored` })
      index++
      continue
    }
    written++
    if (!crcOk(index)) {
      // The span of an item whose header fails its CRC cannot be trusted: the firmware erases the
      // entry and walks on, so its payload entries fail too. Report them as one problem.
      let following = 0
      while (index + 1 + following < ENTRIES_PER_PAGE && entryState(image, base, index + 1 + following) === ENTRY_STATE.WRITTEN && !crcOk(index + 1 + following)) following++
      const key = decodeKey(entry.subarray(8, 24))
      report({
        code: 'entry-crc', severity: 'error', entry: index, ...(key ? { key } : {}),
        message: `page ${page} entry ${index}${key ? ` ("${key}")` : ''}: header CRC mismatch${following ? ` (and ${following} following entries unreadable)` : ''}; the firmware erases it`,
      })
      written += following
      index += 1 + following
      continue
    }
    const namespaceIndex = entry[0] as number
    const type = entry[1] as number
    const span = entry[2] as number
    const chunkIndex = entry[3] as number
    const key = decodeKey(entry.subarray(8, 24))
    const spanInPage = span >= 1 && index + span <= ENTRIES_PER_PAGE ? span : 1
    const structure = (message: string, code: 'entry-structure' | 'unknown-type' | 'entry-key' = 'entry-structure') => {
      report({ code, severity: 'error', entry: index, ...(key ? { key } : {}), message: `page ${page} entry ${index}${key ? ` ("${key}")` : ''}: ${message}; the firmware erases it` })
    }
    if (key === undefined) {
      structure('the key is not NUL-terminated ASCII', 'entry-key')
      index += spanInPage
      continue
    }
    if (!isKnownItemType(type)) {
      structure(`unknown item type 0x${type.toString(16).padStart(2, '0')}`, 'unknown-type')
      index += spanInPage
      continue
    }
    const field = entry.slice(24, 32)
    if (!VARIABLE_TYPES.has(type)) {
      if (span !== 1) structure(`span ${span} on a fixed-size item (must be 1)`)
      else if (type === ITEM_TYPE.BLOB_IDX && chunkIndex !== CHUNK_ANY) structure(`blob index with chunk index ${chunkIndex} (must be 0xFF)`)
      else items.push({ namespaceIndex, type, span, chunkIndex, key, field, page, entry: index })
      index += 1
      continue
    }
    const size = readU16(field, 0)
    const expectedSpan = 1 + Math.ceil(size / ENTRY_SIZE)
    if (span !== expectedSpan || index + span > ENTRIES_PER_PAGE) {
      structure(`span ${span} does not match its ${size}-byte payload or runs past the page`)
      index += 1
      continue
    }
    if (type === ITEM_TYPE.BLOB_DATA && chunkIndex === CHUNK_ANY) {
      structure('blob chunk without a chunk index')
      index += span
      continue
    }
    let allWritten = true
    for (let i = index + 1; i < index + span; i++) if (entryState(image, base, i) !== ENTRY_STATE.WRITTEN) allWritten = false
    if (!allWritten) {
      structure('some entries of its payload are not marked written (an interrupted write)')
      index += 1
      continue
    }
    written += span - 1
    const start = base + FIRST_ENTRY_OFFSET + (index + 1) * ENTRY_SIZE
    const payload = image.slice(start, start + size)
    if (nvsCrc32(payload) !== readU32(field, 4)) {
      report({ code: 'data-crc', severity: 'error', entry: index, key, message: `page ${page} entry ${index} ("${key}"): the stored data fails its CRC; the firmware will not return it` })
    } else {
      items.push({ namespaceIndex, type, span, chunkIndex, key, field, payload, page, entry: index })
    }
    index += span
  }
  return { items, written, erased }
}

export function readU16(bytes: Uint8Array, offset: number): number {
  return (bytes[offset] as number) | ((bytes[offset + 1] as number) << 8)
}

export function readU32(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset] as number) | ((bytes[offset + 1] as number) << 8) | ((bytes[offset + 2] as number) << 16) | ((bytes[offset + 3] as number) << 24)) >>> 0
}
