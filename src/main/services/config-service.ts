// Pair provisioning and read-back for the UI. Configurations are kept without their
// secrets — passwords blank, a password in the signalling URI masked; the secrets go to the
// SecretStore (OS-encrypted on the desktop, memory in the browser host) and are put back
// only to build a device's NVS image.
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
  hasUrlPassword,
  maskUrlPassword,
  pairingProblems,
  provisionPair,
  redactConfig,
  redactDifferences,
  SECRET_FIELDS,
  URI_FIELDS,
  type ConfigField,
  type DeviceConfig,
} from '../../common/config'
import type { PairSummary, ReadBack, RequestInput, ShownConfig, ShownDifference } from '../../common/contract'
import { PairKitError } from '../../common/errors'
import type { SecretStore } from '../secrets/secret-store'

type Side = 'a' | 'b'

interface PairRecord {
  pairId: string
  createdAt: number
  /** Secret fields are blank here and URI passwords masked; their values live in the SecretStore. */
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
    let moved = false
    for (const record of this.load()) {
      moved = this.moveUriPasswords(record) || moved
      this.pairs.set(record.pairId, record)
    }
    if (moved) this.save()
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
    for (const field of URI_FIELDS) {
      const uri = String(config[field])
      if (!hasUrlPassword(uri)) continue
      this.secrets.set(secretId(pairId, side, field), uri)
      ;(kept as Record<string, unknown>)[field] = maskUrlPassword(uri)
    }
    return kept
  }

  /** Records saved before URI passwords were kept apart: the URI goes to the SecretStore, the record keeps it masked. */
  private moveUriPasswords(record: PairRecord): boolean {
    let moved = false
    for (const side of ['a', 'b'] as const) {
      for (const field of URI_FIELDS) {
        const uri = record[side]?.[field]
        if (typeof uri !== 'string' || !hasUrlPassword(uri) || maskUrlPassword(uri) === uri) continue
        this.secrets.set(secretId(record.pairId, side, field), uri)
        ;(record[side] as unknown as Record<string, unknown>)[field] = maskUrlPassword(uri)
        moved = true
      }
    }
    return moved
  }

  private withSecrets(record: PairRecord, side: Side): DeviceConfig {
    const config = { ...record[side] }
    for (const field of SECRET_FIELDS) (config as Record<string, unknown>)[field] = this.storedSecret(record.pairId, side, field)
    for (const field of URI_FIELDS) {
      if (hasUrlPassword(String(config[field]))) (config as Record<string, unknown>)[field] = this.storedSecret(record.pairId, side, field)
    }
    return config
  }

  private storedSecret(pairId: string, side: Side, field: ConfigField): string {
    const value = this.secrets.get(secretId(pairId, side, field))
    if (value !== undefined) return value
    const what = field === 'turnPassword' ? 'TURN password' : URI_FIELDS.includes(field) ? 'signalling broker password' : 'Wi-Fi passwords'
    throw new PairKitError('NOT_FOUND', `the ${what} of pair ${pairId} ${what.endsWith('s') ? 'are' : 'is'} not stored on this computer`, {
      hint: 'Passwords kept in memory only are gone once PairKit closes; create the pair again.',
    })
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
