// Partition tables: binary ↔ gen_esp32part CSV, and validation.
export { decodePartitionTable, encodePartitionTable, type DecodedTable, type EncodeOptions } from './binary'
export { formatPartitionCsv, formatSize, parsePartitionCsv, type CsvOptions, type CsvRow, type ParsedCsv } from './csv'
export { validatePartitionTable, type ValidateOptions } from './validate'
export {
  FLAG_ENCRYPTED, FLAG_READONLY, hasErrors, isEncrypted, isReadonly,
  type PartitionEntry, type PartitionProblem, type PartitionProblemCode,
} from './entry'
export {
  DEFAULT_TABLE_OFFSET, SUBTYPES, TABLE_MAX_LENGTH, TABLE_SECTOR_SIZE, TYPES, TYPE_APP, TYPE_DATA, subtypeName, typeName,
} from './constants'
export { parseGeneratorNumber } from './parse-number'
export { md5 } from './md5'
