// Per-topic counts of one site for the topic tree: messages, bytes, the last time and a rate
// over the last RATE_WINDOW_S seconds. A message counts once per site however many sources saw
// it there. At most MAX_TOPICS_PER_SITE topics are counted one by one; messages on further
// topics are counted together (otherTopics), so a client that publishes on a new topic for every
// message cannot exhaust memory, and the totals stay exact.
import type { Site, TopicNode, TopicTree } from './model'

export const MAX_TOPICS_PER_SITE = 10_000
export const RATE_WINDOW_S = 10

interface TopicEntry {
  count: number
  bytes: number
  last: number
  /** Counts of the last RATE_WINDOW_S seconds, by second modulo the window. */
  buckets: Uint32Array
  /** The second each bucket holds. */
  bucketSeconds: Float64Array
}

export class TopicStats {
  private readonly topics = new Map<string, TopicEntry>()
  private other = 0

  constructor(readonly site: Site) {}

  add(topic: string, bytes: number, t: number): void {
    let entry = this.topics.get(topic)
    if (!entry) {
      if (this.topics.size >= MAX_TOPICS_PER_SITE) {
        this.other++
        return
      }
      entry = { count: 0, bytes: 0, last: 0, buckets: new Uint32Array(RATE_WINDOW_S), bucketSeconds: new Float64Array(RATE_WINDOW_S).fill(-1) }
      this.topics.set(topic, entry)
    }
    entry.count++
    entry.bytes += bytes
    entry.last = Math.max(entry.last, t)
    const second = Math.floor(t / 1000)
    const slot = second % RATE_WINDOW_S
    if (entry.bucketSeconds[slot] !== second) {
      entry.bucketSeconds[slot] = second
      entry.buckets[slot] = 0
    }
    entry.buckets[slot] = (entry.buckets[slot] as number) + 1
  }

  /** Messages on this topic, exactly (undefined for a topic beyond the limit or never seen). */
  count(topic: string): number | undefined {
    return this.topics.get(topic)?.count
  }

  clear(): void {
    this.topics.clear()
    this.other = 0
  }

  /** The topics as a tree by "/" levels, each level sorted by name; `now` for the rates. */
  tree(now: number): TopicTree {
    const roots: TopicNode[] = []
    const nodes = new Map<string, TopicNode>()
    const nowSecond = Math.floor(now / 1000)
    const node = (path: string, name: string, parent: TopicNode[] | undefined): TopicNode => {
      let found = nodes.get(path)
      if (!found) {
        found = { name, topic: path, count: 0, total: 0, bytes: 0, rate: 0, last: 0, children: [] }
        nodes.set(path, found)
        ;(parent ?? roots).push(found)
      }
      return found
    }
    for (const [topic, entry] of this.topics) {
      const levels = topic.split('/')
      let path = ''
      let children: TopicNode[] | undefined
      let current: TopicNode | undefined
      for (let i = 0; i < levels.length; i++) {
        path = i === 0 ? (levels[0] as string) : `${path}/${levels[i] as string}`
        current = node(path, levels[i] as string, children)
        current.total += entry.count
        children = current.children
      }
      if (!current) continue
      current.count = entry.count
      current.bytes = entry.bytes
      current.last = entry.last
      let recent = 0
      for (let i = 0; i < RATE_WINDOW_S; i++) {
        const second = entry.bucketSeconds[i] as number
        // The current second is still filling: count the RATE_WINDOW_S complete ones before it.
        if (second < nowSecond && second >= nowSecond - RATE_WINDOW_S) recent += entry.buckets[i] as number
      }
      current.rate = recent / RATE_WINDOW_S
    }
    const sort = (list: TopicNode[]) => {
      list.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0))
      for (const item of list) sort(item.children)
    }
    sort(roots)
    return { site: this.site, roots, topics: this.topics.size, otherTopics: this.other }
  }
}
