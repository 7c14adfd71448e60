// Pair provisioning and read-back for the UI. Configurations are kept without their
// secrets; the secrets go to the SecretStore (OS-encrypted on the desktop, memory in the
// browser host) and are put back only to build a device's NVS image.
import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { base64ToBytes, bytesToBase64 } from '../../common/base64'
import {
  configFromNvsImage,
  configToNvsImage,
  DEFAULT_NVS_SIZE,
  diffConfig,
  formatConfig,
  pairingProblems,
  provisionPair,
  redactConfig,
  redactDifferences,
  SECRET_FIELDS,
  type DeviceConfig,
} from '../../common/config'
import type { PairSummary, ReadBack, RequestInput, ShownConfig, ShownDifference } from '../../common/contract'
import { PairKitError } from '../../common/errors'
import type { SecretStore } from '../secrets/secret-store'

type Side = 'a' | 'b'

interface PairRecord {
  pairId: string
  createdAt: number
  /** Secret fields are blank here; their values live in the SecretStore. */
  a: DeviceConfig
  b: DeviceConfig
}

export class ConfigService {
  private readonly pairs = new Map<string, PairRecord>()

  constructor(
    private readonly secrets: SecretStore,
    /** Where pair records (without secrets) persist; undefined keeps them in memory. */
    private readonly dataDir?: string,
  ) {
    for (const record of this.load()) this.pairs.set(record.pairId, record)
  }

  pair(input: RequestInput<'config.pair'>): PairSummary {
    const provisioned = provisionPair(input.siteA, input.siteB, (length) => new Uint8Array(randomBytes(length)))
    const record: PairRecord = {
      pairId: provisioned.pairId,
      createdAt: Date.now(),
      a: this.keepSecrets(provisioned.pairId, 'a', provisioned.a),
      b: this.keepSecrets(provisioned.pairId, 'b', provisioned.b),
    }
    this.pairs.set(record.pairId, record)
    this.save()
    return this.summary(record)
  }

  list(): PairSummary[] {
    return [...this.pairs.values()].sort((x, y) => y.createdAt - x.createdAt).map((record) => this.summary(record))
  }

  nvsImage(pairId: string, side: Side): { fileName: string; base64: string } {
    const config = this.withSecrets(this.record(pairId), side)
    return { fileName: `pairkit-${pairId}-${side === 'a' ? 'site-a-role1' : 'site-b-role2'}-nvs.bin`, base64: bytesToBase64(configToNvsImage(config)) }
  }

  exportPair(pairId: string): { fileName: string; text: string } {
    const record = this.record(pairId)
    const text = [
      `# PairKit pair ${pairId}`,
      '',
      `Created: ${new Date(record.createdAt).toISOString()}`,
      '',
      '## Site A (role 1)',
      '',
      '```',
      formatConfig(this.withSecrets(record, 'a')),
      '```',
      '',
      '## Site B (role 2)',
      '',
      '```',
      formatConfig(this.withSecrets(record, 'b')),
      '```',
      '',
      'Passwords are not included in this record.',
      '',
    ].join('\n')
    return { fileName: `pairkit-${pairId}.md`, text }
  }

  readBack(input: RequestInput<'config.readBack'>): ReadBack {
    const image = base64ToBytes(input.nvsBase64)
    if (!image) throw new PairKitError('BAD_INPUT', 'the NVS image is not valid base64')
    if (image.length === 0 || image.length % 4096 !== 0) {
      throw new PairKitError('BAD_INPUT', `an NVS partition is a whole number of 4096-byte pages; this file has ${image.length} bytes`)
    }
    const read = configFromNvsImage(image)
    const result: ReadBack = {
      config: shown(read.config),
      stored: read.stored,
      problems: read.problems,
    }
    if (input.pairId !== undefined) {
      const side = input.side ?? (read.config.role === 2 ? 'b' : 'a')
      const intended = this.withSecrets(this.record(input.pairId), side)
      result.comparedWith = { pairId: input.pairId, side }
      result.differences = redactDifferences(diffConfig(intended, read.config)) as ShownDifference[]
      const other = this.withSecrets(this.record(input.pairId), side === 'a' ? 'b' : 'a')
      for (const problem of pairingProblems(side === 'a' ? read.config : other, side === 'a' ? other : read.config)) {
        result.problems.push({ severity: 'error', message: `will not pair with the other device: ${problem}` })
      }
    }
    return result
  }

  private record(pairId: string): PairRecord {
    const record = this.pairs.get(pairId)
    if (!record) throw new PairKitError('NOT_FOUND', `no pair ${pairId} in this PairKit`, { hint: 'Create the pair again in Configure.' })
    return record
  }

  private keepSecrets(pairId: string, side: Side, config: DeviceConfig): DeviceConfig {
    const kept = { ...config }
    for (const field of SECRET_FIELDS) {
      this.secrets.set(secretId(pairId, side, field), String(config[field]))
      ;(kept as Record<string, unknown>)[field] = ''
    }
    return kept
  }

  private withSecrets(record: PairRecord, side: Side): DeviceConfig {
    const config = { ...record[side] }
    for (const field of SECRET_FIELDS) {
      const value = this.secrets.get(secretId(record.pairId, side, field))
      if (value === undefined) {
        throw new PairKitError('NOT_FOUND', `the ${field === 'turnPassword' ? 'TURN' : 'Wi-Fi'} passwords of pair ${record.pairId} are not stored on this computer`, {
          hint: 'The browser host keeps passwords only while it runs; create the pair again.',
        })
      }
      ;(config as Record<string, unknown>)[field] = value
    }
    return config
  }

  private summary(record: PairRecord): PairSummary {
    return {
      pairId: record.pairId,
      createdAt: record.createdAt,
      a: shown(this.tryWithSecrets(record, 'a')),
      b: shown(this.tryWithSecrets(record, 'b')),
      nvsSize: DEFAULT_NVS_SIZE,
    }
  }

  private tryWithSecrets(record: PairRecord, side: Side): DeviceConfig {
    try {
      return this.withSecrets(record, side)
    } catch {
      return record[side]
    }
  }

  private get file(): string | undefined {
    return this.dataDir ? path.join(this.dataDir, 'pairs.json') : undefined
  }

  private load(): PairRecord[] {
    if (!this.file) return []
    try {
      const parsed: unknown = JSON.parse(readFileSync(this.file, 'utf8'))
      return Array.isArray(parsed) ? (parsed as PairRecord[]) : []
    } catch {
      return []
    }
  }

  private save(): void {
    if (!this.file || !this.dataDir) return
    mkdirSync(this.dataDir, { recursive: true })
    const temp = `${this.file}.${process.pid}.tmp`
    writeFileSync(temp, JSON.stringify([...this.pairs.values()], null, 1))
    renameSync(temp, this.file)
  }
}

function secretId(pairId: string, side: Side, field: string): string {
  return `pair:${pairId}:${side}:${field}`
}

function shown(config: DeviceConfig): ShownConfig {
  return redactConfig(config)
}
