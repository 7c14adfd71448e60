// Bytes as a serial port (or a file) delivers them, in chunks of any size, into lines.
//
// - UTF-8 is decoded across chunk boundaries; invalid bytes become U+FFFD, never an exception.
// - A line ends at "\n", at a run of "\r" followed by one "\n" ("\r\n"; also "\r\r\n", which
//   ESP-IDF's CRLF conversion makes of a message that already ends in "\r\n"), or at a run of
//   "\r" followed by anything else. As a regular expression: /\r+\n?|\n/.
// - ANSI CSI sequences are removed from each line; the first foreground colour is kept.
// - A line longer than the cap is cut into pieces of at most `cap` characters (before an
//   unfinished CSI sequence or a surrogate pair, see safeCut); every piece after the first is
//   marked `continued`. Memory stays bounded whatever the input.
//
// The lines do not depend on how the input was chunked.
import { firstColour, safeCut, stripAnsi, type AnsiColour, ESC } from './ansi'

/** Receives each line: text without ANSI and line break, its first colour, whether it continues a cut line. */
export type LineSink = (text: string, colour: AnsiColour | undefined, continued: boolean) => void

export interface LogLine {
  /** Decoded text without ANSI CSI sequences and without the line break. */
  text: string
  /** The first foreground colour the line's SGR sequences set (the level colour of ESP-IDF and libjuice). */
  colour?: AnsiColour
  /** A later piece of a line longer than the cap: it continues the previous LogLine's text. */
  continued?: boolean
}

/** 64 KiB of characters: far above any real console line, small enough to keep in memory. */
export const DEFAULT_LINE_CAP = 65536

const LF = 10
const CR = 13

export class LineSplitter {
  private readonly decoder = new TextDecoder('utf-8')
  /** Raw text (with ANSI) of the line not yet ended: usually empty or one piece. */
  private pending = ''
  /** The last character seen was "\r": more "\r" and one "\n" still belong to that line break. */
  private inCrRun = false
  /** The current line has already been cut: its next piece is `continued`. */
  private cut = false
  private readonly cap: number

  constructor(cap = DEFAULT_LINE_CAP) {
    if (!Number.isInteger(cap) || cap < 64) throw new RangeError(`line cap ${cap} must be an integer of at least 64`)
    this.cap = cap
  }

  /** Hands the complete lines in `chunk` (bytes, or text already decoded) to `sink`. */
  push(chunk: Uint8Array | string, sink: LineSink): void {
    const text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true })
    if (text.length > 0) this.scan(text, sink)
  }

  /** End of input: the bytes of an unfinished UTF-8 sequence and the unterminated last line. */
  flush(sink: LineSink): void {
    const rest = this.decoder.decode()
    if (rest.length > 0) this.scan(rest, sink)
    if (this.pending.length > 0) this.emit(this.pending, sink)
    this.pending = ''
    this.cut = false
    this.inCrRun = false
  }

  /** The lines of `chunk` as objects (tests, small inputs); `end` also flushes. */
  lines(chunk: Uint8Array | string, end = false): LogLine[] {
    const out: LogLine[] = []
    const sink: LineSink = (text, colour, continued) => {
      const line: LogLine = { text }
      if (colour) line.colour = colour
      if (continued) line.continued = true
      out.push(line)
    }
    this.push(chunk, sink)
    if (end) this.flush(sink)
    return out
  }

  /** Characters held for the unterminated line (at most the cap). */
  get pendingLength(): number {
    return this.pending.length
  }

  private scan(s: string, out: LineSink): void {
    const n = s.length
    let pos = 0
    if (this.inCrRun) {
      while (pos < n && s.charCodeAt(pos) === CR) pos++
      if (pos === n) return
      if (s.charCodeAt(pos) === LF) pos++
      this.inCrRun = false
    }
    let nextLf = s.indexOf('\n', pos)
    let nextCr = s.indexOf('\r', pos)
    while (pos < n) {
      if (nextLf !== -1 && nextLf < pos) nextLf = s.indexOf('\n', pos)
      if (nextCr !== -1 && nextCr < pos) nextCr = s.indexOf('\r', pos)
      const end = nextCr === -1 ? nextLf : nextLf === -1 ? nextCr : Math.min(nextLf, nextCr)
      if (end === -1) {
        this.hold(s.slice(pos), out)
        return
      }
      const segment = s.slice(pos, end)
      const line = this.pending.length === 0 ? segment : this.pending + segment
      this.pending = ''
      this.emit(line, out)
      if (end === nextLf) {
        pos = end + 1
        continue
      }
      pos = end + 1
      while (pos < n && s.charCodeAt(pos) === CR) pos++
      if (pos === n) {
        this.inCrRun = true
        return
      }
      if (s.charCodeAt(pos) === LF) pos++
    }
  }

  /** Keeps the unterminated rest, cutting off pieces while it is over the cap. */
  private hold(rest: string, out: LineSink): void {
    let text = this.pending.length === 0 ? rest : this.pending + rest
    while (text.length > this.cap) {
      const at = safeCut(text, this.cap)
      this.piece(text.slice(0, at), out)
      text = text.slice(at)
    }
    this.pending = text
  }

  /** A line has ended: its pieces over the cap, then the last piece. */
  private emit(line: string, out: LineSink): void {
    let text = line
    while (text.length > this.cap) {
      const at = safeCut(text, this.cap)
      this.piece(text.slice(0, at), out)
      text = text.slice(at)
    }
    this.piece(text, out)
    this.cut = false
  }

  private piece(raw: string, sink: LineSink): void {
    const continued = this.cut
    this.cut = true
    if (raw.indexOf(ESC) === -1) sink(raw, undefined, continued)
    else sink(stripAnsi(raw), firstColour(raw), continued)
  }
}
