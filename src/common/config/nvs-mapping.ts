// Device configuration ↔ NVS: the rows, CSV and partition image PairKit flashes, and the
// configuration read back from a device's NVS, with what is missing or wrong.
import { PairKitError } from '../errors'
import { formatNvsCsv, generateNvsPartition, readNvsPartition, type NvsCsvRow, type NvsEntry } from '../nvs'
import {
  CONFIG_CONTRACT_VERSION, CONFIG_FIELDS, CONFIG_NAMESPACE, CONFIG_VERSION_KEY, DEFAULT_NVS_SIZE, defaultConfig, logLevelFromNumber, logLevelToNumber,
  type ConfigField, type DeviceConfig,
} from './contract'
import { checkConfig } from './schema'

export interface ConfigProblem {
  severity: 'error' | 'warning'
  message: string
  field?: ConfigField
  key?: string
}

export interface ConfigReadBack {
  /** What the firmware will run with: stored values, and defaults for what is missing or unusable. */
  config: DeviceConfig
  /** Settings actually found in NVS (the rest are defaults). */
  stored: ConfigField[]
  problems: ConfigProblem[]
}

/** Throws a PairKitError listing every invalid setting. */
export function assertValidConfig(input: unknown, what = 'the configuration'): DeviceConfig {
  const check = checkConfig(input)
  if (check.ok) return check.config
  throw new PairKitError('BAD_INPUT', `${what} is not valid: ${check.issues.map((issue) => issue.message).join('; ')}`, {
    hint: 'Correct the settings named and try again.',
  })
}

export function configToNvsRows(input: DeviceConfig): Omit<NvsCsvRow, 'line'>[] {
  const config = assertValidConfig(input)
  const rows: Omit<NvsCsvRow, 'line'>[] = [
    { key: CONFIG_NAMESPACE, type: 'namespace', encoding: '', value: '' },
    { key: CONFIG_VERSION_KEY, type: 'data', encoding: 'u8', value: String(CONFIG_CONTRACT_VERSION) },
  ]
  for (const spec of CONFIG_FIELDS) {
    const value = spec.field === 'logLevel' ? logLevelToNumber(config.logLevel) : config[spec.field]
    rows.push({ key: spec.key, type: 'data', encoding: spec.nvsType, value: String(value) })
  }
  return rows
}

/** The CSV for Espressif's nvs_partition_gen, for firmware teams who build images themselves. */
export function configToNvsCsv(config: DeviceConfig): string {
  return formatNvsCsv(configToNvsRows(config))
}

export function configToNvsImage(config: DeviceConfig, size = DEFAULT_NVS_SIZE): Uint8Array {
  return generateNvsPartition(configToNvsRows(config).map((row) => ({ ...row, line: 0 })), size).image
}

export function configFromNvsImage(image: Uint8Array): ConfigReadBack {
  const read = readNvsPartition(image)
  const result = configFromNvsEntries(read.entries)
  const nvsProblems: ConfigProblem[] = read.problems.map((problem) => ({ severity: problem.severity, message: problem.message, ...(problem.key ? { key: problem.key } : {}) }))
  return { ...result, problems: [...nvsProblems, ...result.problems] }
}

export function configFromNvsEntries(entries: readonly NvsEntry[]): ConfigReadBack {
  const problems: ConfigProblem[] = []
  const ours = entries.filter((entry) => entry.namespace === CONFIG_NAMESPACE)
  const config: Record<string, unknown> = { ...defaultConfig() }
  const stored: ConfigField[] = []
  if (ours.length === 0) {
    problems.push({ severity: 'warning', message: `no bridge settings (NVS namespace "${CONFIG_NAMESPACE}") on this device: it runs with the firmware's built-in settings` })
    return { config: defaultConfig(), stored, problems }
  }
  const byKey = new Map(ours.map((entry) => [entry.key, entry]))
  const version = byKey.get(CONFIG_VERSION_KEY)
  if (version === undefined) problems.push({ severity: 'warning', key: CONFIG_VERSION_KEY, message: `the settings carry no contract version (${CONFIG_VERSION_KEY})` })
  else if (version.type !== 'u8' || typeof version.value !== 'number' || version.value > CONFIG_CONTRACT_VERSION) {
    problems.push({ severity: 'warning', key: CONFIG_VERSION_KEY, message: `the settings were written for contract version ${String(version.value)}; this PairKit knows version ${CONFIG_CONTRACT_VERSION}` })
  }
  const known = new Set([CONFIG_VERSION_KEY, ...CONFIG_FIELDS.map((spec) => spec.key)])
  for (const entry of ours) {
    if (!known.has(entry.key)) problems.push({ severity: 'warning', key: entry.key, message: `"${entry.key}" is not a setting this PairKit knows; the firmware may ignore it` })
  }
  for (const spec of CONFIG_FIELDS) {
    const entry = byKey.get(spec.key)
    if (!entry) {
      problems.push({ severity: 'warning', field: spec.field, key: spec.key, message: `${spec.label} is not stored (${spec.key}); the firmware uses its default${spec.secret ? '' : ` ${JSON.stringify(spec.defaultValue)}`}` })
      continue
    }
    if (entry.type !== spec.nvsType) {
      problems.push({ severity: 'error', field: spec.field, key: spec.key, message: `${spec.label} (${spec.key}) is stored as ${entry.type}, not ${spec.nvsType}; the firmware cannot read it` })
      continue
    }
    if (spec.field === 'logLevel') {
      const level = logLevelFromNumber(entry.value as number)
      if (!level) {
        problems.push({ severity: 'error', field: spec.field, key: spec.key, message: `Log level ${String(entry.value)} is not 0 (none) … 5 (verbose)` })
        continue
      }
      config.logLevel = level
    } else {
      config[spec.field] = entry.value
    }
    stored.push(spec.field)
  }
  const check = checkConfig(config)
  if (!check.ok) {
    for (const issue of check.issues) problems.push({ severity: 'error', message: issue.message, ...(issue.field ? { field: issue.field, key: CONFIG_FIELDS.find((spec) => spec.field === issue.field)?.key } : {}) })
  }
  return { config: config as unknown as DeviceConfig, stored, problems }
}
