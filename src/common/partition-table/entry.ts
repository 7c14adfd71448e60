// One partition, as the binary table stores it, plus the problem shape every part of the
// codec reports with.

export interface PartitionEntry {
  name: string
  type: number
  subtype: number
  offset: number
  size: number
  /** The raw flags word; `encrypted` and `readonly` are bits 0 and 1 of it. */
  flags: number
}

export type PartitionProblemCode =
  | 'CSV_SYNTAX'
  | 'LENGTH'
  | 'BAD_MAGIC'
  | 'NO_END_MARKER'
  | 'MD5_MISMATCH'
  | 'UNKNOWN_FLAGS'
  | 'NAME_TOO_LONG'
  | 'DUPLICATE_NAME'
  | 'MISALIGNED'
  | 'OVERLAP'
  | 'BELOW_TABLE'
  | 'OTADATA'
  | 'READONLY'
  | 'OUT_OF_RANGE'
  | 'TOO_LARGE_FOR_FLASH'
  | 'TOO_MANY_ENTRIES'
  | 'EMPTY'

export interface PartitionProblem {
  code: PartitionProblemCode
  /** "error": the bootloader or the generator would refuse it; "warning": suspicious only. */
  severity: 'error' | 'warning'
  message: string
  /** 1-based CSV line, when the problem comes from a CSV row. */
  line?: number
}

export const FLAG_ENCRYPTED = 1 << 0
export const FLAG_READONLY = 1 << 1

export function isEncrypted(entry: PartitionEntry): boolean {
  return (entry.flags & FLAG_ENCRYPTED) !== 0
}

export function isReadonly(entry: PartitionEntry): boolean {
  return (entry.flags & FLAG_READONLY) !== 0
}

export function hasErrors(problems: readonly PartitionProblem[]): boolean {
  return problems.some((problem) => problem.severity === 'error')
}
