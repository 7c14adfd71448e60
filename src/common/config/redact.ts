// Secrets (Wi-Fi and TURN passwords, and a password in the signalling broker's URI) never
// leave the app in clear text unless asked for.
import { CONFIG_FIELDS, fieldSpec, type ConfigField, type DeviceConfig } from './contract'

export const REDACTED = '••••'

/** What replaces the password of a URI's userinfo (`mqtt://user:***@host`). */
export const MASKED_URL_PASSWORD = '***'

/** Settings that hold a URI, which may carry a password in its userinfo. */
export const URI_FIELDS: readonly ConfigField[] = ['signallingUri']

/**
 * The URI's userinfo password (`scheme://user:PASSWORD@host…`), or undefined when it has
 * none. The authority ends at the first "/", "?" or "#", and the userinfo at its last "@",
 * as URI parsers (the firmware's and mqtt.js's) read it.
 */
function splitUrlPassword(text: string): { before: string; password: string; after: string } | undefined {
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(text)
  if (!scheme) return undefined
  const start = scheme[0].length
  const authorityEnd = text.slice(start).search(/[/?#]/)
  const authority = authorityEnd < 0 ? text.slice(start) : text.slice(start, start + authorityEnd)
  const at = authority.lastIndexOf('@')
  const colon = at < 0 ? -1 : authority.slice(0, at).indexOf(':')
  if (colon < 0 || colon + 1 === at) return undefined
  return { before: text.slice(0, start + colon + 1), password: authority.slice(colon + 1, at), after: text.slice(start + at) }
}

/** Whether the URI carries a (non-empty) password in its userinfo. */
export function hasUrlPassword(text: string): boolean {
  return splitUrlPassword(text) !== undefined
}

/**
 * The URI with its userinfo password replaced by "***", the user kept
 * (`mqtt://tech:s3cret@broker` → `mqtt://tech:***@broker`). Anything that is not such a
 * URI comes back unchanged; it never throws.
 */
export function maskUrlPassword(text: string): string {
  const parts = typeof text === 'string' ? splitUrlPassword(text) : undefined
  return parts ? `${parts.before}${MASKED_URL_PASSWORD}${parts.after}` : text
}

/**
 * A copy with every non-empty secret replaced by "••••" and the password of every URI
 * masked. An empty password stays empty: it means "open network", which the technician
 * needs to see and which reveals nothing.
 */
export function redactConfig<T extends Partial<DeviceConfig>>(config: T): T {
  const copy: Record<string, unknown> = { ...config }
  for (const spec of CONFIG_FIELDS) if (spec.field in copy) copy[spec.field] = redactValue(spec.field, copy[spec.field])
  return copy as T
}

export function redactValue(field: ConfigField, value: unknown): unknown {
  if (typeof value !== 'string' || value === '') return value
  if (fieldSpec(field).secret) return REDACTED
  return URI_FIELDS.includes(field) ? maskUrlPassword(value) : value
}

/**
 * An NVS entry's value as a dump shows it: the bridge's password keys (sta_pass, ap_pass,
 * turn_pass) hidden, whatever their type, and a password in a URI key masked.
 */
export function redactNvsValue<T>(key: string, value: T): T | string {
  const spec = CONFIG_FIELDS.find((candidate) => candidate.key === key)
  if (!spec) return value
  if (spec.secret) return (typeof value === 'string' || value instanceof Uint8Array) && value.length === 0 ? value : REDACTED
  return typeof value === 'string' ? (redactValue(spec.field, value) as string) : value
}

/** One "label: value" line per setting, secrets hidden unless `showSecrets`. */
export function formatConfig(config: DeviceConfig, options: { showSecrets?: boolean } = {}): string {
  const shown = options.showSecrets ? config : redactConfig(config)
  const width = Math.max(...CONFIG_FIELDS.map((spec) => spec.label.length))
  return CONFIG_FIELDS.map((spec) => `${spec.label.padEnd(width)}  ${describeValue(spec.field, shown[spec.field])}`).join('\n')
}

function describeValue(field: ConfigField, value: unknown): string {
  if (value === '' && (field === 'staPassword' || field === 'apPassword')) return '(none: open network)'
  if (field === 'apChannel' && value === 0) return '0 (follow the upstream Wi-Fi)'
  if (value === '') return '(not set)'
  return String(value)
}
