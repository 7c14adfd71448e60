// One monitor session's console in the page: its lines (outside Vue's reactivity) and its exact
// counts — device lines received here, and lines the backend said this page missed (its
// connection was behind) — which together equal the backend's count of the session's lines.
import type { MonitorLine, MonitorLinesEvent } from '../../../common/contract'
import { ConsoleBuffer } from './console-buffer'
import { consoleLine } from './console-line'

/** Recent lines read back for a session the page did not see open (a reload, another window). */
const READ_BACK_LINES = 2000

export class SessionFeed {
  readonly buffer = new ConsoleBuffer()
  /** The seq the next line should have. */
  nextSeq = 1
  received = 0
  dropped = 0
  /** The backend's total of device lines when its last batch was made. */
  backendLines = 0
  /** The page saw the session from its first line (or has read back its recent lines since). */
  complete = false
  /** Batches held while the recent lines are read back. */
  private held: MonitorLinesEvent[] | undefined
  private readonly listeners = new Set<() => void>()

  /** Calls `listener` whenever lines were added or the counts changed; returns the unsubscribe. */
  listen(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  take(batch: MonitorLinesEvent): void {
    if (this.held) {
      this.held.push(batch)
      return
    }
    if (this.nextSeq === 1) this.complete = batch.fromSeq === 1 && batch.dropped === 0
    // Lines between the last one taken and this batch were missed: counted by the backend while
    // this connection was behind, or lost with a connection that dropped (then nobody counted them).
    this.dropped += this.nextSeq > 1 ? Math.max(batch.dropped, batch.fromSeq - this.nextSeq) : batch.dropped
    this.backendLines = batch.totals.lines
    this.add(batch.lines)
    this.changed()
  }

  /** The page's lines are cleared; the counts stay. */
  clear(): void {
    this.buffer.clear()
    this.changed()
  }

  private changed(): void {
    for (const listener of this.listeners) listener()
  }

  /**
   * Reads back what the session's ring still holds (the newest lines) through `read`
   * (monitor.read), holding live batches meanwhile: for a session that began before this page saw
   * it. Counts start afresh from there.
   */
  async readBack(read: (params: { fromSeq?: number; limit: number }) => Promise<{ lines: MonitorLine[]; nextSeq: number }>): Promise<void> {
    this.held = []
    try {
      const { nextSeq } = await read({ limit: 1 })
      const from = Math.max(1, nextSeq - READ_BACK_LINES)
      this.buffer.clear()
      this.received = 0
      this.dropped = 0
      this.nextSeq = from
      let seq = from
      while (seq < nextSeq) {
        const page = await read({ fromSeq: seq, limit: 2000 })
        if (page.lines.length === 0) break
        this.add(page.lines)
        seq = (page.lines.at(-1)?.seq ?? seq) + 1
      }
      this.complete = true
    } finally {
      const held = this.held
      this.held = undefined
      for (const batch of held) this.take(batch)
      this.changed()
    }
  }

  private add(lines: readonly MonitorLine[]): void {
    const fresh = lines.filter((line) => line.seq >= this.nextSeq)
    if (fresh.length === 0) return
    for (const line of fresh) if (!line.marker) this.received++
    this.nextSeq = (fresh.at(-1) as MonitorLine).seq + 1
    this.buffer.append(fresh.map(consoleLine))
  }
}
