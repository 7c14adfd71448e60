// The pairs file (pairs.json in the data folder): each pair's two configurations without
// their secrets — passwords blank, a password in the signalling URI masked. Read by the
// backend's ConfigService and by `pairkit provision --pair`.
import path from 'node:path'
import { z } from 'zod'
import { CONFIG_FIELDS, defaultConfig, type DeviceConfig } from '../../common/config'
import { readJsonFile, writeJsonFile } from '../state/json-file'

export const PAIRS_FILE = 'pairs.json'
/** More pairs than a technician makes in years; the file stays small. */
export const MAX_PAIRS = 1000

export interface PairRecord {
  pairId: string
  createdAt: number
  /** What a technician calls the pair, when PairKit made it for something (the virtual lab's: "Virtual lab"). */
  name?: string
  /** Secret fields are blank here and URI passwords masked; their values live in the SecretStore. */
  a: DeviceConfig
  b: DeviceConfig
  /**
   * The secrets this pair has ("a.staPassword", "b.signallingUri" …): those that are not empty.
   * With none, the pair's images need no SecretStore. Absent in records of older versions.
   */
  secrets?: string[]
}

const DEFAULTS: Record<string, unknown> = { ...defaultConfig() }
/** Every setting there, of the type its default has (the values are checked again when an image is made). */
const ConfigRecordSchema = z.custom<DeviceConfig>(
  (value) => typeof value === 'object' && value !== null && CONFIG_FIELDS.every((spec) => typeof (value as Record<string, unknown>)[spec.field] === typeof DEFAULTS[spec.field]),
  { message: 'a pair side lacks a setting' },
)

const PairRecordSchema = z.object({
  pairId: z.string().regex(/^[a-z0-9]{8,32}$/),
  createdAt: z.number(),
  name: z.string().max(80).optional(),
  a: ConfigRecordSchema,
  b: ConfigRecordSchema,
  secrets: z.array(z.string().max(64)).max(32).optional(),
})

// Earlier versions wrote a bare array; it is read as it is.
const PairsFileSchema = z.array(PairRecordSchema).max(MAX_PAIRS)

/** The pairs in `dataDir` (none when the file is missing; a damaged file is set aside, see json-file.ts). */
export function readPairRecords(dataDir: string): PairRecord[] {
  return readJsonFile(path.join(dataDir, PAIRS_FILE), PairsFileSchema) ?? []
}

export function writePairRecords(dataDir: string, records: readonly PairRecord[]): void {
  writeJsonFile(path.join(dataDir, PAIRS_FILE), records)
}
