// Secrets (Wi-Fi and TURN passwords, and a password in the signalling broker's URI) never
// leave the app in clear text unless asked for.
import { maskUrlPassword } from '../url-userinfo'
import { CONFIG_FIELDS, fieldSpec, type ConfigField, type DeviceConfig } from './contract'

export const REDACTED = '••••'

/** Settings that hold a URI, which may carry a password in its userinfo. */
export const URI_FIELDS: readonly ConfigField[] = ['signallingUri']

// One reading of a URI's userinfo for the whole app (the peer's log lines use it too).
export { hasUrlPassword, maskUrlPassword, MASKED_URL_PASSWORD } from '../url-userinfo'

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
