// The example's prefix-less printf lines (reference §3.3, §8.2): every signalling MQTT_EVENT_DATA
// is echoed as "TOPIC=…" and "DATA=…" (a JSON payload keeps its line breaks), then the other side's
// description as "desc->valuestring:…" (its SDP lines and a blank line) and each of its
// candidates as "candN: cand->valuestring:…".
import { candidateEvent } from './candidate'
import { Continuation, type Parsed, type Verdict } from './continuation'
import { isWholeJsonObject, SdpBlock } from './description'
import type { LogEventBody, LogEventOf } from './events'

const CAND = /^(cand\d+): cand->valuestring:(.*)$/
const TAB = 9

/** An example printf line, or undefined. */
export function examplePrintf(text: string): Parsed | undefined {
  switch (text.charCodeAt(0)) {
    case 84 /* T */:
      return text.startsWith('TOPIC=') ? new SignallingMessage(text.slice(6)) : undefined
    case 100 /* d */:
      if (!text.startsWith('desc->valuestring:')) return undefined
      return new SdpBlock('remote', null, 'printf', text.slice(18), [{ kind: 'signalling', t: null, format: 'printf', event: 'description-received' }])
    case 99 /* c */: {
      if (!text.startsWith('cand')) return undefined
      const match = CAND.exec(text)
      return match ? (candidateEvent(match[2] as string, 'remote', null, 'printf', match[1]) ?? { kind: 'raw', t: null, format: 'printf', text }) : undefined
    }
    case 68 /* D */:
      // DATA= without its TOPIC= (esp-mqtt's later fragments of a long message).
      return text.startsWith('DATA=') ? { kind: 'raw', t: null, format: 'printf', text } : undefined
    default:
      return undefined
  }
}

/** TOPIC=, then DATA= and, for a JSON payload printed over several lines, its lines up to "}". */
class SignallingMessage extends Continuation {
  private payload: string | undefined
  private json = false
  private open = false

  constructor(private readonly topic: string) {
    super()
  }

  next(text: string): Verdict {
    if (this.payload === undefined) {
      if (!text.startsWith('DATA=')) return 'not-mine'
      this.payload = text.slice(5)
      this.json = this.payload.charCodeAt(0) === 123
      this.open = this.json && !isWholeJsonObject(this.payload)
      return this.open ? 'more' : 'last'
    }
    const c = text.charCodeAt(0)
    if (c === 125 /* } */) return 'last'
    return c === TAB || c === 32 || text.length === 0 ? 'more' : 'not-mine'
  }

  finish(): LogEventBody[] {
    const event: LogEventOf<'signalling'> = { kind: 'signalling', t: null, format: 'printf', event: 'message', topic: this.topic }
    if (this.json) event.description = true
    else if (this.payload !== undefined) event.payload = this.payload
    return [event]
  }
}
