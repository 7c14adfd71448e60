// A record that may span several lines (reference §8.1: the SDP "desc:" block, the JSON
// "desc: {…}" block, TOPIC=/DATA= with a JSON payload, the handle_message triple). The parser
// that reads a record's first line returns a Continuation; LogParser offers it each following
// line until it is closed, then asks it for the record's events.
import type { LogEventBody } from './events'

/** more: the line belongs to the record; last: it belongs and closes it; not-mine: the record ended before it. */
export type Verdict = 'more' | 'last' | 'not-mine'

export abstract class Continuation {
  /** Offered each following line (ANSI removed) while the record is open. */
  abstract next(text: string): Verdict
  /** The record's events, once closed: by 'last', by 'not-mine', by LogParser's size cap, or at the end of input. */
  abstract finish(): LogEventBody[]
}

/** What reading one line gives: its event(s), or an open record. */
export type Parsed = LogEventBody | LogEventBody[] | Continuation

/** A record whose first line also has events of its own (an E-level line's error event). */
export class WithLeading extends Continuation {
  constructor(
    private readonly leading: LogEventBody[],
    private readonly inner: Continuation,
  ) {
    super()
  }

  next(text: string): Verdict {
    return this.inner.next(text)
  }

  finish(): LogEventBody[] {
    return [...this.leading, ...this.inner.finish()]
  }
}
