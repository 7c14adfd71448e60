// The ICE descriptions in a log (reference §3.2, §3.3): the SDP block libjuice's
// juice_get_local_description() gives ("desc: a=ice-ufrag:…" and its a= lines, then a blank
// line; the other side's, echoed as "desc->valuestring:…"), and the JSON the example publishes
// ("desc: {" … "}", cJSON_Print's tab-indented lines). The ICE password is never copied into an
// event.
import { candidateEvent } from './candidate'
import { Continuation, type Verdict } from './continuation'
import type { LogEventBody, LogEventOf, LogFormat } from './events'

const TAB = 9

/** "a=…" lines until a blank line (which belongs to the block). */
export class SdpBlock extends Continuation {
  private readonly lines: string[]

  constructor(
    private readonly side: 'local' | 'remote',
    private readonly t: number | null,
    private readonly format: LogFormat,
    first: string,
    /** Events of the same record after the description (e.g. signalling description-received). */
    private readonly after: LogEventBody[] = [],
  ) {
    super()
    this.lines = [first]
  }

  next(text: string): Verdict {
    if (text.startsWith('a=')) {
      this.lines.push(text)
      return 'more'
    }
    return text.length === 0 ? 'last' : 'not-mine'
  }

  finish(): LogEventBody[] {
    return [sdpDescription(this.lines, this.side, this.t, this.format), ...this.after]
  }
}

export function sdpDescription(lines: readonly string[], side: 'local' | 'remote', t: number | null, format: LogFormat): LogEventOf<'description'> {
  const event: LogEventOf<'description'> = { kind: 'description', t, format, side }
  for (const line of lines) {
    if (line.startsWith('a=ice-ufrag:')) event.ufrag = line.slice(12).trim()
    else if (line.startsWith('a=ice-options:')) event.options = line.slice(14).trim()
  }
  return event
}

/** A JSON object printed over several lines: "{" (or "KEY={"), indented lines, "}". */
export class JsonBlock extends Continuation {
  private readonly lines: string[]

  constructor(
    first: string,
    private readonly done: (json: string) => LogEventBody[],
  ) {
    super()
    this.lines = [first]
  }

  next(text: string): Verdict {
    const c = text.charCodeAt(0)
    if (c === 125 /* } */) {
      this.lines.push(text)
      return 'last'
    }
    if (c === TAB || c === 32 || text.length === 0) {
      this.lines.push(text)
      return 'more'
    }
    return 'not-mine'
  }

  finish(): LogEventBody[] {
    return this.done(this.lines.join('\n'))
  }
}

/** True when `text` is a whole JSON object on one line (compact JSON is accepted too). */
export function isWholeJsonObject(text: string): boolean {
  return text.length > 1 && text.charCodeAt(0) === 123 && text.trimEnd().endsWith('}')
}

interface DescriptionJson {
  desc?: string
  candidates: [string, string][]
}

const KEY_VALUE = /"(desc|cand\d+)"\s*:\s*"((?:[^"\\]|\\.)*)"/g

/** The example's description JSON: desc and candN, read even when the JSON is cut or broken. */
export function readDescriptionJson(json: string): DescriptionJson {
  const out: DescriptionJson = { candidates: [] }
  try {
    const value: unknown = JSON.parse(json)
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
        if (typeof item !== 'string') continue
        if (key === 'desc') out.desc = item
        else if (/^cand\d+$/.test(key)) out.candidates.push([key, item])
      }
      return out
    }
  } catch {
    // Cut or interleaved output: take the key/value pairs that are whole.
  }
  KEY_VALUE.lastIndex = 0
  for (let match = KEY_VALUE.exec(json); match; match = KEY_VALUE.exec(json)) {
    let value: string
    try {
      value = JSON.parse(`"${match[2] as string}"`) as string
    } catch {
      continue
    }
    if (match[1] === 'desc') out.desc = value
    else out.candidates.push([match[1] as string, value])
  }
  return out
}

/** A local JSON description: its description event, then one candidate event per candN. */
export function jsonDescriptionEvents(json: string, side: 'local' | 'remote', t: number | null, format: LogFormat): LogEventBody[] {
  const read = readDescriptionJson(json)
  const description = sdpDescription((read.desc ?? '').split(/\r?\n/), side, t, format)
  description.candidates = read.candidates.length
  const events: LogEventBody[] = [description]
  for (const [key, line] of read.candidates) {
    const candidate = candidateEvent(line, side, t, format, key)
    if (candidate) events.push(candidate)
  }
  return events
}
