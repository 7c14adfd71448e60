// One NVS page being filled by the generator: header, entry-state bitmap and 32-byte entries.
import { BITMAP_OFFSET, ENTRIES_PER_PAGE, ENTRY_SIZE, FIRST_ENTRY_OFFSET, PAGE_SIZE, PAGE_STATE } from './constants'
import { nvsCrc32, nvsEntryCrc32 } from './crc32'

export class PageWriter {
  readonly bytes = new Uint8Array(PAGE_SIZE).fill(0xff)
  private readonly view = new DataView(this.bytes.buffer)
  /** Entries used so far (the next free entry index). */
  entryNum = 0

  /** `withHeader` false gives an all-0xFF page, as the generator emits for unused and reserved pages. */
  constructor(sequence: number, versionByte: number, withHeader: boolean) {
    if (!withHeader) return
    this.view.setUint32(0, PAGE_STATE.ACTIVE, true)
    this.view.setUint32(4, sequence, true)
    this.bytes[8] = versionByte
    this.view.setUint32(28, nvsCrc32(this.bytes, 4, 28), true)
  }

  get freeEntries(): number {
    return ENTRIES_PER_PAGE - this.entryNum
  }

  /** The generator only turns ACTIVE into FULL when it opens the next page. */
  markFullIfActive(): void {
    if (this.view.getUint32(0, true) === PAGE_STATE.ACTIVE) this.view.setUint32(0, PAGE_STATE.FULL, true)
  }

  /** Copies `data` at the next free entry and marks `count` entries WRITTEN; a short tail stays 0xFF. */
  writeEntries(data: Uint8Array, count: number): void {
    this.bytes.set(data, FIRST_ENTRY_OFFSET + ENTRY_SIZE * this.entryNum)
    for (let i = 0; i < count; i++) {
      const bit = this.entryNum * 2
      const index = BITMAP_OFFSET + (bit >> 3)
      // WRITTEN = 0b10: clear only the low bit of the pair.
      this.bytes[index] = (this.bytes[index] as number) & ~(1 << (bit & 7))
      this.entryNum++
    }
  }
}

/** A fresh 32-byte item header: namespace, type, span, chunk index, key; data field 0xFF. */
export function newItemHeader(namespaceIndex: number, type: number, span: number, chunkIndex: number, key: Uint8Array): Uint8Array {
  const entry = new Uint8Array(ENTRY_SIZE).fill(0xff)
  entry[0] = namespaceIndex
  entry[1] = type
  entry[2] = span
  entry[3] = chunkIndex
  entry.fill(0, 8, 24)
  entry.set(key, 8)
  return entry
}

export function sealItemHeader(entry: Uint8Array): Uint8Array {
  new DataView(entry.buffer, entry.byteOffset).setUint32(4, nvsEntryCrc32(entry), true)
  return entry
}
