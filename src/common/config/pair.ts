// Pair provisioning: from the settings of site A and site B, two configurations that are
// certain to find each other — roles 1 and 2, the same signalling, STUN and TURN settings,
// and one sync topic made unique by a random pair id, so two pairs on the same public
// broker never hear each other's sync messages.
import { PairKitError } from '../errors'
import { bytesToHex } from '../nvs'
import { CONFIG_FIELDS, DEFAULT_NVS_SIZE, defaultConfig, fieldSpec, type ConfigField, type DeviceConfig } from './contract'
import { configToNvsImage, assertValidConfig } from './nvs-mapping'
import { redactValue } from './redact'
import { STRING_LIMITS, defaultSignallingUri } from './schema'

/** Settings that belong to one site. */
export const SITE_FIELDS = ['staSsid', 'staPassword', 'apSsid', 'apPassword', 'apChannel', 'brokerPort', 'logLevel'] as const satisfies readonly ConfigField[]
/** Settings both devices must share; either site's file may give them, but they must agree. */
export const SHARED_FIELDS = ['peerLibrary', 'signallingUri', 'syncTopic', 'stunHost', 'stunPort', 'turnHost', 'turnPort', 'turnUser', 'turnPassword'] as const satisfies readonly ConfigField[]

export type SiteSettings = Partial<Pick<DeviceConfig, (typeof SITE_FIELDS)[number] | (typeof SHARED_FIELDS)[number]>>

/** Random bytes; pass crypto.getRandomValues-backed bytes in the app, a seeded source in tests. */
export type RandomBytes = (length: number) => Uint8Array

export interface ProvisionedPair {
  pairId: string
  a: DeviceConfig
  b: DeviceConfig
}

export const PAIR_ID_BYTES = 8

export function newPairId(random: RandomBytes): string {
  const bytes = random(PAIR_ID_BYTES)
  if (bytes.length !== PAIR_ID_BYTES) throw new PairKitError('INTERNAL', `the random source gave ${bytes.length} bytes instead of ${PAIR_ID_BYTES}`)
  return bytesToHex(bytes)
}

/** The topic prefix both devices use: the base prefix, then the pair id (the firmware appends 1 or 2). */
export function pairSyncTopic(base: string, pairId: string): string {
  return `${base.replace(/\/+$/, '')}/${pairId}/`
}

export function provisionPair(siteA: unknown, siteB: unknown, random: RandomBytes): ProvisionedPair {
  const a = checkSite(siteA, 'A')
  const b = checkSite(siteB, 'B')
  const shared: Partial<DeviceConfig> = {}
  for (const field of SHARED_FIELDS) {
    const [fromA, fromB] = [a[field], b[field]]
    if (fromA !== undefined && fromB !== undefined && fromA !== fromB) {
      const show = fieldSpec(field).secret ? '' : ` (${JSON.stringify(redactValue(field, fromA))} and ${JSON.stringify(redactValue(field, fromB))})`
      throw new PairKitError('BAD_INPUT', `sites A and B give different values for "${fieldSpec(field).label}"${show}; both devices must use the same`, {
        hint: 'Give the shared setting once, or the same value in both site files.',
      })
    }
    const value = fromA ?? fromB
    if (value !== undefined) (shared as Record<string, unknown>)[field] = value
  }
  const pairId = newPairId(random)
  const base = { ...defaultConfig(), ...shared }
  if (shared.signallingUri === undefined) base.signallingUri = defaultSignallingUri(base.peerLibrary)
  base.syncTopic = pairSyncTopic(base.syncTopic, pairId)
  if (new TextEncoder().encode(base.syncTopic).length > STRING_LIMITS.topic) {
    throw new PairKitError('BAD_INPUT', `the sync topic prefix is too long to add the pair id (at most ${STRING_LIMITS.topic - pairId.length - 2} bytes)`)
  }
  const configA = assertValidConfig({ ...base, ...pickSite(a), role: 1, pairId }, 'site A')
  const configB = assertValidConfig({ ...base, ...pickSite(b), role: 2, pairId }, 'site B')
  return { pairId, a: configA, b: configB }
}

export function pairImages(pair: ProvisionedPair, size = DEFAULT_NVS_SIZE): { a: Uint8Array; b: Uint8Array } {
  return { a: configToNvsImage(pair.a, size), b: configToNvsImage(pair.b, size) }
}

/** Why two configurations would not pair (empty when they will): for read-back of two devices. */
export function pairingProblems(a: DeviceConfig, b: DeviceConfig): string[] {
  const problems: string[] = []
  if (a.role === b.role) problems.push(`both devices have role ${a.role}; one must be 1 and the other 2`)
  if (a.pairId === '' || a.pairId !== b.pairId) problems.push(a.pairId === b.pairId ? 'the devices have no pair id' : `the pair ids differ (${a.pairId || 'none'} and ${b.pairId || 'none'})`)
  for (const field of SHARED_FIELDS) {
    if (a[field] !== b[field]) problems.push(`${fieldSpec(field).label} differs between the devices${fieldSpec(field).secret ? '' : ` (${JSON.stringify(redactValue(field, a[field]))} and ${JSON.stringify(redactValue(field, b[field]))})`}`)
  }
  return problems
}

function checkSite(input: unknown, site: 'A' | 'B'): SiteSettings {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new PairKitError('BAD_INPUT', `the settings for site ${site} must be a JSON object such as {"staSsid": "…", "staPassword": "…"}`)
  }
  const allowed = new Set<string>([...SITE_FIELDS, ...SHARED_FIELDS])
  const decided = Object.keys(input).filter((key) => key === 'role' || key === 'pairId')
  if (decided.length > 0) throw new PairKitError('BAD_INPUT', `site ${site} sets ${decided.join(' and ')}, which pairing decides; remove ${decided.length > 1 ? 'them' : 'it'}`)
  const unknown = Object.keys(input).filter((key) => !allowed.has(key))
  if (unknown.length > 0) {
    const known = CONFIG_FIELDS.map((spec) => spec.field).filter((field) => allowed.has(field)).join(', ')
    throw new PairKitError('BAD_INPUT', `site ${site} has unknown settings: ${unknown.join(', ')} (known: ${known})`)
  }
  return input as SiteSettings
}

function pickSite(site: SiteSettings): Partial<DeviceConfig> {
  const picked: Partial<DeviceConfig> = {}
  for (const field of SITE_FIELDS) if (site[field] !== undefined) (picked as Record<string, unknown>)[field] = site[field]
  return picked
}
