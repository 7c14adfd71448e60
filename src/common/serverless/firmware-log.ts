// The firmware's console lines (reference §8): ESP-IDF `I (ms) tag: message` records and
// libjuice's `HH:MM:SS LEVEL   file.c:line: message` records. Formatters let a PairKit peer
// speak like the firmware (for the twin); parsers read real device output.

export type EspLogLevel = 'E' | 'W' | 'I' | 'D' | 'V'
export type JuiceLogLevel = 'VERBOSE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'FATAL'

export interface EspLogLine {
  level: EspLogLevel
  /** Milliseconds since boot, or the `HH:MM:SS.mmm` system-time form as text. */
  timestamp: number | string
  tag: string
  message: string
}

export interface JuiceLogLine {
  level: JuiceLogLevel
  /** Seconds of the local time of day (since boot without SNTP). */
  seconds: number
  file: string
  line: number
  message: string
}

// eslint-disable-next-line no-control-regex -- ANSI colour sequences start with ESC
const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g
const ESP_LINE = /^([EWIDV]) \((\d+|\d{2}:\d{2}:\d{2}\.\d{3})\) ([^:\s]+): ?(.*)$/
const JUICE_LINE = /^(\d{2}):(\d{2}):(\d{2}) (VERBOSE|DEBUG|INFO|WARN|ERROR|FATAL) +([\w.]+\.c):(\d+): (.*)$/

export function stripAnsi(line: string): string {
  return line.replace(ANSI, '')
}

export function formatEspLog({ level, timestamp, tag, message }: EspLogLine): string {
  return `${level} (${timestamp}) ${tag}: ${message}`
}

/** libjuice pads the level to 7 characters plus one space ("INFO" + 4 spaces). */
export function formatJuiceLog({ level, seconds, file, line, message }: JuiceLogLine): string {
  const whole = Math.max(0, Math.floor(seconds))
  const hh = String(Math.floor(whole / 3600) % 24).padStart(2, '0')
  const mm = String(Math.floor(whole / 60) % 60).padStart(2, '0')
  const ss = String(whole % 60).padStart(2, '0')
  return `${hh}:${mm}:${ss} ${level.padEnd(7)} ${file}:${line}: ${message}`
}

export function parseEspLog(line: string): EspLogLine | undefined {
  const match = ESP_LINE.exec(stripAnsi(line).replace(/\r?\n$/, ''))
  if (!match) return undefined
  const [, level, stamp, tag, message] = match as unknown as [string, EspLogLevel, string, string, string]
  return { level, timestamp: /^\d+$/.test(stamp) ? Number(stamp) : stamp, tag, message }
}

export function parseJuiceLog(line: string): JuiceLogLine | undefined {
  const match = JUICE_LINE.exec(stripAnsi(line).replace(/\r?\n$/, ''))
  if (!match) return undefined
  const [, hh, mm, ss, level, file, lineNo, message] = match as unknown as [string, string, string, string, JuiceLogLevel, string, string, string]
  return { level, seconds: Number(hh) * 3600 + Number(mm) * 60 + Number(ss), file, line: Number(lineNo), message }
}

/** Message texts of the example (§8.2) and libjuice (§8.4, file:line at the pinned commit). */
export const FIRMWARE_MESSAGES = {
  waitingForPeer: 'Waiting for the other peer...',
  syncDone: 'Sync done',
  waitingForDescription: 'Waiting for the other peer description and candidates...',
  peerConnected: 'Peer is connected!',
  gatheringDone: 'Gathering done',
  failedToInitPeer: 'Failed to init peer',
  invalidMessage: 'Received invalid message',
  messageTooLong: 'Fail to forward, message too long',
  juiceState: (state: string) => `JUICE state change: ${state}`,
  desc: (text: string) => `desc: ${text}`,
  handleTopic: (topic: string) => `handle_message topic:${topic}`,
  handleData: (data: string) => `handle_message data:${data}`,
  handleQos: (qos: number, retain: boolean) => `handle_message qos=${qos}, retain=${retain ? 1 : 0}`,
  forwardTopic: (topic: string) => `forwarding remote message: topic:${topic}`,
  forwardPayload: (payload: string) => `forwarding remote message: payload:${payload}`,
  syncFailed: (seconds: number) => `sync_peers(176): Failed to sync after ${seconds} seconds`,
  descriptionTimeout: 'sync_peers(176): Timeout in waiting for the other peer candidates',
} as const

export const JUICE_MESSAGES = {
  changingState: { file: 'agent.c', line: 1100, text: (state: string) => `Changing state to ${state}` },
  stunServer: { file: 'agent.c', line: 422, text: (hostPort: string) => `Using STUN server ${hostPort}` },
  gatheringDone: { file: 'agent.c', line: 2428, text: () => 'Candidate gathering done' },
  connectivityTimer: { file: 'agent.c', line: 2412, text: () => 'Connectivity timer started' },
  consentExpired: { file: 'agent.c', line: 860, text: (entry: number) => `STUN entry ${entry}: Consent expired for candidate pair` },
  lostConnectivity: { file: 'agent.c', line: 979, text: () => 'Lost connectivity' },
} as const
