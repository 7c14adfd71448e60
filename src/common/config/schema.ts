// Validation of a device configuration, with messages a technician can act on. The zod
// schema is the single source for the UI form (field-level issues) and the CLI.
import { z } from 'zod'
import { CONFIG_FIELDS, LOG_LEVELS, PEER_LIBRARIES, type ConfigField, type DeviceConfig, type PeerLibrary } from './contract'

const utf8Length = (text: string) => new TextEncoder().encode(text).length

/** Kconfig default of EXAMPLE_WEBRTC_URL, the signalling address when the peer library is webrtc. */
export const WEBRTC_DEFAULT_SIGNALLING_URI = 'https://webrtc.espressif.com/join/'

export function defaultSignallingUri(peerLibrary: PeerLibrary): string {
  return peerLibrary === 'webrtc' ? WEBRTC_DEFAULT_SIGNALLING_URI : 'mqtt://mqtt.eclipseprojects.io'
}

// The firmware copies strings into fixed buffers; these are the limits it must allow.
export const STRING_LIMITS = { ssid: 32, uri: 255, topic: 100, host: 253, user: 64, turnPassword: 64 } as const

const ssid = (what: string) =>
  z.string()
    .min(1, { message: `${what} is empty; enter the network name` })
    .refine((value) => utf8Length(value) <= STRING_LIMITS.ssid, { message: `${what} is too long: Wi-Fi names are at most 32 bytes (accented letters count double)` })

const wpa2Password = (what: string) =>
  z.string().refine((value) => value === '' || (/^[\x20-\x7e]*$/.test(value) && value.length >= 8 && value.length <= 63), {
    message: `${what} must be 8 to 63 characters (letters, digits, punctuation), or empty for an open network`,
  })

const port = (what: string) =>
  z.number({ message: `${what} must be a number` }).int({ message: `${what} must be a whole number` })
    .min(1, { message: `${what} must be between 1 and 65535` }).max(65535, { message: `${what} must be between 1 and 65535` })

const HOSTNAME = /^(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/
const IPV6 = /^[0-9A-Fa-f:.]+$/
const isHost = (value: string) => HOSTNAME.test(value) || (value.includes(':') && IPV6.test(value))

const host = (what: string, optional: boolean) =>
  z.string().refine((value) => (optional && value === '') || isHost(value), {
    message: `${what} must be a host name like stun.example.com or an IP address${optional ? ', or empty' : ''}`,
  })

export const deviceConfigSchema = z
  .object({
    staSsid: ssid('The upstream Wi-Fi name'),
    staPassword: wpa2Password('The upstream Wi-Fi password'),
    apSsid: ssid('The IoT network name'),
    apPassword: wpa2Password('The IoT network password'),
    apChannel: z.number().int().min(0, { message: 'The IoT network channel must be 1 to 13, or 0 to follow the upstream Wi-Fi' })
      .max(13, { message: 'The IoT network channel must be 1 to 13, or 0 to follow the upstream Wi-Fi' }),
    role: z.union([z.literal(1), z.literal(2)], { message: 'The role must be 1 or 2; the two devices of a pair must have different roles' }),
    peerLibrary: z.enum(PEER_LIBRARIES, { message: 'The peer library must be "juice" (libjuice over MQTT signalling) or "webrtc" (esp-peer)' }),
    signallingUri: z.string().min(1, { message: 'The signalling broker address is empty' })
      .refine((value) => utf8Length(value) <= STRING_LIMITS.uri, { message: `The signalling broker address is longer than ${STRING_LIMITS.uri} bytes` }),
    syncTopic: z.string()
      .min(1, { message: 'The sync topic prefix is empty' })
      .refine((value) => utf8Length(value) <= STRING_LIMITS.topic, { message: `The sync topic prefix is longer than ${STRING_LIMITS.topic} bytes` })
      .refine((value) => !/[+#\0]/.test(value), { message: 'The sync topic prefix must not contain the MQTT wildcards + or #' }),
    stunHost: host('The STUN server', false),
    stunPort: port('The STUN port'),
    turnHost: host('The TURN server', true),
    turnPort: port('The TURN port'),
    turnUser: z.string().refine((value) => utf8Length(value) <= STRING_LIMITS.user, { message: `The TURN user name is longer than ${STRING_LIMITS.user} bytes` }),
    turnPassword: z.string().refine((value) => utf8Length(value) <= STRING_LIMITS.turnPassword, { message: `The TURN password is longer than ${STRING_LIMITS.turnPassword} bytes` }),
    brokerPort: port('The local MQTT broker port'),
    logLevel: z.enum(LOG_LEVELS, { message: `The log level must be one of ${LOG_LEVELS.join(', ')}` }),
    pairId: z.string().regex(/^(?:[a-z0-9]{8,32})?$/, { message: 'The pair id must be 8 to 32 lowercase letters and digits, or empty' }),
  })
  .strict()
  .superRefine((config, context) => {
    if (config.peerLibrary === 'juice' && !/^(mqtts?|wss?):\/\/[^/\s]+/.test(config.signallingUri)) {
      context.addIssue({ code: 'custom', path: ['signallingUri'], message: 'With libjuice the signalling broker address must start with mqtt://, mqtts://, ws:// or wss://, e.g. mqtt://broker.example.com' })
    }
    if (config.peerLibrary === 'webrtc' && !/^https?:\/\/[^/\s]+/.test(config.signallingUri)) {
      context.addIssue({ code: 'custom', path: ['signallingUri'], message: `With esp-peer (webrtc) the signalling address must be an https:// join URL, e.g. ${WEBRTC_DEFAULT_SIGNALLING_URI}` })
    }
    if (config.turnHost !== '' && (config.turnUser === '' || config.turnPassword === '')) {
      context.addIssue({ code: 'custom', path: [config.turnUser === '' ? 'turnUser' : 'turnPassword'], message: 'A TURN server needs both a user name and a password' })
    }
  }) satisfies z.ZodType<DeviceConfig>

export interface ConfigIssue {
  /** The setting concerned, or undefined for the configuration as a whole. */
  field?: ConfigField
  label?: string
  message: string
}

export type ConfigCheck = { ok: true; config: DeviceConfig } | { ok: false; issues: ConfigIssue[] }

/** Validates anything (a form's state, a JSON file) as a device configuration. */
export function checkConfig(input: unknown): ConfigCheck {
  const parsed = deviceConfigSchema.safeParse(input)
  if (parsed.success) return { ok: true, config: parsed.data }
  return {
    ok: false,
    issues: parsed.error.issues.map((issue) => {
      const field = CONFIG_FIELDS.find((spec) => spec.field === issue.path[0])
      if (!field) {
        const unknown = issue.code === 'unrecognized_keys' ? `Unknown settings: ${issue.keys.join(', ')}` : issue.message
        return { message: unknown }
      }
      let message = issue.message
      if (issue.code === 'invalid_type' && !issue.message.startsWith('The')) {
        const missing = typeof input !== 'object' || input === null || (input as Record<string, unknown>)[field.field] === undefined
        message = missing ? `${field.label} is missing` : `${field.label} must be ${issue.expected === 'string' ? 'text' : `a ${issue.expected}`}`
      }
      return { field: field.field, label: field.label, message }
    }),
  }
}
