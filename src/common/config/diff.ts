// Intended versus actual configuration (e.g. what was flashed versus what a device holds).
import { CONFIG_FIELDS, type ConfigField, type DeviceConfig } from './contract'
import { redactValue } from './redact'

export interface ConfigDifference {
  field: ConfigField
  key: string
  label: string
  secret: boolean
  intended: unknown
  actual: unknown
}

/** Every setting whose values differ, in contract order. Secrets are compared in full; hide them when showing. */
export function diffConfig(intended: DeviceConfig, actual: DeviceConfig): ConfigDifference[] {
  return CONFIG_FIELDS.filter((spec) => intended[spec.field] !== actual[spec.field]).map((spec) => ({
    field: spec.field,
    key: spec.key,
    label: spec.label,
    secret: spec.secret,
    intended: intended[spec.field],
    actual: actual[spec.field],
  }))
}

/** The differences with secrets hidden (a changed password shows as "differs", never its value). */
export function redactDifferences(differences: readonly ConfigDifference[]): ConfigDifference[] {
  return differences.map((difference) => ({ ...difference, intended: redactValue(difference.field, difference.intended), actual: redactValue(difference.field, difference.actual) }))
}

export function formatConfigDiff(differences: readonly ConfigDifference[], options: { showSecrets?: boolean } = {}): string {
  if (differences.length === 0) return 'The device holds exactly the intended settings.'
  const shown = options.showSecrets ? differences : redactDifferences(differences)
  return shown.map((difference) => `${difference.label}: intended ${JSON.stringify(difference.intended)}, device has ${JSON.stringify(difference.actual)}`).join('\n')
}
