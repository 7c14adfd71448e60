// Lays items out on pages exactly as esp-idf-nvs-partition-gen v0.2.0 does (see the format
// reference, "How the generator lays out a partition"): pages are filled in order, an item
// that does not fit closes the page (FULL) and opens the next, space left behind is never
// reused, the last page with data stays ACTIVE and the rest of the partition is all 0xFF.
import { PairKitError } from '../errors'
import {
  CHUNK_ANY, CHUNK_MAX_SIZE, ENTRIES_PER_PAGE, ENTRY_SIZE, FORMAT_VERSION, INTEGER_TYPES, ITEM_TYPE, MAX_NAMESPACES, PAGE_SIZE,
  type IntegerTypeName,
} from './constants'
import { nvsCrc32 } from './crc32'
import { newItemHeader, PageWriter, sealItemHeader } from './page-writer'

/** Largest v1 blob (and v1 string) the generator accepts: it keeps v1 items well inside a page. */
const V1_MAX_VARLEN_SIZE = 1984

/** Thrown inside the builder when the current page cannot take the item; the caller retries on a new page. */
class PageFull extends Error {}

export class NvsImageBuilder {
  private readonly pages: PageWriter[] = []
  private current: PageWriter
  /** Bytes of the requested size not yet given to a page. */
  private budget: number
  private sequence = -1
  private readonly versionByte: number
  private namespaceCount = 0
  private readonly namespaces = new Map<string, number>()

  constructor(
    budget: number,
    readonly version: 1 | 2,
    private readonly readOnly: boolean,
  ) {
    this.budget = budget
    this.versionByte = version === 1 ? FORMAT_VERSION.V1 : FORMAT_VERSION.V2
    this.current = this.openPage()
  }

  /**
   * The namespace index data rows get. Generator v0.2.0 uses the most recently *created*
   * namespace, so re-opening an earlier name puts the keys into the wrong namespace; we keep
   * that so images stay byte-identical (the reader and the config code never repeat names).
   */
  get dataNamespaceIndex(): number {
    return this.namespaceCount
  }

  writeNamespace(name: Uint8Array, label: string): void {
    if (this.namespaces.has(label)) return // a revisit writes nothing (and, see above, changes nothing)
    if (this.namespaceCount >= MAX_NAMESPACES) {
      throw new PairKitError('BAD_INPUT', `namespace "${label}" would be number ${this.namespaceCount + 1}; NVS holds at most ${MAX_NAMESPACES}`)
    }
    this.namespaceCount++
    this.namespaces.set(label, this.namespaceCount)
    this.retryOnNewPage(() => this.writeInteger(0, name, BigInt(this.namespaceCount), 'u8'))
  }

  writeIntegerItem(namespaceIndex: number, key: Uint8Array, value: bigint, type: IntegerTypeName): void {
    this.retryOnNewPage(() => this.writeInteger(namespaceIndex, key, value, type))
  }

  /** A string (payload includes its NUL) or a blob; `where` names the row in error messages. */
  writeVariableItem(namespaceIndex: number, key: Uint8Array, data: Uint8Array, kind: 'string' | 'blob', where: string): void {
    const limit = this.version === 1 ? V1_MAX_VARLEN_SIZE : CHUNK_MAX_SIZE
    if ((this.version === 1 || kind === 'string') && data.length > limit) {
      throw new PairKitError('BAD_INPUT', `${where}: ${data.length} bytes is more than the ${limit} a ${kind} can hold${this.version === 1 ? ' in format version 1' : ''}`)
    }
    try {
      this.retryOnNewPage(() => this.writeVariable(namespaceIndex, key, data, kind))
    } catch (error) {
      if (error instanceof PageFull) {
        // The generator's fit test is ">= 126 entries", so even an empty page takes at most 3967 string bytes + NUL.
        throw new PairKitError('BAD_INPUT', `${where}: ${data.length} bytes do not fit on one NVS page (at most ${(ENTRIES_PER_PAGE - 2) * ENTRY_SIZE} here)`)
      }
      throw error
    }
  }

  /** The finished image: unused pages up to the requested size, and the reserved page, are all 0xFF. */
  finish(): Uint8Array {
    if (!this.readOnly) {
      while (this.budget > 0) this.openPage({ blank: true })
      this.openPage({ blank: true, reserved: true })
    }
    const image = new Uint8Array(this.pages.length * PAGE_SIZE)
    this.pages.forEach((page, index) => image.set(page.bytes, index * PAGE_SIZE))
    return image
  }

  private openPage(options: { blank?: boolean; reserved?: boolean } = {}): PageWriter {
    if (this.pages.length > 0 && !options.blank) this.current.markFullIfActive()
    if (!options.reserved) {
      if (this.budget <= 0) {
        throw new PairKitError('BAD_INPUT', 'the data does not fit in the NVS partition size given', {
          hint: 'Give a larger partition size (a multiple of 0x1000), or store less data.',
        })
      }
      this.budget -= PAGE_SIZE
    }
    this.sequence++
    const page = new PageWriter(this.sequence, this.versionByte, !options.blank && !options.reserved)
    this.pages.push(page)
    this.current = page
    return page
  }

  private retryOnNewPage(write: () => void): void {
    try {
      write()
    } catch (error) {
      if (!(error instanceof PageFull)) throw error
      this.openPage()
      write()
    }
  }

  private writeInteger(namespaceIndex: number, key: Uint8Array, value: bigint, type: IntegerTypeName): void {
    if (this.current.freeEntries <= 0) throw new PageFull()
    const { code, bytes } = INTEGER_TYPES[type]
    const entry = newItemHeader(namespaceIndex, code, 1, CHUNK_ANY, key)
    // Two's complement little-endian; the unused bytes of the 8-byte field stay 0xFF.
    const unsigned = BigInt.asUintN(bytes * 8, value)
    for (let i = 0; i < bytes; i++) entry[24 + i] = Number((unsigned >> BigInt(8 * i)) & 0xffn)
    this.current.writeEntries(sealItemHeader(entry), 1)
  }

  private writeVariable(namespaceIndex: number, key: Uint8Array, data: Uint8Array, kind: 'string' | 'blob'): void {
    const dataEntries = Math.ceil(data.length / ENTRY_SIZE)
    const page = this.current
    const multiPage = this.version === 2 && kind === 'blob'
    if (page.entryNum >= ENTRIES_PER_PAGE) throw new PageFull()
    if (page.entryNum + dataEntries + 1 >= ENTRIES_PER_PAGE && !multiPage) throw new PageFull()
    if (multiPage) {
      this.writeMultiPageBlob(namespaceIndex, key, data)
      return
    }
    const entry = newItemHeader(namespaceIndex, kind === 'string' ? ITEM_TYPE.SZ : ITEM_TYPE.BLOB, dataEntries + 1, CHUNK_ANY, key)
    setVarlenField(entry, data)
    page.writeEntries(sealItemHeader(entry), 1)
    page.writeEntries(data, dataEntries)
  }

  /** v2 blob: BLOB_DATA chunks filling each page's tail, then one BLOB_IDX (chunk start 0). */
  private writeMultiPageBlob(namespaceIndex: number, key: Uint8Array, data: Uint8Array): void {
    const chunkStart = 0
    let chunkCount = 0
    let offset = 0
    let remaining = data.length
    for (;;) {
      const tailroom = (ENTRIES_PER_PAGE - this.current.entryNum - 1) * ENTRY_SIZE
      const chunkSize = Math.min(tailroom, remaining)
      remaining -= chunkSize
      if (chunkStart + chunkCount > 0xfe) {
        throw new PairKitError('BAD_INPUT', `a blob of ${data.length} bytes needs more than 255 chunks, which NVS cannot index`)
      }
      const chunk = data.subarray(offset, offset + chunkSize)
      const chunkEntries = Math.ceil(chunkSize / ENTRY_SIZE)
      const entry = newItemHeader(namespaceIndex, ITEM_TYPE.BLOB_DATA, chunkEntries + 1, chunkStart + chunkCount, key)
      setVarlenField(entry, chunk)
      this.current.writeEntries(sealItemHeader(entry), 1)
      this.current.writeEntries(chunk, chunkEntries)
      chunkCount++
      // A new page whenever data remains, or when under one entry is left after this chunk.
      if (remaining > 0 || tailroom - chunkSize < ENTRY_SIZE) this.openPage()
      offset += chunkSize
      if (remaining === 0) break
    }
    const index = newItemHeader(namespaceIndex, ITEM_TYPE.BLOB_IDX, 1, CHUNK_ANY, key)
    const view = new DataView(index.buffer)
    view.setUint32(24, data.length, true)
    index[28] = chunkCount
    index[29] = chunkStart
    this.current.writeEntries(sealItemHeader(index), 1)
  }
}

/** Data field of SZ / BLOB / BLOB_DATA: u16 size, 0xFFFF, CRC32 of the payload. */
function setVarlenField(entry: Uint8Array, payload: Uint8Array): void {
  const view = new DataView(entry.buffer)
  view.setUint16(24, payload.length, true)
  view.setUint32(28, nvsCrc32(payload), true)
}
