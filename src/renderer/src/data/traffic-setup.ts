// What the Traffic view is asked to watch: a pair (its devices and signalling broker) or two
// sites by hand, each through its broker and/or its device's console. Checked here before it
// goes to the backend, and kept across restarts without any password a broker address holds.
import type { RequestParams } from '../../../common/contract'
import { hasUrlPassword, maskUrlPassword, MASKED_URL_PASSWORD } from '../../../common/url-userinfo'
import type { ErrorView } from './error-view'

/** The broker of a real ESP's soft-AP (the site's IoT Wi-Fi): where the firmware runs mosquitto. */
export const SOFT_AP_BROKER = 'mqtt://192.168.4.1:1883'
export const DEFAULT_WINDOW_MS = 2000
export const DEFAULT_CAPACITY = 100_000

export type SiteInputs = {
  /** The site's broker, or empty. */
  mqtt: string
  /** A known device whose console to read, or empty. */
  device: string
}

export type SetupInputs = {
  /** A pair made in Configure, or empty for sites by hand. */
  pairId: string
  a: SiteInputs
  b: SiteInputs
  /** Also watch the pair's signalling broker (its sync topics). */
  signalling: boolean
  windowMs: number
  capacity: number
}

export function defaultSetup(): SetupInputs {
  return { pairId: '', a: { mqtt: SOFT_AP_BROKER, device: '' }, b: { mqtt: '', device: '' }, signalling: false, windowMs: DEFAULT_WINDOW_MS, capacity: DEFAULT_CAPACITY }
}

const BROKER_URL = /^(mqtts?|wss?):\/\/[^\s/]+/i

function brokerProblem(site: 'A' | 'B', url: string): ErrorView | undefined {
  if (BROKER_URL.test(url)) return undefined
  return { message: `"${maskUrlPassword(url)}" is not a broker address.`, hint: `Write site ${site}'s broker as mqtt://HOST:PORT, e.g. ${SOFT_AP_BROKER}.` }
}

/** The traffic.start request for these inputs, or what to correct first. */
export function startParams(inputs: SetupInputs): { params: RequestParams<'traffic.start'> } | { error: ErrorView; field?: string } {
  const site = (given: SiteInputs) => {
    const mqtt = given.mqtt.trim()
    const device = given.device.trim()
    return { ...(mqtt ? { mqtt } : {}), ...(device ? { deviceId: device } : {}) }
  }
  const a = site(inputs.a)
  const b = site(inputs.b)
  for (const [name, spec] of [['A', a], ['B', b]] as const) {
    const problem = spec.mqtt !== undefined ? brokerProblem(name, spec.mqtt) : undefined
    if (problem) return { error: problem, field: `traffic-${name.toLowerCase()}-mqtt` }
  }
  if (!a.mqtt && !a.deviceId && !b.mqtt && !b.deviceId) {
    return { error: { message: 'Nothing to watch yet.', hint: `Give a site's broker (e.g. ${SOFT_AP_BROKER}) or pick its device.` } }
  }
  if (inputs.windowMs < 100 || inputs.windowMs > 60_000) return { error: { message: 'The correlation window must be between 100 and 60 000 ms.' }, field: 'traffic-window' }
  if (inputs.capacity < 100 || inputs.capacity > 1_000_000) return { error: { message: 'The buffer must hold between 100 and 1 000 000 messages.' }, field: 'traffic-capacity' }
  return {
    params: {
      ...(inputs.pairId ? { pairId: inputs.pairId } : {}),
      a,
      b,
      ...(inputs.pairId && inputs.signalling ? { signalling: true } : {}),
      ...(inputs.windowMs !== DEFAULT_WINDOW_MS ? { windowMs: Math.round(inputs.windowMs) } : {}),
      ...(inputs.capacity !== DEFAULT_CAPACITY ? { capacity: Math.round(inputs.capacity) } : {}),
    },
  }
}

/** A broker address as kept on disk: without its password (the user stays). */
export function withoutUrlPassword(url: string): string {
  if (!hasUrlPassword(url)) return url
  const masked = maskUrlPassword(url)
  return masked.replace(`:${MASKED_URL_PASSWORD}@`, '@')
}

/** The inputs as the page keeps them (ui.setState): never a password. */
export function keptSetup(inputs: SetupInputs): { pairId: string; a: SiteInputs; b: SiteInputs; signalling: boolean; windowMs: number; capacity: number } {
  const site = (given: SiteInputs) => ({ mqtt: withoutUrlPassword(given.mqtt), device: given.device })
  return { pairId: inputs.pairId, a: site(inputs.a), b: site(inputs.b), signalling: inputs.signalling, windowMs: inputs.windowMs, capacity: inputs.capacity }
}

/** Puts what was kept back into the inputs, value by value, ignoring anything of the wrong type. */
export function restoreSetup(into: SetupInputs, kept: unknown): void {
  if (typeof kept !== 'object' || kept === null) return
  const value = kept as Record<string, unknown>
  if (typeof value.pairId === 'string') into.pairId = value.pairId
  for (const name of ['a', 'b'] as const) {
    const site = value[name]
    if (typeof site !== 'object' || site === null) continue
    const { mqtt, device } = site as Record<string, unknown>
    if (typeof mqtt === 'string') into[name].mqtt = mqtt
    if (typeof device === 'string') into[name].device = device
  }
  if (typeof value.signalling === 'boolean') into.signalling = value.signalling
  if (typeof value.windowMs === 'number') into.windowMs = value.windowMs
  if (typeof value.capacity === 'number') into.capacity = value.capacity
}
