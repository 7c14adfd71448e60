// Reads any NVS partition into namespace/key/type/value entries, as the firmware would see
// them after loading, and lists every problem found instead of throwing. Accepts both
// generator layouts (ACTIVE last page, or the older all-FULL one), firmware-written pages
// (erased entries, FREEING pages, chunk start 0x80), v1 and v2 blobs, and all-0xFF partitions.
import {
  FORMAT_VERSION, ITEM_TYPE, MAX_NAMESPACES, PAGE_SIZE, PAGE_STATE, integerTypeByCode, pageStateName, INTEGER_TYPES,
} from './constants'
import { nvsCrc32 } from './crc32'
import { readU16, readU32, scanPage, type RawItem } from './page-scanner'
import type { NvsEntry, NvsPageInfo, NvsProblem, NvsReadResult } from './read-types'

const utf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true })

export function readNvsPartition(image: Uint8Array): NvsReadResult {
  const problems: NvsProblem[] = []
  const pages: NvsPageInfo[] = []
  if (image.length % PAGE_SIZE !== 0 || image.length === 0) {
    problems.push({
      code: 'partition-size', severity: 'error',
      message: image.length === 0
        ? 'the partition image is empty (0 bytes)'
        : `the partition is ${image.length} bytes, not a whole number of 4096-byte pages; ${image.length % PAGE_SIZE} trailing bytes are ignored`,
    })
  }
  const readable: { page: number; sequence: number }[] = []
  for (let page = 0; page < Math.floor(image.length / PAGE_SIZE); page++) {
    const info = readPageHeader(image, page, problems)
    pages.push(info)
    if (info.readable) readable.push({ page, sequence: info.sequence as number })
  }
  // The firmware orders pages by sequence number, not by position.
  readable.sort((a, b) => a.sequence - b.sequence || a.page - b.page)
  for (let i = 1; i < readable.length; i++) {
    const [previous, current] = [readable[i - 1], readable[i]] as [typeof readable[0], typeof readable[0]]
    if (previous.sequence === current.sequence) {
      problems.push({ code: 'page-sequence', severity: 'warning', page: current.page, message: `pages ${previous.page} and ${current.page} have the same sequence number ${current.sequence}` })
    }
  }
  const items: RawItem[] = []
  for (const { page } of readable) {
    const scan = scanPage(image, page, problems)
    const info = pages[page] as NvsPageInfo
    info.written = scan.written
    info.erased = scan.erased
    items.push(...scan.items)
  }
  const latest = dropOlderDuplicates(items, problems)
  const namespaces = buildNamespaceTable(latest, problems)
  const entries = resolveEntries(latest, namespaces, problems)
  return { entries, problems, pages, namespaces: [...namespaces].map(([index, name]) => ({ name, index })) }
}

function readPageHeader(image: Uint8Array, page: number, problems: NvsProblem[]): NvsPageInfo {
  const base = page * PAGE_SIZE
  const stateValue = readU32(image, base)
  const state = pageStateName(stateValue)
  const info: NvsPageInfo = { page, state, written: 0, erased: 0, readable: false }
  if (stateValue === PAGE_STATE.UNINITIALIZED) {
    if (image.subarray(base, base + PAGE_SIZE).some((byte) => byte !== 0xff)) {
      problems.push({ code: 'page-corrupt', severity: 'warning', page, message: `page ${page} has no header but is not blank; the firmware erases it and reuses it` })
    }
    return info
  }
  if (state !== 'active' && state !== 'full' && state !== 'freeing') {
    problems.push({ code: 'page-state', severity: 'error', page, message: `page ${page} has state 0x${stateValue.toString(16).padStart(8, '0')} (${state}); the firmware treats it as corrupt and erases it` })
    return info
  }
  const stored = readU32(image, base + 28)
  const computed = nvsCrc32(image, base + 4, base + 28)
  if (stored !== computed) {
    problems.push({
      code: 'page-header-crc', severity: 'error', page,
      message: `page ${page} header CRC mismatch: stored 0x${stored.toString(16).padStart(8, '0')}, computed 0x${computed.toString(16).padStart(8, '0')}; the firmware treats the page as corrupt`,
    })
    return info
  }
  const version = image[base + 8] as number
  if (version !== FORMAT_VERSION.V1 && version !== FORMAT_VERSION.V2) {
    problems.push({ code: 'page-version', severity: 'error', page, message: `page ${page} uses NVS format byte 0x${version.toString(16)}, newer than this reader (0xFE) knows; it is skipped` })
    return info
  }
  return { ...info, sequence: readU32(image, base + 4), formatVersion: 0x100 - version, readable: true }
}

/** Like the firmware at load: of items with the same namespace, key and chunk index, the newest wins. */
function dropOlderDuplicates(items: RawItem[], problems: NvsProblem[]): RawItem[] {
  const newest = new Map<string, number>()
  items.forEach((item, position) => newest.set(`${item.namespaceIndex}\0${item.key}\0${item.chunkIndex}`, position))
  return items.filter((item, position) => {
    const kept = newest.get(`${item.namespaceIndex}\0${item.key}\0${item.chunkIndex}`) === position
    if (!kept) {
      problems.push({
        code: 'duplicate', severity: 'warning', page: item.page, entry: item.entry, key: item.key,
        message: `page ${item.page} entry ${item.entry}: "${item.key}" is stored again later; the older copy is ignored`,
      })
    }
    return kept
  })
}

function buildNamespaceTable(items: RawItem[], problems: NvsProblem[]): Map<number, string> {
  const table = new Map<number, string>()
  const byName = new Map<string, number>()
  for (const item of items) {
    if (item.namespaceIndex !== 0) continue
    const index = item.field[0] as number
    const where = `page ${item.page} entry ${item.entry}`
    if (item.type !== ITEM_TYPE.U8 || index < 1 || index > MAX_NAMESPACES) {
      problems.push({ code: 'namespace', severity: 'error', page: item.page, entry: item.entry, message: `${where}: namespace "${item.key}" has an invalid entry (type 0x${item.type.toString(16)}, index ${index})` })
      continue
    }
    const other = byName.get(item.key)
    if (other !== undefined && other !== index) {
      problems.push({
        code: 'namespace', severity: 'error', page: item.page, entry: item.entry, namespace: item.key,
        message: `${where}: namespace "${item.key}" is defined twice (index ${other} and ${index}); the firmware may open either`,
      })
    }
    table.set(index, item.key)
    if (other === undefined) byName.set(item.key, index)
  }
  return table
}

function resolveEntries(items: RawItem[], namespaces: Map<number, string>, problems: NvsProblem[]): NvsEntry[] {
  const chunks = new Map<string, RawItem>()
  for (const item of items) if (item.type === ITEM_TYPE.BLOB_DATA) chunks.set(`${item.namespaceIndex}\0${item.key}\0${item.chunkIndex}`, item)
  const usedChunks = new Set<RawItem>()
  const entries: NvsEntry[] = []
  const missingNamespaces = new Set<number>()
  for (const item of items) {
    if (item.namespaceIndex === 0 || item.type === ITEM_TYPE.BLOB_DATA) continue
    let namespace = namespaces.get(item.namespaceIndex)
    if (namespace === undefined) {
      namespace = `#${item.namespaceIndex}`
      if (!missingNamespaces.has(item.namespaceIndex)) {
        missingNamespaces.add(item.namespaceIndex)
        problems.push({ code: 'namespace', severity: 'error', page: item.page, entry: item.entry, message: `page ${item.page} entry ${item.entry}: "${item.key}" belongs to namespace index ${item.namespaceIndex}, which has no namespace entry; the firmware cannot open it` })
      }
    }
    const base = { namespace, key: item.key, location: { page: item.page, entry: item.entry } }
    const integer = integerTypeByCode(item.type)
    if (integer) {
      const { bytes, signed } = INTEGER_TYPES[integer]
      let raw = 0n
      for (let i = bytes - 1; i >= 0; i--) raw = (raw << 8n) | BigInt(item.field[i] as number)
      const value = signed ? BigInt.asIntN(bytes * 8, raw) : raw
      entries.push({ ...base, type: integer, value: bytes === 8 ? value : Number(value) })
      continue
    }
    const view = new DataView(item.field.buffer, item.field.byteOffset, 8)
    switch (item.type) {
      case ITEM_TYPE.FLOAT:
        entries.push({ ...base, type: 'float', value: view.getFloat32(0, true) })
        break
      case ITEM_TYPE.DOUBLE:
        entries.push({ ...base, type: 'double', value: view.getFloat64(0, true) })
        break
      case ITEM_TYPE.SZ:
        entries.push({ ...base, type: 'string', value: decodeString(item, namespace, problems) })
        break
      case ITEM_TYPE.BLOB:
        entries.push({ ...base, type: 'blob', value: item.payload as Uint8Array, blobFormat: 'v1' })
        break
      case ITEM_TYPE.BLOB_IDX: {
        const value = assembleBlob(item, namespace, chunks, usedChunks, problems)
        if (value) entries.push({ ...base, type: 'blob', value, blobFormat: 'v2' })
        break
      }
    }
  }
  for (const chunk of chunks.values()) {
    if (usedChunks.has(chunk)) continue
    problems.push({
      code: 'blob-orphan', severity: 'warning', page: chunk.page, entry: chunk.entry, key: chunk.key,
      message: `page ${chunk.page} entry ${chunk.entry}: chunk ${chunk.chunkIndex} of blob "${chunk.key}" belongs to no blob index; the firmware erases it`,
    })
  }
  return entries
}

function decodeString(item: RawItem, namespace: string, problems: NvsProblem[]): string {
  const payload = item.payload as Uint8Array
  const nul = payload.indexOf(0)
  if (nul !== payload.length - 1) {
    problems.push({
      code: 'string-format', severity: 'warning', page: item.page, entry: item.entry, namespace, key: item.key,
      message: `page ${item.page} entry ${item.entry}: string "${item.key}" ${nul < 0 ? 'has no terminating NUL' : 'has a NUL before its end'}; shown up to the first NUL`,
    })
  }
  const text = payload.subarray(0, nul < 0 ? payload.length : nul)
  const value = utf8.decode(text)
  if (!isValidUtf8(text)) {
    problems.push({ code: 'string-format', severity: 'warning', page: item.page, entry: item.entry, namespace, key: item.key, message: `page ${item.page} entry ${item.entry}: string "${item.key}" is not valid UTF-8; invalid bytes are shown as \uFFFD` })
  }
  return value
}

function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes)
    return true
  } catch {
    return false
  }
}

function assembleBlob(index: RawItem, namespace: string, chunks: Map<string, RawItem>, used: Set<RawItem>, problems: NvsProblem[]): Uint8Array | undefined {
  const size = readU32(index.field, 0)
  const count = index.field[4] as number
  const start = index.field[5] as number
  const parts: RawItem[] = []
  const fail = (message: string) => {
    problems.push({ code: 'blob-incomplete', severity: 'error', page: index.page, entry: index.entry, namespace, key: index.key, message: `page ${index.page} entry ${index.entry}: blob "${index.key}" ${message}; the firmware erases it` })
    return undefined
  }
  for (let chunk = start; chunk < start + count; chunk++) {
    const part = chunks.get(`${index.namespaceIndex}\0${index.key}\0${chunk}`)
    if (!part) return fail(`is missing chunk ${chunk} of ${start}…${start + count - 1}`)
    parts.push(part)
  }
  const total = parts.reduce((sum, part) => sum + readU16(part.field, 0), 0)
  if (total !== size) return fail(`has ${total} bytes in its chunks but its index says ${size}`)
  const value = new Uint8Array(size)
  let offset = 0
  for (const part of parts) {
    value.set(part.payload as Uint8Array, offset)
    offset += (part.payload as Uint8Array).length
    used.add(part)
  }
  return value
}
