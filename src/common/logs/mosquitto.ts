// mosquitto's log lines on the ESP's stderr (reference §8.3): "N: message", N = time(NULL) in
// seconds (since boot without SNTP, epoch seconds with it).
import type { LogEventBody, LogEventOf } from './events'
import type { ParserState } from './parser-state'

const VERSION = /^mosquitto version (\S+) (starting|running|terminating)$/
const LISTEN = /^Opening ipv[46] listen socket on port (\d+)\.$/
const CONNECTION = /^New connection from (\S+):(\d+) on port (\d+)\.$/
const CLIENT = /^New client connected from (\S+):(\d+) as (\S+) \(p(\d+), c(\d), k(\d+)(?:, u'([^']*)')?\)\.$/
const CLIENT_GONE: readonly [RegExp, string][] = [
  [/^Client (\S+) closed its connection\.$/, 'closed'],
  [/^Client (\S+) disconnected\.$/, 'disconnected'],
  [/^Client (\S+) has exceeded timeout, disconnecting\.$/, 'timeout'],
  [/^Client (\S+) already connected, closing old connection\.$/, 'taken-over'],
  [/^Client (\S+) disconnected(?:,| due to) (.+?)\.?$/, 'error'],
]

/** Digits (up to 12), a colon and a space. */
export function startsLikeMosquittoRecord(text: string): boolean {
  return mosquittoSplit(text) > 0
}

/** The index of the message after "N: ", or -1. */
function mosquittoSplit(text: string): number {
  let i = 0
  let c = text.charCodeAt(0)
  while (c >= 48 && c <= 57 && i < 12) c = text.charCodeAt(++i)
  return i > 0 && c === 58 && text.charCodeAt(i + 1) === 32 ? i + 2 : -1
}

export function mosquittoLine(text: string, state: ParserState): LogEventBody | undefined {
  const start = mosquittoSplit(text)
  if (start < 0) return undefined
  const seconds = Number(text.slice(0, start - 2))
  const m = text.slice(start)
  const base = { kind: 'broker' as const, t: null, format: 'mosquitto' as const }
  switch (m.charCodeAt(0)) {
    case 109 /* m */: {
      const match = VERSION.exec(m)
      if (!match) break
      const event: LogEventOf<'broker'> = { ...base, event: match[2] as 'starting' | 'running' | 'terminating', version: match[1] as string }
      if (match[2] === 'running' && state.listenPort !== undefined) event.port = state.listenPort
      return event
    }
    case 79 /* O */: {
      const match = LISTEN.exec(m)
      if (!match) break
      state.listenPort = Number(match[1])
      return { ...base, event: 'listening', port: state.listenPort }
    }
    case 78 /* N */: {
      const client = CLIENT.exec(m)
      if (client) {
        const event: LogEventOf<'broker'> = {
          ...base,
          event: 'client-connected',
          clientId: client[3] as string,
          address: client[1] as string,
          port: Number(client[2]),
          protocol: Number(client[4]),
          clean: client[5] === '1',
          keepalive: Number(client[6]),
        }
        if (client[7] !== undefined) event.username = client[7]
        return event
      }
      const connection = CONNECTION.exec(m)
      if (connection) return { ...base, event: 'connection', address: connection[1] as string, port: Number(connection[2]), listenPort: Number(connection[3]) }
      break
    }
    case 67 /* C */:
      for (const [pattern, reason] of CLIENT_GONE) {
        const match = pattern.exec(m)
        if (match) return { ...base, event: 'client-disconnected', clientId: match[1] as string, reason: reason === 'error' ? (match[2] as string) : reason }
      }
      break
  }
  return { kind: 'raw', t: null, format: 'mosquitto', text, seconds }
}
