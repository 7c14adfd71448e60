// The bridge settings a contract-following firmware reads at boot (docs/firmware-contract.md):
// the "nvs" data partition found through the partition table, namespace "smqtt", Kconfig
// defaults for whatever is missing or unusable. Returns the log lines such a firmware prints;
// no line ever carries a secret's value.
import { configFromNvsImage, CONFIG_FIELDS, CONFIG_NAMESPACE, defaultConfig, REDACTED, type DeviceConfig } from '../../common/config'
import type { EspLogLevel } from '../../common/serverless/firmware-log'
import type { PartitionEntry } from '../../common/partition-table'
import { maskUrlPassword } from '../../common/url-userinfo'
import type { FlashMemory } from '../flash'
import { readPartitionTable } from '../boot/flash-layout'

/** Log tag of the settings code (the NVS namespace, as the contract's example line uses). */
export const SETTINGS_TAG = 'smqtt'
const NVS_LABEL = 'nvs'
const TYPE_DATA = 0x01
const SUBTYPE_NVS = 0x02

export interface SettingsLine {
  level: EspLogLevel
  tag: string
  message: string
}

export interface FirmwareSettings {
  config: DeviceConfig
  /** Where they came from: the partition, or undefined when there is none. */
  partition: PartitionEntry | undefined
  /** Lines to print before esp_log_level_set (at the boot-time INFO level). */
  lines: SettingsLine[]
}

/** nvs_flash_init() opens the data partition labelled "nvs" (ESP-IDF's NVS_DEFAULT_PART_NAME). */
export function findNvsPartition(entries: readonly PartitionEntry[]): PartitionEntry | undefined {
  return entries.find((entry) => entry.type === TYPE_DATA && entry.subtype === SUBTYPE_NVS && entry.name === NVS_LABEL)
}

export function readFirmwareSettings(flash: FlashMemory): FirmwareSettings {
  const partition = findNvsPartition(readPartitionTable(flash))
  if (!partition || partition.offset + partition.size > flash.size) {
    // Assumption: ESP-IDF's nvs_flash_init() would fail here and the example's ESP_ERROR_CHECK
    // would abort; the twin reports it and carries on with the defaults so the rest can be seen.
    return {
      config: defaultConfig(),
      partition: undefined,
      lines: [{ level: 'E', tag: SETTINGS_TAG, message: `no "${NVS_LABEL}" data partition in the partition table; using the built-in defaults` }],
    }
  }
  return { ...settingsFromNvsImage(flash.read(partition.offset, partition.size)), partition }
}

/** Decodes an NVS partition image as the firmware would use it. Pure; never throws on bad bytes. */
export function settingsFromNvsImage(image: Uint8Array): Omit<FirmwareSettings, 'partition'> {
  let read: ReturnType<typeof configFromNvsImage>
  try {
    read = configFromNvsImage(image)
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    return { config: defaultConfig(), lines: [{ level: 'E', tag: SETTINGS_TAG, message: `NVS partition unreadable (${reason}); using the built-in defaults` }] }
  }
  const config: DeviceConfig = { ...read.config }
  const defaults = defaultConfig()
  const lines: SettingsLine[] = []
  const secrets = CONFIG_FIELDS.filter((spec) => spec.secret).map((spec) => String(read.config[spec.field])).filter((value) => value.length > 0)
  const hideSecrets = (text: string) => secrets.reduce((out, secret) => out.split(secret).join(REDACTED), text)
  if (read.stored.length === 0) {
    // Page-level problems (corrupt entries) still deserve a line; per-key ones say nothing new.
    for (const problem of read.problems) if (!problem.key && !problem.field && !problem.message.startsWith('no bridge settings')) lines.push({ level: 'W', tag: SETTINGS_TAG, message: hideSecrets(problem.message) })
    lines.push({ level: 'W', tag: SETTINGS_TAG, message: `no settings in NVS namespace "${CONFIG_NAMESPACE}"; using the built-in defaults` })
    return { config: defaults, lines }
  }
  for (const problem of read.problems) {
    // The contract: a key that is missing, mistyped or out of limits is ignored with a warning.
    if (problem.severity === 'error' && problem.field) (config as unknown as Record<string, unknown>)[problem.field] = defaults[problem.field]
    lines.push({ level: 'W', tag: SETTINGS_TAG, message: hideSecrets(problem.message) })
  }
  lines.push({ level: 'I', tag: SETTINGS_TAG, message: `settings from NVS namespace "${CONFIG_NAMESPACE}": ${read.stored.length} stored, ${CONFIG_FIELDS.length - read.stored.length} default` })
  return { config, lines }
}

/** The lines after esp_log_level_set: the contract's pair line, then what the bridge will use. */
export function settingsSummary(config: DeviceConfig): SettingsLine[] {
  const turn = config.turnHost ? `${config.turnHost}:${config.turnPort} user ${config.turnUser}` : 'none'
  return [
    { level: 'I', tag: SETTINGS_TAG, message: `pair ${config.pairId} role ${config.role}` },
    { level: 'I', tag: SETTINGS_TAG, message: `station "${config.staSsid}", IoT network "${config.apSsid}" channel ${config.apChannel}, broker port ${config.brokerPort}` },
    // The broker's password in the URI is a secret like the others (PairKit keeps it in its secret store).
    { level: 'I', tag: SETTINGS_TAG, message: `signalling ${maskUrlPassword(config.signallingUri)} topic ${config.syncTopic}, STUN ${config.stunHost}:${config.stunPort}, TURN ${turn}` },
  ]
}
