// What reading a partition back must give for a CSV: the rows' values in row order, each in
// the namespace of the namespace row before it (namespaces are never repeated in our inputs).
import { INTEGER_TYPES, base64ToBytes, hexToBytes, type NvsCsvRow, type NvsEntry, type NvsJsonEntry, bytesToHex } from '../../../src/common/nvs'

export function expectedEntries(rows: readonly NvsCsvRow[], readFile: (file: string) => Uint8Array): NvsJsonEntry[] {
  const out: NvsJsonEntry[] = []
  let namespace = ''
  for (const row of rows) {
    if (row.type === 'namespace') {
      namespace = row.key
      continue
    }
    const text = row.type === 'file' ? new TextDecoder().decode(readFile(row.value)) : row.value
    const bytes = row.type === 'file' ? readFile(row.value) : undefined
    if (row.encoding in INTEGER_TYPES) {
      const bits = INTEGER_TYPES[row.encoding as keyof typeof INTEGER_TYPES].bytes * 8
      out.push({ namespace, key: row.key, type: row.encoding as NvsJsonEntry['type'], value: bits === 64 ? BigInt(text).toString() : Number(text) })
    } else if (row.encoding === 'string') {
      out.push({ namespace, key: row.key, type: 'string', value: text })
    } else {
      const blob = row.encoding === 'hex2bin' ? hexToBytes(text, '') : row.encoding === 'base64' ? base64ToBytes(text, '') : (bytes ?? new TextEncoder().encode(text))
      out.push({ namespace, key: row.key, type: 'blob', value: bytesToHex(blob) })
    }
  }
  return out
}

export type { NvsEntry }
