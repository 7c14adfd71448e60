// NVS partitions: generate (nvs_partition_gen-compatible) and read.
export * from './constants'
export { nvsCrc32 } from './crc32'
export { parseNvsCsv, formatNvsCsv, type NvsCsvRow, type NvsRowType } from './csv'
export { generateNvsPartition, generateNvsFromCsv, parseNvsSize, NVS_ENCODINGS, type NvsGenerateOptions, type NvsGenerateResult } from './generator'
export { readNvsPartition } from './reader'
export type * from './read-types'
export { nvsEntriesToJson, nvsValueToJson, formatNvsEntries, type NvsJsonEntry } from './dump-format'
export { bytesToHex, hexToBytes, bytesToBase64, base64ToBytes } from './value-encodings'
