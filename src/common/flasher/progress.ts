// Progress of a long transfer: bytes, percent, rate over a sliding window, and ETA.
// Pure and clock-injected so it can be tested without waiting.

export interface Progress {
  /** Bytes of the payload done so far (uncompressed, what the technician thinks of). */
  bytesDone: number
  bytesTotal: number
  percent: number
  /** Payload bytes per second over the last few seconds; 0 until measurable. */
  bytesPerSecond: number
  /** Seconds left at the current rate; undefined until a rate is known. */
  etaSeconds?: number
  elapsedSeconds: number
}

const WINDOW_MS = 3000

export class ProgressMeter {
  private readonly samples: Array<{ at: number; bytes: number }> = []
  private readonly startedAt: number
  private done = 0

  constructor(
    readonly total: number,
    private readonly now: () => number = Date.now,
  ) {
    this.startedAt = now()
    this.samples.push({ at: this.startedAt, bytes: 0 })
  }

  update(bytesDone: number): void {
    this.done = Math.min(Math.max(bytesDone, this.done), this.total)
    const at = this.now()
    this.samples.push({ at, bytes: this.done })
    while (this.samples.length > 2 && at - (this.samples[1]?.at ?? at) > WINDOW_MS) this.samples.shift()
  }

  snapshot(): Progress {
    const at = this.now()
    const first = this.samples[0] ?? { at, bytes: 0 }
    const last = this.samples[this.samples.length - 1] ?? first
    const span = (last.at - first.at) / 1000
    const bytesPerSecond = span > 0.05 ? (last.bytes - first.bytes) / span : 0
    const left = this.total - this.done
    const progress: Progress = {
      bytesDone: this.done,
      bytesTotal: this.total,
      percent: this.total > 0 ? Math.round((this.done / this.total) * 1000) / 10 : 100,
      bytesPerSecond: Math.round(bytesPerSecond),
      elapsedSeconds: Math.round((at - this.startedAt) / 100) / 10,
    }
    if (left === 0) progress.etaSeconds = 0
    else if (bytesPerSecond > 0) progress.etaSeconds = Math.round((left / bytesPerSecond) * 10) / 10
    return progress
  }
}

/** Whether an update is due: at most one every `intervalMs`, and always when forced (the last one). */
export class Throttle {
  private last = -Infinity
  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  due(force = false): boolean {
    const at = this.now()
    if (!force && at - this.last < this.intervalMs) return false
    this.last = at
    return true
  }
}
