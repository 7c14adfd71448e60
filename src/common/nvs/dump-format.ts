// How entries are shown: the JSON shape of `pairkit nvs dump --json` and a human table.
import type { NvsValueType } from './constants'
import type { NvsEntry, NvsValue } from './read-types'
import { bytesToHex } from './value-encodings'

/** JSON values: integers as numbers (64-bit as decimal strings), strings as text, blobs as lowercase hex. */
export interface NvsJsonEntry {
  namespace: string
  key: string
  type: NvsValueType
  value: number | string
}

export function nvsValueToJson(value: NvsValue): number | string {
  if (typeof value === 'bigint') return value.toString()
  if (value instanceof Uint8Array) return bytesToHex(value)
  return value
}

export function nvsEntriesToJson(entries: readonly NvsEntry[]): NvsJsonEntry[] {
  return entries.map((entry) => ({ namespace: entry.namespace, key: entry.key, type: entry.type, value: nvsValueToJson(entry.value) }))
}

/** One line per entry: namespace, key, type, value (strings JSON-quoted so spaces and newlines show). */
export function formatNvsEntries(entries: readonly NvsEntry[]): string {
  const rows = entries.map((entry) => [entry.namespace, entry.key, entry.type, humanValue(entry)])
  const widths = [0, 1, 2].map((column) => Math.max(0, ...rows.map((row) => (row[column] as string).length)))
  return rows.map((row) => row.map((cell, column) => (column < 3 ? cell.padEnd(widths[column] as number) : cell)).join('  ')).join('\n')
}

function humanValue(entry: NvsEntry): string {
  if (typeof entry.value === 'string') return JSON.stringify(entry.value)
  if (entry.value instanceof Uint8Array) return `${bytesToHex(entry.value)} (${entry.value.length} bytes${entry.blobFormat === 'v1' ? ', v1 blob' : ''})`
  return String(entry.value)
}
