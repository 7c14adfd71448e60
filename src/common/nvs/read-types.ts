// What the NVS reader returns: entries as the firmware would see them, and every problem found.
import type { NvsValueType, PageStateName } from './constants'

/** Integers up to 32 bits and floats as number, 64-bit integers as bigint, strings as text, blobs as bytes. */
export type NvsValue = number | bigint | string | Uint8Array

export interface NvsLocation {
  /** Physical page index in the partition (0-based). */
  page: number
  /** Entry index within the page (0–125). */
  entry: number
}

export interface NvsEntry {
  namespace: string
  key: string
  type: NvsValueType
  value: NvsValue
  location: NvsLocation
  /** For blobs: "v2" (BLOB_DATA chunks + BLOB_IDX) or "v1" (one 0x41 item). */
  blobFormat?: 'v1' | 'v2'
}

export type NvsProblemCode =
  | 'partition-size'
  | 'page-corrupt'
  | 'page-state'
  | 'page-header-crc'
  | 'page-version'
  | 'page-sequence'
  | 'entry-half-written'
  | 'entry-illegal'
  | 'entry-crc'
  | 'entry-structure'
  | 'entry-key'
  | 'data-crc'
  | 'unknown-type'
  | 'namespace'
  | 'duplicate'
  | 'blob-incomplete'
  | 'blob-orphan'
  | 'string-format'

export interface NvsProblem {
  code: NvsProblemCode
  /** "error": the firmware drops or refuses the data; "warning": tolerated, but worth knowing. */
  severity: 'error' | 'warning'
  message: string
  page?: number
  entry?: number
  namespace?: string
  key?: string
}

export interface NvsPageInfo {
  page: number
  state: PageStateName
  sequence?: number
  /** 1 or 2 for readable pages (header byte 0xFF / 0xFE). */
  formatVersion?: number
  written: number
  erased: number
  /** False when the page was skipped (erased, corrupt, bad header). */
  readable: boolean
}

export interface NvsReadResult {
  entries: NvsEntry[]
  problems: NvsProblem[]
  pages: NvsPageInfo[]
  namespaces: { name: string; index: number }[]
}
