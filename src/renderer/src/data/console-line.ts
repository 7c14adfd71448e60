// A console line as the Monitor view shows and filters it: its level (E, W, I, D, V) and tag from
// the line's own prefix — ESP-IDF "W (1234) tag: …", libjuice "00:00:01 WARN    agent.c:979: …",
// mosquitto "12: …" — or, for a line without one, from the colour the device gave it.
import type { MonitorLine } from '../../../common/contract'
import type { AnsiColour } from '../../../common/logs'

export const LEVELS = ['E', 'W', 'I', 'D', 'V'] as const
export type Level = (typeof LEVELS)[number]

export const LEVEL_NAMES: Record<Level, string> = { E: 'Error', W: 'Warning', I: 'Info', D: 'Debug', V: 'Verbose' }

export interface ConsoleLine {
  seq: number
  hostTime: number
  text: string
  colour?: AnsiColour
  /** Written by PairKit (a hand-over, a reset, the port going away), not the device. */
  marker: boolean
  level?: Level
  tag?: string
}

const ESP_IDF = /^([EWIDV]) \((?:\d+|\d\d:\d\d:\d\d\.\d+)\) ([^:]{1,64}): /
const JUICE = /^\d\d:\d\d:\d\d (VERBOSE|DEBUG|INFO|WARN|ERROR|FATAL) +([\w.-]{1,64}):\d+: /
const MOSQUITTO = /^\d{1,10}: /
const JUICE_LEVELS: Record<string, Level> = { VERBOSE: 'V', DEBUG: 'D', INFO: 'I', WARN: 'W', ERROR: 'E', FATAL: 'E' }
const COLOUR_LEVELS: Partial<Record<AnsiColour, Level>> = { red: 'E', 'bright-red': 'E', yellow: 'W', 'bright-yellow': 'W', green: 'I', 'bright-green': 'I' }

export function consoleLine(line: MonitorLine): ConsoleLine {
  const shown: ConsoleLine = { seq: line.seq, hostTime: line.hostTime, text: line.text, marker: line.marker === true }
  if (line.colour) shown.colour = line.colour
  if (shown.marker) return shown
  const text = line.text
  const first = text.charCodeAt(0)
  // A cheap look at the first characters before any regular expression.
  if (text.charCodeAt(1) === 32 && text.charCodeAt(2) === 40) {
    const match = ESP_IDF.exec(text)
    if (match) {
      shown.level = match[1] as Level
      shown.tag = match[2] as string
      return shown
    }
  } else if (first >= 48 && first <= 57) {
    const juice = text.charCodeAt(2) === 58 ? JUICE.exec(text) : null
    if (juice) {
      shown.level = JUICE_LEVELS[juice[1] as string]
      shown.tag = juice[2] as string
      return shown
    }
    if (MOSQUITTO.test(text)) shown.tag = 'mosquitto'
  }
  const byColour = line.colour ? COLOUR_LEVELS[line.colour] : undefined
  if (byColour) shown.level = byColour
  return shown
}

/** What the technician filters by: the levels shown (lines without a level under "other"), and a tag. */
export interface ConsoleFilter {
  levels: ReadonlySet<Level | 'other'>
  /** Shown when the line's tag contains this text (any case); empty shows every tag. */
  tag: string
}

export const ALL_LEVELS: ReadonlySet<Level | 'other'> = new Set([...LEVELS, 'other'])

export function passesFilter(line: ConsoleLine, filter: ConsoleFilter): boolean {
  // PairKit's own lines (a hand-over, the port going away) always show.
  if (line.marker) return true
  if (!filter.levels.has(line.level ?? 'other')) return false
  if (filter.tag === '') return true
  return line.tag !== undefined && line.tag.toLowerCase().includes(filter.tag.toLowerCase())
}

export function isFilterOpen(filter: ConsoleFilter): boolean {
  return filter.tag === '' && filter.levels.size === ALL_LEVELS.size
}

/** "14:02:33.120", the host's clock when the line's last byte arrived. */
export function formatHostTime(time: number): string {
  const date = new Date(time)
  const two = (value: number) => String(value).padStart(2, '0')
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}.${String(date.getMilliseconds()).padStart(3, '0')}`
}

/** The lines as a text file: one per line, with the host time in front when asked. */
export function consoleText(lines: readonly ConsoleLine[], withTimes: boolean): string {
  let text = ''
  for (const line of lines) text += `${withTimes ? `${formatHostTime(line.hostTime)} ` : ''}${line.text}\n`
  return text
}
