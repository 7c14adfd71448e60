// Pair provisioning and read-back for the UI. Configurations are kept without their
// secrets — passwords blank, a password in the signalling URI masked; the secrets go to the
// SecretStore (OS-encrypted on the desktop, memory in the browser host) and are put back
// only to build a device's NVS image.
import { randomBytes } from 'node:crypto'
import { base64ToBytes, bytesToBase64 } from '../../common/base64'
import {
  assertValidConfig,
  configFromNvsImage,
  configToNvsImage,
  DEFAULT_NVS_SIZE,
  diffConfig,
  formatConfig,
  hasUrlPassword,
  MASKED_URL_PASSWORD,
  maskUrlPassword,
  pairingProblems,
  provisionPair,
  redactConfig,
  redactDifferences,
  REDACTED,
  SECRET_FIELDS,
  URI_FIELDS,
  type ConfigField,
  type DeviceConfig,
} from '../../common/config'
import type { PairSummary, ReadBack, RequestInput, ShownConfig, ShownDifference } from '../../common/contract'
import { PairKitError } from '../../common/errors'
import type { SecretStore } from '../secrets/secret-store'
import { readPairRecords, writePairRecords, type PairRecord } from './pair-records'

export type Side = 'a' | 'b'

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

  /** Makes a new pair and keeps it; `name` is for a pair PairKit makes itself (the virtual lab's). */
  pair(input: RequestInput<'config.pair'>, name?: string): PairSummary {
    const provisioned = provisionPair(input.siteA, input.siteB, (length) => new Uint8Array(randomBytes(length)))
    const record: PairRecord = {
      pairId: provisioned.pairId,
      createdAt: Date.now(),
      ...(name ? { name } : {}),
      a: this.keepSecrets(provisioned.pairId, 'a', provisioned.a),
      b: this.keepSecrets(provisioned.pairId, 'b', provisioned.b),
      secrets: secretsOf(provisioned.a, 'a').concat(secretsOf(provisioned.b, 'b')),
    }
    this.pairs.set(record.pairId, record)
    this.save()
    return this.summary(record)
  }

  list(): PairSummary[] {
    return [...this.pairs.values()].sort((x, y) => y.createdAt - x.createdAt).map((record) => this.summary(record))
  }

  nvsImage(pairId: string, side: Side): { fileName: string; base64: string } {
    return { fileName: `pairkit-${pairId}-${side === 'a' ? 'site-a-role1' : 'site-b-role2'}-nvs.bin`, base64: bytesToBase64(this.nvsImageBytes(pairId, side)) }
  }

  /** The NVS image of one side, `size` bytes (a device's nvs partition size; the pages it does not need are empty). */
  nvsImageBytes(pairId: string, side: Side, size = DEFAULT_NVS_SIZE): Uint8Array {
    return configToNvsImage(this.withSecrets(this.record(pairId), side), size)
  }

  /** Throws the sentence to show when the side's image cannot be made here (unknown pair, passwords gone). */
  checkCanProvision(pairId: string, side: Side): void {
    this.withSecrets(this.record(pairId), side)
  }

  /**
   * Puts back passwords that are gone (memory-only storage after a restart), or replaces them.
   * The pair's configurations must stay valid with them; nothing is kept when they are not.
   */
  setPasswords(input: RequestInput<'config.setPasswords'>): PairSummary {
    const record = this.record(input.pairId)
    const given: Array<[Side, ConfigField, string]> = []
    for (const side of ['a', 'b'] as const) {
      const site = input[side]
      if (site?.staPassword !== undefined) given.push([side, 'staPassword', site.staPassword])
      if (site?.apPassword !== undefined) given.push([side, 'apPassword', site.apPassword])
      if (input.turnPassword !== undefined) given.push([side, 'turnPassword', input.turnPassword])
      if (input.signallingUri !== undefined) {
        if (maskUrlPassword(input.signallingUri) !== record[side].signallingUri) {
          throw new PairKitError('BAD_INPUT', `the signalling broker address must be the pair's (${record[side].signallingUri}) with the password in place of ***`)
        }
        given.push([side, 'signallingUri', input.signallingUri])
      }
    }
    for (const side of ['a', 'b'] as const) {
      const config = { ...record[side] }
      for (const [which, field, value] of given) if (which === side) (config as Record<string, unknown>)[field] = value
      for (const field of [...SECRET_FIELDS, ...URI_FIELDS]) {
        if (given.some(([which, f]) => which === side && f === field)) continue
        const kept = this.secrets.get(pairSecretId(record.pairId, side, field))
        if (kept !== undefined) (config as Record<string, unknown>)[field] = kept
      }
      assertValidConfig(config, `site ${side.toUpperCase()}`)
    }
    const secrets = new Set(record.secrets ?? [])
    for (const [side, field, value] of given) {
      if (URI_FIELDS.includes(field) && !hasUrlPassword(value)) continue
      this.secrets.set(pairSecretId(record.pairId, side, field), value)
      if (value === '') secrets.delete(`${side}.${field}`)
      else secrets.add(`${side}.${field}`)
    }
    record.secrets = [...secrets].sort()
    this.save()
    return this.summary(record)
  }

  /** One pair as the UI sees it (secrets redacted). */
  summaryOf(pairId: string): PairSummary {
    return this.summary(this.record(pairId))
  }

  /**
   * The pair's secrets in clear text, to scrub them out of files that leave PairKit (a support
   * bundle holds the devices' raw consoles); never shown anywhere.
   */
  secretTexts(pairId: string): string[] {
    const record = this.record(pairId)
    const texts = new Set<string>()
    for (const side of ['a', 'b'] as const) {
      const config = this.tryWithSecrets(record, side)
      for (const field of SECRET_FIELDS) {
        const value = String(config[field])
        if (value !== '' && value !== REDACTED) texts.add(value)
      }
      for (const field of URI_FIELDS) {
        const password = urlPassword(String(config[field]))
        if (password) for (const form of [password, safeDecode(password)]) texts.add(form)
      }
    }
    return [...texts]
  }

  /** The pair's signalling broker (with its password) and sync topic prefix, for the Traffic view. */
  signalling(pairId: string): { url: string; topicPrefix: string } {
    const config = this.withSecrets(this.record(pairId), 'a')
    return { url: config.signallingUri, topicPrefix: config.syncTopic }
  }

  /** The stored pair records (no secrets in them). */
  records(): readonly PairRecord[] {
    return [...this.pairs.values()]
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
    return this.readBackImage(image, input.pairId, input.side)
  }

  /** What an NVS partition holds, compared with a pair's side when one is named (the side from its role when not). */
  readBackImage(image: Uint8Array, pairId?: string, side?: Side): ReadBack {
    if (image.length === 0 || image.length % 4096 !== 0) {
      throw new PairKitError('BAD_INPUT', `an NVS partition is a whole number of 4096-byte pages; this file has ${image.length} bytes`)
    }
    const read = configFromNvsImage(image)
    const result: ReadBack = {
      config: shown(read.config),
      stored: read.stored,
      problems: read.problems,
    }
    if (pairId !== undefined) {
      const compared = side ?? (read.config.role === 2 ? 'b' : 'a')
      const intended = this.withSecrets(this.record(pairId), compared)
      result.comparedWith = { pairId, side: compared }
      result.differences = redactDifferences(diffConfig(intended, read.config)) as ShownDifference[]
      const other = this.withSecrets(this.record(pairId), compared === 'a' ? 'b' : 'a')
      for (const problem of pairingProblems(compared === 'a' ? read.config : other, compared === 'a' ? other : read.config)) {
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
      this.secrets.set(pairSecretId(pairId, side, field), String(config[field]))
      ;(kept as Record<string, unknown>)[field] = ''
    }
    for (const field of URI_FIELDS) {
      const uri = String(config[field])
      if (!hasUrlPassword(uri)) continue
      this.secrets.set(pairSecretId(pairId, side, field), uri)
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
        this.secrets.set(pairSecretId(record.pairId, side, field), uri)
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
    const value = this.secrets.get(pairSecretId(pairId, side, field))
    if (value !== undefined) return value
    throw passwordsGone(pairId, this.secrets.kind)
  }

  private summary(record: PairRecord): PairSummary {
    return {
      pairId: record.pairId,
      createdAt: record.createdAt,
      ...(record.name ? { name: record.name } : {}),
      a: shown(this.tryWithSecrets(record, 'a')),
      b: shown(this.tryWithSecrets(record, 'b')),
      nvsSize: DEFAULT_NVS_SIZE,
      passwords: this.hasAllSecrets(record) ? 'stored' : 'missing',
    }
  }

  private hasAllSecrets(record: PairRecord): boolean {
    try {
      this.withSecrets(record, 'a')
      this.withSecrets(record, 'b')
      return true
    } catch {
      return false
    }
  }

  /**
   * The side with its secrets for the UI to show redacted. When they are gone, each secret the
   * pair has shows as redacted too, not as empty: an empty password means an open network, and
   * the UI asks again for the ones it sees redacted.
   */
  private tryWithSecrets(record: PairRecord, side: Side): DeviceConfig {
    try {
      return this.withSecrets(record, side)
    } catch {
      const config = { ...record[side] }
      for (const field of SECRET_FIELDS) {
        if (record.secrets === undefined || record.secrets.includes(`${side}.${field}`)) (config as Record<string, unknown>)[field] = REDACTED
      }
      return config
    }
  }

  private load(): PairRecord[] {
    return this.dataDir ? readPairRecords(this.dataDir) : []
  }

  private save(): void {
    if (this.dataDir) writePairRecords(this.dataDir, [...this.pairs.values()])
  }
}

/** Where a pair's secret is kept in the SecretStore. */
export function pairSecretId(pairId: string, side: Side, field: string): string {
  return `pair:${pairId}:${side}:${field}`
}

/** "a.staPassword", … for every secret of the configuration that is not empty. */
function secretsOf(config: DeviceConfig, side: Side): string[] {
  const fields = [...SECRET_FIELDS.filter((field) => config[field] !== ''), ...URI_FIELDS.filter((field) => hasUrlPassword(String(config[field])))]
  return fields.map((field) => `${side}.${field}`)
}

/** The sentence for a pair whose passwords this PairKit does not have (the UI shows it as it is). */
export function passwordsGone(pairId: string, storage: SecretStore['kind'] | 'unreadable'): PairKitError {
  if (storage === 'memory') {
    return new PairKitError('NOT_FOUND', `the passwords of pair ${pairId} were kept in memory only and were lost when PairKit restarted: enter them again in Configure`, {
      hint: 'Enter the pair\'s Wi-Fi (and TURN or broker) passwords again in Configure; nothing was written to the device.',
    })
  }
  return new PairKitError('NOT_FOUND', `the passwords of pair ${pairId} are not stored on this computer: enter them again in Configure`, {
    hint: 'Enter the pair\'s Wi-Fi (and TURN or broker) passwords again in Configure; nothing was written to the device.',
  })
}

/** The password in a URL's userinfo as written there (percent-encoded), if any. */
function urlPassword(url: string): string | undefined {
  try {
    const password = new URL(url).password
    // A masked password is no secret.
    return password && safeDecode(password) !== MASKED_URL_PASSWORD ? password : undefined
  } catch {
    return undefined
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

function shown(config: DeviceConfig): ShownConfig {
  return redactConfig(config)
}
