// Cuts a device's byte stream into lines. A line ends at "\n" (a "\r" before it is dropped, as
// ESP-IDF ends lines with "\r\n"), after MONITOR_LIMITS.lineBytes bytes without one, or where
// the stream is cut (flush(): the port handed over, lost or closed). The rule depends only on
// the bytes and the cuts, so counting the lines of a spooled raw.bin, cut at its markers'
// offsets, gives the same number as the session counted live.
import { MONITOR_LIMITS } from '../../common/contract/monitor'

const NEWLINE = 0x0a
const CR = 0x0d

export class LineSplitter {
  private readonly decoder = new TextDecoder('utf-8')
  private held: Uint8Array[] = []
  private heldBytes = 0

  constructor(private readonly maxBytes: number = MONITOR_LIMITS.lineBytes) {}

  /** The lines `chunk` completes, in order. */
  push(chunk: Uint8Array): string[] {
    const lines: string[] = []
    let start = 0
    while (start < chunk.length) {
      const room = this.maxBytes - this.heldBytes
      const newline = chunk.indexOf(NEWLINE, start)
      const end = newline < 0 ? chunk.length : newline
      if (end - start > room) {
        // No newline within the limit: the line is cut after exactly maxBytes bytes.
        this.hold(chunk.subarray(start, start + room))
        lines.push(this.take(false))
        start += room
        continue
      }
      this.hold(chunk.subarray(start, end))
      if (newline < 0) break
      lines.push(this.take(true))
      start = newline + 1
    }
    return lines
  }

  /** The line under way, if any (the stream is cut here). */
  flush(): string | undefined {
    return this.heldBytes > 0 ? this.take(false) : undefined
  }

  private hold(part: Uint8Array): void {
    if (part.length === 0) return
    // Copied: the chunk's buffer belongs to the link and may be reused.
    this.held.push(part.slice())
    this.heldBytes += part.length
  }

  private take(endedByNewline: boolean): string {
    let bytes: Uint8Array
    if (this.held.length === 1) bytes = this.held[0] as Uint8Array
    else {
      bytes = new Uint8Array(this.heldBytes)
      let at = 0
      for (const part of this.held) {
        bytes.set(part, at)
        at += part.length
      }
    }
    this.held = []
    this.heldBytes = 0
    if (endedByNewline && bytes.length > 0 && bytes[bytes.length - 1] === CR) bytes = bytes.subarray(0, bytes.length - 1)
    return this.decoder.decode(bytes)
  }
}
