// The device-configuration contract: which NVS keys a serverless-MQTT bridge firmware reads
// at boot, with their types and defaults. docs/firmware-contract.md describes the same
// table for firmware authors; a unit test keeps the two in step.

/** The bridge firmware's project name (the example's CMakeLists `project(serverless_mqtt)`), as its app descriptor carries it. */
export const BRIDGE_PROJECT_NAME = 'serverless_mqtt'
/** NVS namespace holding the bridge settings (≤ 15 characters). */
export const CONFIG_NAMESPACE = 'smqtt'
/** Stored as cfg_ver so a firmware can tell which contract wrote the partition. */
export const CONFIG_CONTRACT_VERSION = 1
export const CONFIG_VERSION_KEY = 'cfg_ver'
/** Partition size PAIRKIT writes by default (ESP-IDF's default "nvs" partition is 0x6000). */
export const DEFAULT_NVS_SIZE = 0x6000

export const LOG_LEVELS = ['none', 'error', 'warn', 'info', 'debug', 'verbose'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]
export const PEER_LIBRARIES = ['juice', 'webrtc'] as const
export type PeerLibrary = (typeof PEER_LIBRARIES)[number]

export interface DeviceConfig {
  staSsid: string
  staPassword: string
  apSsid: string
  apPassword: string
  /** 0 = follow the upstream Wi-Fi's channel (what the stock example does in AP+STA mode). */
  apChannel: number
  role: 1 | 2
  peerLibrary: PeerLibrary
  signallingUri: string
  syncTopic: string
  stunHost: string
  stunPort: number
  /** Empty = no TURN server; the other turn* fields are then ignored. */
  turnHost: string
  turnPort: number
  turnUser: string
  turnPassword: string
  brokerPort: number
  logLevel: LogLevel
  /** Empty, or the random id shared by the two devices of a pair. */
  pairId: string
}

export type ConfigField = keyof DeviceConfig

export interface ConfigFieldSpec {
  field: ConfigField
  /** NVS key (≤ 15 characters) in CONFIG_NAMESPACE. */
  key: string
  nvsType: 'string' | 'u8' | 'u16'
  /** Shown in the UI and in messages, in a technician's words. */
  label: string
  secret: boolean
  /** Equal to the stock example's Kconfig default where it has one. */
  defaultValue: string | number
}

/** One row per setting, in the order the firmware contract lists them. */
export const CONFIG_FIELDS: readonly ConfigFieldSpec[] = [
  { field: 'staSsid', key: 'sta_ssid', nvsType: 'string', label: 'Upstream Wi-Fi name (SSID)', secret: false, defaultValue: 'mystationssid' },
  { field: 'staPassword', key: 'sta_pass', nvsType: 'string', label: 'Upstream Wi-Fi password', secret: true, defaultValue: 'mystationpassword' },
  { field: 'apSsid', key: 'ap_ssid', nvsType: 'string', label: 'IoT network name (SSID)', secret: false, defaultValue: 'myssid' },
  { field: 'apPassword', key: 'ap_pass', nvsType: 'string', label: 'IoT network password', secret: true, defaultValue: '12345678' },
  { field: 'apChannel', key: 'ap_channel', nvsType: 'u8', label: 'IoT network channel', secret: false, defaultValue: 0 },
  { field: 'role', key: 'role', nvsType: 'u8', label: 'Role in the pair', secret: false, defaultValue: 1 },
  { field: 'peerLibrary', key: 'peer_lib', nvsType: 'string', label: 'Peer library', secret: false, defaultValue: 'juice' },
  { field: 'signallingUri', key: 'signal_uri', nvsType: 'string', label: 'Signalling broker address', secret: false, defaultValue: 'mqtt://mqtt.eclipseprojects.io' },
  { field: 'syncTopic', key: 'sync_topic', nvsType: 'string', label: 'Sync topic prefix', secret: false, defaultValue: '/topic/serverless_mqtt' },
  { field: 'stunHost', key: 'stun_host', nvsType: 'string', label: 'STUN server', secret: false, defaultValue: 'stun.l.google.com' },
  { field: 'stunPort', key: 'stun_port', nvsType: 'u16', label: 'STUN port', secret: false, defaultValue: 19302 },
  { field: 'turnHost', key: 'turn_host', nvsType: 'string', label: 'TURN server (optional)', secret: false, defaultValue: '' },
  { field: 'turnPort', key: 'turn_port', nvsType: 'u16', label: 'TURN port', secret: false, defaultValue: 3478 },
  { field: 'turnUser', key: 'turn_user', nvsType: 'string', label: 'TURN user name', secret: false, defaultValue: '' },
  { field: 'turnPassword', key: 'turn_pass', nvsType: 'string', label: 'TURN password', secret: true, defaultValue: '' },
  { field: 'brokerPort', key: 'broker_port', nvsType: 'u16', label: 'Local MQTT broker port', secret: false, defaultValue: 1883 },
  { field: 'logLevel', key: 'log_level', nvsType: 'u8', label: 'Log level', secret: false, defaultValue: 3 },
  { field: 'pairId', key: 'pair_id', nvsType: 'string', label: 'Pair id', secret: false, defaultValue: '' },
]

export const SECRET_FIELDS: readonly ConfigField[] = CONFIG_FIELDS.filter((spec) => spec.secret).map((spec) => spec.field)

export function fieldSpec(field: ConfigField): ConfigFieldSpec {
  return CONFIG_FIELDS.find((spec) => spec.field === field) as ConfigFieldSpec
}

/** The stock example's behaviour: every setting at its Kconfig default. */
export function defaultConfig(): DeviceConfig {
  return {
    staSsid: 'mystationssid',
    staPassword: 'mystationpassword',
    apSsid: 'myssid',
    apPassword: '12345678',
    apChannel: 0,
    role: 1,
    peerLibrary: 'juice',
    signallingUri: 'mqtt://mqtt.eclipseprojects.io',
    syncTopic: '/topic/serverless_mqtt',
    stunHost: 'stun.l.google.com',
    stunPort: 19302,
    turnHost: '',
    turnPort: 3478,
    turnUser: '',
    turnPassword: '',
    brokerPort: 1883,
    logLevel: 'info',
    pairId: '',
  }
}

/** Log levels are stored as ESP-IDF's esp_log_level_t (0 none … 5 verbose). */
export function logLevelToNumber(level: LogLevel): number {
  return LOG_LEVELS.indexOf(level)
}

export function logLevelFromNumber(value: number): LogLevel | undefined {
  return LOG_LEVELS[value]
}
