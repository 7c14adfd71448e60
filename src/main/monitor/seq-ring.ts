// A session's recent lines (or parsed events) in memory, for the UI to catch up or scroll back
// (monitor.read, monitor.events): the newest N items, and no more than a weight budget (the
// lines' text), whichever is smaller. The oldest go first; seq numbers keep counting, so a
// reader sees exactly what it missed.

export class SeqRing<T extends { seq: number }> {
  private readonly slots: (T | undefined)[]
  private head = 0
  private count = 0
  private weight = 0
  private next = 1

  constructor(
    private readonly maxItems: number,
    private readonly maxWeight = Number.POSITIVE_INFINITY,
    private readonly weigh: (item: T) => number = () => 0,
  ) {
    this.slots = new Array<T | undefined>(maxItems)
  }

  /** The seq of the oldest item kept (nextSeq when empty). */
  get firstSeq(): number {
    return this.next - this.count
  }

  /** The seq the next item will get. */
  get nextSeq(): number {
    return this.next
  }

  /** Stores the item `make` builds with its seq. */
  push(make: (seq: number) => T): T {
    const item = make(this.next++)
    if (this.count === this.maxItems) this.evict()
    this.slots[(this.head + this.count) % this.maxItems] = item
    this.count++
    this.weight += this.weigh(item)
    while (this.weight > this.maxWeight && this.count > 1) this.evict()
    return item
  }

  /** Up to `limit` items from `fromSeq` on (from the oldest kept when that one is gone). */
  read(fromSeq: number, limit: number): T[] {
    const first = this.firstSeq
    const items: T[] = []
    for (let seq = Math.max(fromSeq, first); seq < this.next && items.length < limit; seq++) {
      items.push(this.slots[(this.head + (seq - first)) % this.maxItems] as T)
    }
    return items
  }

  private evict(): void {
    const oldest = this.slots[this.head] as T
    this.slots[this.head] = undefined
    this.head = (this.head + 1) % this.maxItems
    this.count--
    this.weight -= this.weigh(oldest)
  }
}
