// NVS on-flash constants (ESP-IDF nvs_constants.h / nvs_types.hpp), tabulated once.

export const PAGE_SIZE = 4096
export const ENTRY_SIZE = 32
export const ENTRIES_PER_PAGE = 126
export const HEADER_SIZE = 32
export const BITMAP_OFFSET = 32
export const FIRST_ENTRY_OFFSET = 64
export const KEY_MAX_LENGTH = 15
/** Largest string or single-entry blob payload the firmware stores on one page (125 entries). */
export const CHUNK_MAX_SIZE = 4000
export const CHUNK_ANY = 0xff
export const MAX_NAMESPACES = 254

export const PAGE_STATE = {
  UNINITIALIZED: 0xffffffff,
  ACTIVE: 0xfffffffe,
  FULL: 0xfffffffc,
  FREEING: 0xfffffff8,
  CORRUPT: 0xfffffff0,
  INVALID: 0x00000000,
} as const

export type PageStateName = 'uninitialized' | 'active' | 'full' | 'freeing' | 'corrupt' | 'invalid' | 'unknown'

export function pageStateName(value: number): PageStateName {
  switch (value >>> 0) {
    case PAGE_STATE.UNINITIALIZED: return 'uninitialized'
    case PAGE_STATE.ACTIVE: return 'active'
    case PAGE_STATE.FULL: return 'full'
    case PAGE_STATE.FREEING: return 'freeing'
    case PAGE_STATE.CORRUPT: return 'corrupt'
    case PAGE_STATE.INVALID: return 'invalid'
    default: return 'unknown'
  }
}

/** Format version byte: decremented for each new format, so a smaller value is newer. */
export const FORMAT_VERSION = { V1: 0xff, V2: 0xfe } as const

/** Two bits per entry in the page bitmap. */
export const ENTRY_STATE = { EMPTY: 0b11, WRITTEN: 0b10, ERASED: 0b00, ILLEGAL: 0b01 } as const

export const ITEM_TYPE = {
  U8: 0x01, I8: 0x11, U16: 0x02, I16: 0x12, U32: 0x04, I32: 0x14, U64: 0x08, I64: 0x18,
  SZ: 0x21,
  /** ESP-IDF ≥ 6.1 only; read, never written. */
  FLOAT: 0x24,
  DOUBLE: 0x28,
  /** Version-1 single-entry blob. */
  BLOB: 0x41,
  BLOB_DATA: 0x42,
  BLOB_IDX: 0x48,
} as const

export type IntegerTypeName = 'u8' | 'i8' | 'u16' | 'i16' | 'u32' | 'i32' | 'u64' | 'i64'
/** The value types a reader reports; CSV encodings hex2bin/base64/binary all read back as "blob". */
export type NvsValueType = IntegerTypeName | 'string' | 'blob' | 'float' | 'double'

export const INTEGER_TYPES: Readonly<Record<IntegerTypeName, { code: number; bytes: number; signed: boolean }>> = {
  u8: { code: ITEM_TYPE.U8, bytes: 1, signed: false },
  i8: { code: ITEM_TYPE.I8, bytes: 1, signed: true },
  u16: { code: ITEM_TYPE.U16, bytes: 2, signed: false },
  i16: { code: ITEM_TYPE.I16, bytes: 2, signed: true },
  u32: { code: ITEM_TYPE.U32, bytes: 4, signed: false },
  i32: { code: ITEM_TYPE.I32, bytes: 4, signed: true },
  u64: { code: ITEM_TYPE.U64, bytes: 8, signed: false },
  i64: { code: ITEM_TYPE.I64, bytes: 8, signed: true },
}

export function integerTypeByCode(code: number): IntegerTypeName | undefined {
  for (const [name, info] of Object.entries(INTEGER_TYPES)) if (info.code === code) return name as IntegerTypeName
  return undefined
}

export function integerRange(type: IntegerTypeName): { min: bigint; max: bigint } {
  const { bytes, signed } = INTEGER_TYPES[type]
  const bits = BigInt(bytes * 8)
  return signed ? { min: -(1n << (bits - 1n)), max: (1n << (bits - 1n)) - 1n } : { min: 0n, max: (1n << bits) - 1n }
}
