// libjuice's own lines on the ESP's stdout (reference §8.1, §8.4):
// "HH:MM:SS LEVEL   file.c:line: message", the level padded to 7 characters plus a space. The
// time is the local time of day (time since boot without SNTP) in whole seconds, so `t` is null.
import { candidateEvent } from './candidate'
import { parseEndpoint } from './endpoint'
import type { LogEventBody, LogEventOf } from './events'

export interface JuiceRecord {
  time: string
  level: string
  file: string
  line: number
  message: string
}

const LEVELS: ReadonlySet<string> = new Set(['VERBOSE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'])
const STATE = /^Changing state to (gathering|connecting|connected|completed|failed|disconnected)$/
const STUN_SERVER = /^Using STUN server (\S+?):(\d+)$/
const MAPPED = /^Got STUN mapped address (\S+) from server$/
const GATHERED = /^Gathered (?:host|reflexive|relayed) candidate: (.*)$/

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57
}

/** "DD:DD:DD " at the start. */
export function startsLikeJuiceRecord(text: string): boolean {
  return (
    text.charCodeAt(2) === 58 && text.charCodeAt(5) === 58 && text.charCodeAt(8) === 32 &&
    isDigit(text.charCodeAt(0)) && isDigit(text.charCodeAt(1)) && isDigit(text.charCodeAt(3)) &&
    isDigit(text.charCodeAt(4)) && isDigit(text.charCodeAt(6)) && isDigit(text.charCodeAt(7))
  )
}

export function parseJuiceRecord(text: string): JuiceRecord | undefined {
  if (!startsLikeJuiceRecord(text)) return undefined
  const levelEnd = text.indexOf(' ', 9)
  if (levelEnd < 0) return undefined
  const level = text.slice(9, levelEnd)
  if (!LEVELS.has(level)) return undefined
  let i = levelEnd
  while (text.charCodeAt(i) === 32) i++
  const colon = text.indexOf(':', i)
  if (colon <= i || colon - i > 64) return undefined
  let j = colon + 1
  let line = 0
  while (isDigit(text.charCodeAt(j)) && j - colon < 8) line = line * 10 + text.charCodeAt(j++) - 48
  if (j === colon + 1 || text.charCodeAt(j) !== 58) return undefined
  const start = text.charCodeAt(j + 1) === 32 ? j + 2 : j + 1
  return { time: text.slice(0, 8), level, file: text.slice(i, colon), line, message: text.slice(start) }
}

export function juiceLine(text: string): LogEventBody | LogEventBody[] | undefined {
  const record = parseJuiceRecord(text)
  if (!record) return undefined
  const specific = juiceMeaning(record)
  if (record.level !== 'ERROR' && record.level !== 'FATAL') return specific ?? juiceRaw(text, record)
  const error: LogEventOf<'error'> = { kind: 'error', t: null, format: 'libjuice', tag: record.file, line: record.line, message: record.message }
  return specific ? [error, specific] : error
}

function juiceRaw(text: string, record: JuiceRecord): LogEventBody {
  return { kind: 'raw', t: null, format: 'libjuice', text, level: record.level, tag: record.file, time: record.time }
}

function juiceMeaning({ message: m }: JuiceRecord): LogEventBody | undefined {
  const t = null
  const format = 'libjuice' as const
  switch (m.charCodeAt(0)) {
    case 67 /* C */: {
      const state = STATE.exec(m)
      if (state) return { kind: 'ice-state', t, format, state: state[1] as LogEventOf<'ice-state'>['state'] }
      if (m === 'Candidate gathering done') return { kind: 'ice', t, format, event: 'gathering-done' }
      if (m === 'Connectivity timer started') return { kind: 'ice', t, format, event: 'timer-started' }
      if (m === 'Connectivity timer expired') return { kind: 'ice', t, format, event: 'timer-expired' }
      return undefined
    }
    case 85 /* U */: {
      const server = STUN_SERVER.exec(m)
      return server ? { kind: 'stun', t, format, event: 'server', host: server[1] as string, port: Number(server[2]) } : undefined
    }
    case 71 /* G */: {
      const mapped = MAPPED.exec(m)
      if (mapped) {
        const endpoint = parseEndpoint(mapped[1] as string)
        return endpoint ? { kind: 'stun', t, format, event: 'mapped', address: endpoint.address, port: endpoint.port } : undefined
      }
      const gathered = GATHERED.exec(m)
      return gathered ? candidateEvent(gathered[1] as string, 'local', t, format) : undefined
    }
    case 83 /* S */:
      if (m === 'STUN server binding successful') return { kind: 'stun', t, format, event: 'binding-ok' }
      if (m.startsWith('STUN server binding failed')) return { kind: 'stun', t, format, event: 'binding-failed', ...(m.length > 26 ? { detail: m.slice(26).trim().replace(/^\(|\)$/g, '') } : {}) }
      if (m.startsWith('STUN entry ') && m.endsWith('Consent expired for candidate pair')) return { kind: 'ice', t, format, event: 'consent-expired' }
      if (m === 'Send while ICE is not connected') return { kind: 'ice', t, format, event: 'send-not-connected' }
      return undefined
    case 76 /* L */:
      return m === 'Lost connectivity' ? { kind: 'ice', t, format, event: 'lost-connectivity' } : undefined
    case 73 /* I */:
      if (m.startsWith('ICE role conflict')) return { kind: 'ice', t, format, event: 'role-conflict', ...(m.length > 17 ? { detail: m.slice(17).trim().replace(/^\(|\)$/g, '') } : {}) }
      if (m.startsWith('Ignoring candidate with unknown type')) return { kind: 'ice', t, format, event: 'bad-candidate', detail: m }
      return undefined
    case 82 /* R */:
      // The datagram is dropped (reference §4.7).
      return m.startsWith('Received a datagram from unknown address') ? { kind: 'drop', t, format, reason: 'unknown-address', direction: 'from-peer' } : undefined
    case 70 /* F */:
      if (m.startsWith('Failed to resolve address')) return { kind: 'ice', t, format, event: 'resolve-failed', detail: m.slice(26).trim() }
      if (m.startsWith('Failed to parse')) return { kind: 'ice', t, format, event: 'bad-candidate', detail: m }
      return undefined
    default:
      return undefined
  }
}
