// The rows the Traffic view holds: a bounded window of the backend's buffer, kept by id. The
// backend's buffer is the id range [firstId, nextId); live rows arrive in batches (the newest
// 200 per batch at most, the rest counted as omitted), and any other row is read by id when
// the list scrolls to it. At most `maxRows` rows stay in the page, those nearest to what is on
// screen, so the page stays light at any message rate. Plain objects, no reactivity: the view
// redraws from a version number, once per animation frame.
import type { TrafficBatch } from '../../../common/contract'
import type { TrafficRow, TrafficRowUpdate } from '../../../common/traffic/model'

export const DEFAULT_MAX_PAGE_ROWS = 5000

export class TrafficRowCache {
  private readonly rows = new Map<number, TrafficRow>()
  /** The backend buffer's range, as the last batch or read said. */
  firstId = 0
  nextId = 0
  /** Rows that came in batches only as a count since the start or the last clear (read by scrolling). */
  notSentLive = 0
  /** Bumped on every change the list should show. */
  version = 0

  constructor(readonly maxRows = DEFAULT_MAX_PAGE_ROWS) {}

  get size(): number {
    return this.rows.size
  }

  /** Rows in the backend's buffer now. */
  get total(): number {
    return Math.max(0, this.nextId - this.firstId)
  }

  get(id: number): TrafficRow | undefined {
    return this.rows.get(id)
  }

  /** Takes a batch; `focus` is the id the list centres on (the newest while following). */
  applyBatch(batch: Pick<TrafficBatch, 'rows' | 'updates' | 'omittedRows' | 'counters'>, focus?: number): void {
    for (const row of batch.rows) this.rows.set(row.id, row)
    for (const update of batch.updates) this.update(update)
    this.notSentLive += batch.omittedRows
    this.setRange(batch.counters.buffer.firstId, batch.counters.buffer.nextId)
    this.trim(focus ?? this.nextId - 1)
    this.version++
  }

  /** Takes rows read with traffic.read (they replace what the page had: they are newer). */
  applyRead(rows: readonly TrafficRow[], range: { firstId: number; nextId: number }, focus: number): void {
    for (const row of rows) this.rows.set(row.id, row)
    this.setRange(range.firstId, Math.max(this.nextId, range.nextId))
    this.trim(focus)
    this.version++
  }

  /** The ids from `from` to `to` (exclusive) that are in the buffer but not in the page, as ranges to read. */
  missing(from: number, to: number): { from: number; to: number }[] {
    const ranges: { from: number; to: number }[] = []
    const start = Math.max(from, this.firstId)
    const end = Math.min(to, this.nextId)
    let open: number | undefined
    for (let id = start; id < end; id++) {
      if (this.rows.has(id)) {
        if (open !== undefined) ranges.push({ from: open, to: id })
        open = undefined
      } else if (open === undefined) open = id
    }
    if (open !== undefined) ranges.push({ from: open, to: end })
    return ranges
  }

  clear(nextId = this.nextId): void {
    this.rows.clear()
    this.firstId = nextId
    this.nextId = nextId
    this.notSentLive = 0
    this.version++
  }

  private update(update: TrafficRowUpdate): void {
    const row = this.rows.get(update.id)
    if (!row) return
    // Optional fields the update leaves out no longer apply (e.g. lost turned crossed).
    const { latencyMs: _latency, lostReason: _reason, detail: _detail, correlationId: _correlation, ...kept } = row
    this.rows.set(update.id, { ...kept, ...update })
  }

  private setRange(firstId: number, nextId: number): void {
    this.firstId = firstId
    this.nextId = Math.max(nextId, firstId)
    if (this.rows.size === 0) return
    for (const id of this.rows.keys()) if (id < firstId) this.rows.delete(id)
  }

  /** Keeps the maxRows ids nearest to `focus`. */
  private trim(focus: number): void {
    if (this.rows.size <= this.maxRows) return
    const half = Math.floor(this.maxRows / 2)
    let low = Math.max(this.firstId, focus - half)
    const high = Math.min(this.nextId, low + this.maxRows)
    low = Math.max(this.firstId, high - this.maxRows)
    for (const id of this.rows.keys()) if (id < low || id >= high) this.rows.delete(id)
  }
}
