// Helpers for the log parser tests: fixtures, the forms a console gives the same text in
// (CRLF, ESP-IDF colours, chunks of any size), and a compact view of events.
import { readFileSync } from 'node:fs'
import { expect } from 'vitest'
import { LogEventSchema, LogParser, type LogEvent } from '../../../src/common/logs'

export function fixture(name: string): string {
  return readFileSync(new URL(`../../fixtures/logs/${name}`, import.meta.url), 'utf8')
}

/** What the chip sends: every "\n" as "\r\n" (CONFIG_NEWLIB_STDOUT_LINE_ENDING_CRLF). */
export function crlf(text: string): string {
  return text.replace(/\r?\n/g, '\r\n')
}

const LEVEL_COLOURS: Record<string, string> = { E: '\x1b[0;31m', W: '\x1b[0;33m', I: '\x1b[0;32m' }

/** ESP-IDF's CONFIG_LOG_COLORS: E red, W yellow, I green, reset at the end of the record's first line. */
export function colourise(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      const colour = /^([EWI]) \(/.exec(line) ? LEVEL_COLOURS[line[0] as string] : undefined
      return colour ? `${colour}${line}\x1b[0m` : line
    })
    .join('\n')
}

/** Parses `input` pushed in chunks of the given sizes (repeated), checking each event against the schema. */
export function parseInChunks(input: Uint8Array | string, sizes: number[] = [1 << 20]): LogEvent[] {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input
  const parser = new LogParser()
  const events: LogEvent[] = []
  let offset = 0
  for (let i = 0; offset < bytes.length; i++) {
    const size = Math.max(1, sizes[i % sizes.length] as number)
    events.push(...parser.push(bytes.subarray(offset, offset + size)))
    offset += size
  }
  events.push(...parser.flush())
  for (const event of events) {
    const checked = LogEventSchema.safeParse(event)
    if (!checked.success) expect.fail(`event does not match the schema: ${JSON.stringify(event)}: ${checked.error.message}`)
  }
  return events
}

/** "kind:event" (or kind:state, kind:side/type …): enough to compare sequences at a glance. */
export function shape(event: LogEvent): string {
  switch (event.kind) {
    case 'ice-state':
      return `ice-state:${event.state}`
    case 'candidate':
      return `candidate:${event.side}/${event.type}`
    case 'description':
      return `description:${event.side}`
    case 'forward':
      return `forward:${event.direction}`
    case 'raw':
    case 'error':
    case 'candidate-pair':
    case 'selected-pair':
    case 'backtrace':
      return event.kind
    case 'drop':
      return `drop:${event.reason}`
    case 'reboot':
      return `reboot:${event.cause}`
    case 'panic':
      return `panic:${event.reason}`
    default:
      return `${event.kind}:${event.event}`
  }
}

/** The event without what LogParser adds, for comparing fields. */
export function fields(event: LogEvent): Record<string, unknown> {
  const { source: _source, sourceLine: _line, hostTime: _host, colour: _colour, ...rest } = event
  return rest
}

/**
 * The text the events account for: each record's lines (a record's events share its `source`
 * and `sourceLine`), records in order, a line break between lines except before the later pieces
 * of a line cut at the cap. LogParser's promise is that this equals `expectedText(input)`.
 */
export function accountedText(events: LogEvent[]): string {
  let text = ''
  let record = 0
  let next = 1
  for (const event of events) {
    if (event.sourceLine === record) continue
    // Records follow each other without a gap: no line is lost.
    if (event.sourceLine !== next) expect.fail(`record at line ${event.sourceLine} where line ${next} was due`)
    record = next
    const source = event.source as string[]
    source.forEach((line, index) => {
      const continues = index === 0 && event.kind === 'raw' && event.continued === true
      text += (record === 1 && index === 0) || continues ? line : `\n${line}`
    })
    next = record + source.length
  }
  return text
}

/** The input as text: UTF-8 decoded with U+FFFD, lines split at /\r+\n?|\n/, ANSI CSI removed, TURN passwords masked. */
export function expectedText(input: Uint8Array | string): string {
  const text = typeof input === 'string' ? input : new TextDecoder().decode(input)
  const lines = text.split(/\r+\n?|\n/)
  if (/[\r\n]$/.test(text) || text.length === 0) lines.pop()
  // eslint-disable-next-line no-control-regex -- CSI sequences start with ESC
  return lines.map((line) => line.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').replace(/psw:\s*\S+/g, 'psw:***')).join('\n')
}
