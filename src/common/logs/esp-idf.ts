// ESP-IDF log records (reference §8.1): "I (1234) tag: message", the "(HH:MM:SS.mmm)" variant of
// CONFIG_LOG_TIMESTAMP_SOURCE_SYSTEM, and esp_check's "func(line): " prefix inside the message.
// Read by hand rather than by regular expression: these are most of a session's lines.
import type { LogEventBody, LogEventOf } from './events'

export type EspLevel = 'E' | 'W' | 'I' | 'D' | 'V'

export interface EspRecord {
  level: EspLevel
  /** Milliseconds since boot (the system-time form converted to milliseconds). */
  t: number
  tag: string
  message: string
}

const OPEN_PAREN = 40
const CLOSE_PAREN = 41
const SPACE = 32
const COLON = 58

/** True when the line starts like an ESP-IDF record: a level letter, a space and "(". */
export function startsLikeEspRecord(text: string): boolean {
  const c = text.charCodeAt(0)
  return (c === 73 || c === 69 || c === 87 || c === 68 || c === 86) && text.charCodeAt(1) === SPACE && text.charCodeAt(2) === OPEN_PAREN
}

export function parseEspRecord(text: string): EspRecord | undefined {
  if (!startsLikeEspRecord(text)) return undefined
  // The stamp: digits, or HH:MM:SS.mmm.
  let i = 3
  let t = 0
  let c = text.charCodeAt(i)
  while (c >= 48 && c <= 57 && i < 16) {
    t = t * 10 + (c - 48)
    c = text.charCodeAt(++i)
  }
  if (c !== CLOSE_PAREN || i === 3) {
    if (c !== COLON || i !== 5) return undefined
    const stamp = systemStamp(text)
    if (stamp === undefined) return undefined
    t = stamp
    i = 15
  }
  if (text.charCodeAt(i + 1) !== SPACE) return undefined
  const tagStart = i + 2
  const colon = text.indexOf(':', tagStart)
  if (colon <= tagStart) return undefined
  for (let k = tagStart; k < colon; k++) {
    const code = text.charCodeAt(k)
    if (code === SPACE || code === 9) return undefined
  }
  const messageStart = text.charCodeAt(colon + 1) === SPACE ? colon + 2 : colon + 1
  return { level: text[0] as EspLevel, t, tag: text.slice(tagStart, colon), message: text.slice(messageStart) }
}

/** "(HH:MM:SS.mmm)" at offset 2 → milliseconds, or undefined. */
function systemStamp(text: string): number | undefined {
  if (text.charCodeAt(15) !== CLOSE_PAREN || text.charCodeAt(8) !== COLON || text.charCodeAt(11) !== 46) return undefined
  const digits = [3, 4, 6, 7, 9, 10, 12, 13, 14].map((k) => text.charCodeAt(k) - 48)
  if (digits.some((d) => d < 0 || d > 9)) return undefined
  const [h1, h2, m1, m2, s1, s2, f1, f2, f3] = digits as [number, number, number, number, number, number, number, number, number]
  return ((h1 * 10 + h2) * 3600 + (m1 * 10 + m2) * 60 + s1 * 10 + s2) * 1000 + f1 * 100 + f2 * 10 + f3
}

export interface FuncLine {
  func: string
  line: number
  message: string
}

const FUNC_LINE = /^(\w+)\((\d+)\): ?(.*)$/s

/** esp_check's "func(line): message" (ESP_GOTO_ON_*, ESP_RETURN_ON_*), or undefined. */
export function splitFuncLine(message: string): FuncLine | undefined {
  const open = message.indexOf('(')
  if (open <= 0 || open > 64) return undefined
  const match = FUNC_LINE.exec(message)
  if (!match) return undefined
  return { func: match[1] as string, line: Number(match[2]), message: match[3] as string }
}

export function espError(record: EspRecord): LogEventOf<'error'> {
  const split = splitFuncLine(record.message)
  return split
    ? { kind: 'error', t: record.t, format: 'esp-idf', tag: record.tag, func: split.func, line: split.line, message: split.message }
    : { kind: 'error', t: record.t, format: 'esp-idf', tag: record.tag, message: record.message }
}

export function espRaw(text: string, record: EspRecord): LogEventBody {
  return { kind: 'raw', t: record.t, format: 'esp-idf', text, level: record.level, tag: record.tag }
}
