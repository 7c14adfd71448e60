// Collects events and hands them on in one batch per tick, so a burst of log lines
// costs one IPC or WebSocket message per ~30 ms instead of one per line.

export const EVENT_BATCH_INTERVAL_MS = 30

export class EventBatcher<T> {
  private pending: T[] = []
  private timer: ReturnType<typeof setTimeout> | undefined

  constructor(
    private readonly flushTo: (batch: T[]) => void,
    private readonly intervalMs = EVENT_BATCH_INTERVAL_MS,
  ) {}

  push(item: T): void {
    this.pending.push(item)
    this.timer ??= setTimeout(() => this.flush(), this.intervalMs)
  }

  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
    if (this.pending.length === 0) return
    const batch = this.pending
    this.pending = []
    this.flushTo(batch)
  }

  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
    this.pending = []
  }
}
