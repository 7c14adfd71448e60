// Secrets (Wi-Fi and TURN passwords) never leave the app in clear text unless asked for.
import { CONFIG_FIELDS, fieldSpec, type ConfigField, type DeviceConfig } from './contract'

export const REDACTED = '••••'

/**
 * A copy with every non-empty secret replaced by "••••". An empty password stays empty:
 * it means "open network", which the technician needs to see and which reveals nothing.
 */
export function redactConfig<T extends Partial<DeviceConfig>>(config: T): T {
  const copy = { ...config }
  for (const spec of CONFIG_FIELDS) {
    if (spec.secret && typeof copy[spec.field] === 'string' && copy[spec.field] !== '') (copy as Record<string, unknown>)[spec.field] = REDACTED
  }
  return copy
}

export function redactValue(field: ConfigField, value: unknown): unknown {
  return fieldSpec(field).secret && typeof value === 'string' && value !== '' ? REDACTED : value
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
