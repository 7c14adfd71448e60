// Per connection: a client whose transport is behind (a browser tab that does not read its
// WebSocket fast enough) misses the lossy events (monitor lines) instead of making the backend
// hold them without bound. What it missed is counted per key (a monitor session) and added to
// the next event of that key that does go out, so the page can show it and read it back.
import { lossyEvents, type ContractEvent } from '../contract'

/** Unsent bytes above which a connection counts as behind. */
export const SHED_BACKLOG_BYTES = 1 << 20

const MAX_KEYS = 1000

type LossyName = keyof typeof lossyEvents
type LossyEvent = Extract<ContractEvent, { name: LossyName }>

interface LossySpec<P> {
  key(payload: P): string
  /** What the event carries, by kind of item (lines, events …). */
  count(payload: P): Record<string, number>
  withMissed(payload: P, missed: Record<string, number>): P
}

function isLossy(event: ContractEvent): event is LossyEvent {
  return Object.hasOwn(lossyEvents, event.name)
}

export class EventShedder {
  /** Items missed per event name and key, by kind of item, not yet told. */
  private readonly missed = new Map<string, Record<string, number>>()

  constructor(
    /** Bytes the transport has not sent yet; 0 when it cannot tell (Electron IPC never drops). */
    private readonly backlogBytes: () => number,
    private readonly limitBytes = SHED_BACKLOG_BYTES,
  ) {}

  /** The event to send (annotated with what was missed before it), or undefined to skip it. */
  admit(event: ContractEvent): ContractEvent | undefined {
    if (!isLossy(event)) return event
    const spec = lossyEvents[event.name] as LossySpec<LossyEvent['payload']>
    const id = `${event.name}\u0000${spec.key(event.payload)}`
    if (this.backlogBytes() > this.limitBytes) {
      // Keys are sessions, a handful at a time; the bound only guards a very long run.
      if (!this.missed.has(id) && this.missed.size >= MAX_KEYS) this.missed.delete(this.missed.keys().next().value as string)
      const sum = { ...this.missed.get(id) }
      for (const [item, count] of Object.entries(spec.count(event.payload))) sum[item] = (sum[item] ?? 0) + count
      this.missed.set(id, sum)
      return undefined
    }
    const missed = this.missed.get(id)
    if (missed === undefined) return event
    this.missed.delete(id)
    return { ...event, payload: spec.withMissed(event.payload, missed) } as ContractEvent
  }
}
