// A bounded buffer of items numbered by consecutive ids: it holds [firstId, nextId), the newest
// `capacity` items, and lets the oldest go when full. Lookup by id is an index computation, so a
// virtualised list can ask for any window of rows in constant time per row.

export class IdRing<T> {
  private readonly slots: (T | undefined)[]
  private first = 0
  private next = 0
  private evictedCount = 0

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity ${capacity} must be a positive integer`)
    this.slots = new Array<T | undefined>(capacity)
  }

  get firstId(): number {
    return this.first
  }

  get nextId(): number {
    return this.next
  }

  get size(): number {
    return this.next - this.first
  }

  /** Items that fell out because the buffer was full (not those removed by clear()). */
  get evicted(): number {
    return this.evictedCount
  }

  /** Adds an item and returns its id; `onEvict` sees the item that made room, if one did. */
  push(item: T, onEvict?: (old: T, id: number) => void): number {
    if (this.size === this.capacity) {
      const old = this.slots[this.first % this.capacity] as T
      this.slots[this.first % this.capacity] = undefined
      this.first++
      this.evictedCount++
      onEvict?.(old, this.first - 1)
    }
    const id = this.next++
    this.slots[id % this.capacity] = item
    return id
  }

  get(id: number): T | undefined {
    if (!Number.isInteger(id) || id < this.first || id >= this.next) return undefined
    return this.slots[id % this.capacity]
  }

  /** Up to `limit` items from `from` on (from the oldest kept when `from` is older). */
  range(from: number, limit: number): T[] {
    const start = Math.max(from, this.first)
    const end = Math.min(this.next, start + Math.max(0, limit))
    const out: T[] = []
    for (let id = start; id < end; id++) out.push(this.slots[id % this.capacity] as T)
    return out
  }

  /** Empties the buffer; ids go on from where they were, so an id never names two items. */
  clear(): void {
    this.slots.fill(undefined)
    this.first = this.next
    this.evictedCount = 0
  }
}
