// mosquitto's log lines on the ESP's stderr (reference §8.3): "N: message", N = time(NULL) in
// seconds (since boot without SNTP, epoch seconds with it).
import { parseEndpoint, toPort } from './endpoint'
import type { LogEventBody, LogEventOf } from './events'
import type { ParserState } from './parser-state'

const VERSION = /^mosquitto version (\S+) (starting|running|terminating)$/
const LISTEN = /^Opening ipv[46] listen socket on port (\d+)\.$/
const CLIENT_TAIL = /^\(p(\d+), c(\d), k(\d+)(?:, u'([^']*)')?\)\.$/

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
  const m = start === 0 ? text : text.slice(start)
  const event = mosquittoMeaning(m, state)
  return event ?? { kind: 'raw', t: null, format: 'mosquitto', text, seconds: Number(text.slice(0, start - 2)) }
}

// Read by hand: client lines are a busy broker's most frequent, and a regular expression with
// "(\S+):(\d+)" backtracks over every address.
function mosquittoMeaning(m: string, state: ParserState): LogEventBody | undefined {
  switch (m.charCodeAt(0)) {
    case 78 /* N */:
      if (m.startsWith('New client connected from ')) return clientConnected(m)
      if (m.startsWith('New connection from ')) {
        const on = m.indexOf(' on port ', 20)
        const from = on > 0 ? parseEndpoint(m.slice(20, on)) : undefined
        const listen = on > 0 && m.endsWith('.') ? toPort(m.slice(on + 9, -1)) : undefined
        if (!from || listen === undefined) return undefined
        return { kind: 'broker', t: null, format: 'mosquitto', event: 'connection', address: from.address, port: from.port, listenPort: listen }
      }
      return undefined
    case 67 /* C */: {
      if (!m.startsWith('Client ')) return undefined
      const space = m.indexOf(' ', 7)
      if (space < 0) return undefined
      const clientId = m.slice(7, space)
      const rest = m.slice(space)
      const reason =
        rest === ' disconnected.' ? 'disconnected'
          : rest === ' closed its connection.' ? 'closed'
            : rest === ' has exceeded timeout, disconnecting.' ? 'timeout'
              : rest === ' already connected, closing old connection.' ? 'taken-over'
                : rest.startsWith(' disconnected, ') || rest.startsWith(' disconnected due to ') ? rest.replace(/^ disconnected(?:,| due to) /, '').replace(/\.$/, '')
                  : undefined
      return reason === undefined ? undefined : { kind: 'broker', t: null, format: 'mosquitto', event: 'client-disconnected', clientId, reason }
    }
    case 109 /* m */: {
      const match = VERSION.exec(m)
      if (!match) return undefined
      const event: LogEventOf<'broker'> = { kind: 'broker', t: null, format: 'mosquitto', event: match[2] as 'starting' | 'running' | 'terminating', version: match[1] as string }
      if (match[2] === 'running' && state.listenPort !== undefined) event.port = state.listenPort
      return event
    }
    case 79 /* O */: {
      const match = LISTEN.exec(m)
      if (!match) return undefined
      state.listenPort = Number(match[1])
      return { kind: 'broker', t: null, format: 'mosquitto', event: 'listening', port: state.listenPort }
    }
    default:
      return undefined
  }
}

/** "New client connected from A:P as ID (p2, c1, k60)." with an optional ", u'user'". */
function clientConnected(m: string): LogEventBody | undefined {
  const as = m.indexOf(' as ', 26)
  const open = m.lastIndexOf(' (p')
  if (as < 0 || open <= as + 4) return undefined
  const from = parseEndpoint(m.slice(26, as))
  const tail = CLIENT_TAIL.exec(m.slice(open + 1))
  if (!from || !tail) return undefined
  const event: LogEventOf<'broker'> = {
    kind: 'broker',
    t: null,
    format: 'mosquitto',
    event: 'client-connected',
    clientId: m.slice(as + 4, open),
    address: from.address,
    port: from.port,
    protocol: Number(tail[1]),
    clean: tail[2] === '1',
    keepalive: Number(tail[3]),
  }
  if (tail[4] !== undefined) event.username = tail[4]
  return event
}
