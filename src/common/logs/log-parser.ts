// The API the monitor, the CLI and the views share: bytes in, events out, for one device's
// stream. Stateful (a record may span lines, a line may span chunks), never throws on input, and
// drops nothing: every line ends up in the `source` of exactly one record, whose events all
// share that `source` array and `sourceLine`.
import type { AnsiColour } from './ansi'
import { Continuation, type Verdict } from './continuation'
import { parseLine } from './dispatcher'
import { redactSecrets } from './esp-peer'
import type { LogEvent, LogEventBody } from './events'
import { DEFAULT_LINE_CAP, LineSplitter, type LineSink } from './line-splitter'
import { ParserState } from './parser-state'

export interface LogParserOptions {
  /** Longest line kept whole, in characters; a longer one is cut into `continued` pieces. */
  lineCap?: number
  /** Most lines one record may span (a description block, a JSON payload) before it is closed. */
  maxRecordLines?: number
}

interface OpenRecord {
  continuation: Continuation
  lines: string[]
  firstLine: number
  colour: AnsiColour | undefined
  hostTime: number | undefined
}

export class LogParser {
  private readonly splitter: LineSplitter
  private readonly state = new ParserState()
  private readonly maxRecordLines: number
  private count = 0
  private open: OpenRecord | undefined
  /** Where the current push's events go, and the host time of its chunk. */
  private out: LogEvent[] = []
  private hostTime: number | undefined
  private readonly sink: LineSink = (text, colour, continued) => this.line(text, colour, continued)

  constructor(options: LogParserOptions = {}) {
    this.splitter = new LineSplitter(options.lineCap ?? DEFAULT_LINE_CAP)
    this.maxRecordLines = Math.max(2, options.maxRecordLines ?? 256)
  }

  /**
   * The events of the records `chunk` completes. `hostTime` (the host's clock when the chunk
   * arrived, ms since the epoch) is copied onto the events of records that start in this chunk.
   */
  push(chunk: Uint8Array | string, hostTime?: number): LogEvent[] {
    const out: LogEvent[] = []
    this.out = out
    this.hostTime = hostTime
    this.splitter.push(chunk, this.sink)
    this.out = []
    return out
  }

  /** End of the stream: the unterminated last line and the record still open. */
  flush(hostTime?: number): LogEvent[] {
    const out: LogEvent[] = []
    this.out = out
    this.hostTime = hostTime
    this.splitter.flush(this.sink)
    this.close(out)
    this.out = []
    return out
  }

  /**
   * Closes the record waiting for more lines (an SDP block whose blank line has not come), e.g.
   * when the device has been quiet for a while; the unterminated line stays buffered. Events
   * then depend on timing, which is why only a live monitor should call this.
   */
  settle(): LogEvent[] {
    const out: LogEvent[] = []
    this.close(out)
    return out
  }

  /** Lines (and pieces of cut lines) read so far: the last event's sourceLine is at most this. */
  get lineCount(): number {
    return this.count
  }

  private line(lineText: string, colour: AnsiColour | undefined, continued: boolean): void {
    const out = this.out
    const hostTime = this.hostTime
    const number = ++this.count
    let text = lineText
    if (text.indexOf('psw:') !== -1) text = redactSecrets(text)
    const open = this.open
    if (open) {
      if (!continued) {
        const verdict = this.offer(open.continuation, text)
        if (verdict !== 'not-mine') {
          open.lines.push(text)
          if (verdict === 'last' || open.lines.length >= this.maxRecordLines) this.close(out)
          return
        }
      }
      this.close(out)
    }
    if (continued) {
      stamp({ kind: 'raw', t: null, format: 'text', text, continued: true }, number, [text], colour, hostTime, out)
      return
    }
    const parsed = this.parse(text)
    if (parsed instanceof Continuation) {
      this.open = { continuation: parsed, lines: [text], firstLine: number, colour, hostTime }
      return
    }
    const source = [text]
    if (Array.isArray(parsed)) for (const body of parsed) stamp(body, number, source, colour, hostTime, out)
    else stamp(parsed, number, source, colour, hostTime, out)
  }

  private close(out: LogEvent[]): void {
    const open = this.open
    if (!open) return
    this.open = undefined
    let events: LogEventBody[]
    try {
      events = open.continuation.finish()
    } catch {
      events = []
    }
    // A record always has an event, so its lines are never lost.
    if (events.length === 0) events = [{ kind: 'raw', t: null, format: 'text', text: open.lines.join('\n') }]
    for (const body of events) stamp(body, open.firstLine, open.lines, open.colour, open.hostTime, out)
  }

  // A parser's fault must cost one line's meaning, never the stream: the line becomes raw.
  private parse(text: string): ReturnType<typeof parseLine> {
    try {
      return parseLine(text, this.state)
    } catch {
      return { kind: 'raw', t: null, format: 'text', text }
    }
  }

  private offer(continuation: Continuation, text: string): Verdict {
    try {
      return continuation.next(text)
    } catch {
      return 'not-mine'
    }
  }
}

function stamp(body: LogEventBody, sourceLine: number, source: string[], colour: AnsiColour | undefined, hostTime: number | undefined, out: LogEvent[]): void {
  const event = body as LogEvent
  event.sourceLine = sourceLine
  event.source = source
  if (colour !== undefined) event.colour = colour
  if (hostTime !== undefined) event.hostTime = hostTime
  out.push(event)
}

/** All events of a whole text or byte array (tests, small files). */
export function parseLog(input: Uint8Array | string, options?: LogParserOptions): LogEvent[] {
  const parser = new LogParser(options)
  return [...parser.push(input), ...parser.flush()]
}
