// Wire timing of a UART behind a USB bridge: bytes take 10 bits each at the current baud
// (8N1), and each answer starts after ~1 ms of turnaround. Both directions are paced:
// host bytes reach the chip only once they would have crossed the wire. With timing off
// everything passes straight through (fast tests).

export const BITS_PER_BYTE = 10
export const TURNAROUND_MS = 1
/** Output is released in slices of at most this many milliseconds of wire time. */
const SLICE_MS = 2

interface Pending {
  at: number
  bytes: Uint8Array
}

export class PacedChannel {
  private queue: Pending[] = []
  private freeAt = 0
  private timer: NodeJS.Timeout | undefined

  constructor(
    private readonly deliver: (bytes: Uint8Array) => void,
    private readonly timing: () => { enabled: boolean; baud: number },
  ) {}

  /** Queues bytes; `turnaround` adds the response delay before them. */
  send(bytes: Uint8Array, turnaround = false): void {
    if (bytes.length === 0) return
    const { enabled, baud } = this.timing()
    if (!enabled) {
      if (this.queue.length === 0) this.deliver(bytes)
      else this.queue.push({ at: 0, bytes })
      return
    }
    const now = performance.now()
    let start = Math.max(now + (turnaround ? TURNAROUND_MS : 0), this.freeAt)
    const bytesPerMs = baud / BITS_PER_BYTE / 1000
    const slice = Math.max(16, Math.floor(bytesPerMs * SLICE_MS))
    for (let at = 0; at < bytes.length; at += slice) {
      const part = bytes.subarray(at, Math.min(bytes.length, at + slice))
      start += part.length / bytesPerMs
      this.queue.push({ at: start, bytes: part })
    }
    this.freeAt = start
    this.schedule()
  }

  /** How long until everything queued is on the wire (0 when idle or without timing). */
  idleInMs(): number {
    if (this.queue.length === 0) return 0
    return Math.max(0, this.freeAt - performance.now())
  }

  /** Drops everything not yet on the wire (a reset clears the UART FIFO). */
  clear(): void {
    this.queue = []
    this.freeAt = 0
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
  }

  private schedule(): void {
    if (this.timer || this.queue.length === 0) return
    const first = this.queue[0]
    const delay = Math.max(0, (first?.at ?? 0) - performance.now())
    this.timer = setTimeout(() => {
      this.timer = undefined
      this.flushDue()
    }, delay)
  }

  private flushDue(): void {
    const now = performance.now()
    while (this.queue.length > 0 && (this.queue[0]?.at ?? 0) <= now + 0.5) {
      const item = this.queue.shift()
      if (item) this.deliver(item.bytes)
    }
    this.schedule()
  }
}
