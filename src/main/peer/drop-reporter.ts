// Counts every dropped message exactly (PeerStats.drops) and reports drops as events at most
// about once a second per direction and reason: the first at once, then one event for all that
// came in each second after it. Anyone on the network can send the peer malformed datagrams as
// fast as the link carries them; one event each would fill the log and the UI.
import type { DirectionSchema, DropReasonSchema, PeerEventInput, PeerStats } from '../../common/serverless/peer-events'
import type { z } from 'zod'

type Direction = z.infer<typeof DirectionSchema>
type Reason = z.infer<typeof DropReasonSchema>

interface Held {
  count: number
  bytes: number
  topic: string | undefined
  detail: string
}

interface Window {
  direction: Direction
  reason: Reason
  timer: ReturnType<typeof setTimeout>
  /** Drops since the last event; undefined when there were none. */
  held: Held | undefined
}

export class DropReporter {
  private readonly windows = new Map<string, Window>()

  constructor(
    private readonly stats: PeerStats,
    private readonly emit: (event: PeerEventInput) => void,
    private readonly windowMs = 1000,
  ) {}

  drop(direction: Direction, reason: Reason, bytes: number, topic: string | undefined, detail: string): void {
    this.stats.drops[reason] = (this.stats.drops[reason] ?? 0) + 1
    const key = `${direction} ${reason}`
    const window = this.windows.get(key)
    if (!window) {
      this.report(direction, reason, { count: 1, bytes, topic, detail })
      this.windows.set(key, { direction, reason, timer: this.endOfWindow(key), held: undefined })
      return
    }
    const held = (window.held ??= { count: 0, bytes: 0, topic: undefined, detail: '' })
    held.count++
    held.bytes += bytes
    held.topic = topic
    held.detail = detail
  }

  /** Reports what is held at once and forgets the windows (when the peer closes). */
  flush(): void {
    for (const window of this.windows.values()) {
      clearTimeout(window.timer)
      if (window.held) this.report(window.direction, window.reason, window.held)
    }
    this.windows.clear()
  }

  private endOfWindow(key: string): ReturnType<typeof setTimeout> {
    const timer = setTimeout(() => {
      const window = this.windows.get(key)
      if (!window) return
      if (!window.held) {
        // A quiet second: the next drop is reported at once again.
        this.windows.delete(key)
        return
      }
      this.report(window.direction, window.reason, window.held)
      window.held = undefined
      window.timer = this.endOfWindow(key)
    }, this.windowMs)
    // A pending report never keeps the process alive.
    timer.unref()
    return timer
  }

  private report(direction: Direction, reason: Reason, held: Held): void {
    this.emit({ type: 'drop', direction, reason, count: held.count, bytes: held.bytes, ...(held.topic !== undefined ? { topic: held.topic } : {}), detail: held.detail })
  }
}
