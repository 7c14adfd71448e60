// A session's recent lines in memory, for the UI to catch up or scroll back (monitor.read):
// the newest N lines, and no more text than a byte budget, whichever is smaller. The oldest go
// first; seq numbers keep counting, so a reader sees exactly what it missed.
import { MONITOR_LIMITS, type MonitorLine } from '../../common/contract/monitor'

/** 10 000 lines of up to 4 KiB would be 40 MiB per session; the text budget keeps it to 4 MiB. */
export const RING_TEXT_BUDGET = 4 << 20

export class LineRing {
  private readonly slots: (MonitorLine | undefined)[]
  private head = 0
  private count = 0
  private chars = 0
  private next = 1

  constructor(
    private readonly maxLines: number = MONITOR_LIMITS.ringLines,
    private readonly maxChars: number = RING_TEXT_BUDGET,
  ) {
    this.slots = new Array<MonitorLine | undefined>(maxLines)
  }

  /** The seq of the oldest line kept (nextSeq when empty). */
  get firstSeq(): number {
    return this.next - this.count
  }

  /** The seq the next line will get. */
  get nextSeq(): number {
    return this.next
  }

  push(line: Omit<MonitorLine, 'seq'>): MonitorLine {
    const stored: MonitorLine = { seq: this.next++, ...line }
    if (this.count === this.maxLines) this.evict()
    this.slots[(this.head + this.count) % this.maxLines] = stored
    this.count++
    this.chars += stored.text.length
    while (this.chars > this.maxChars && this.count > 1) this.evict()
    return stored
  }

  /** Up to `limit` lines from `fromSeq` on (from the oldest kept when that one is gone). */
  read(fromSeq: number, limit: number): MonitorLine[] {
    const start = Math.max(fromSeq, this.firstSeq)
    const lines: MonitorLine[] = []
    for (let seq = start; seq < this.next && lines.length < limit; seq++) {
      lines.push(this.slots[(this.head + (seq - this.firstSeq)) % this.maxLines] as MonitorLine)
    }
    return lines
  }

  private evict(): void {
    const oldest = this.slots[this.head] as MonitorLine
    this.slots[this.head] = undefined
    this.head = (this.head + 1) % this.maxLines
    this.count--
    this.chars -= oldest.text.length
  }
}
