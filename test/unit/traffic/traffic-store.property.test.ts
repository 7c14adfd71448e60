// Seeded property tests of the traffic store. Generated sessions: messages published on either
// site that cross (after 1–200 ms), get lost, or arrive twice; seen by MQTT on both sites and,
// in some sessions, by both consoles whose clock runs up to 400 ms late; fed to the store in a
// shuffled order (each observation up to 300 ms late).
//  1. With distinct payloads every message gets its true direction and fate, and the counters
//     say exactly how many crossed, were lost and arrived twice each way.
//  2. With payloads that repeat, and in some sessions PairKit's peer on site A (whose events
//     have no payload), a store of 100 rows counts exactly what a store that keeps every row
//     counts, and both agree with a recount of that store's rows.
import { describe, expect, it } from 'vitest'
import { base64ToBytes } from '../../../src/common/base64'
import type { TrafficCounters, TrafficRow } from '../../../src/common/traffic/model'
import { TrafficStore, type ObservationInput } from '../../../src/common/traffic/traffic-store'
import { seededRandom } from '../serverless/seeded-random'

const T0 = 1_700_000_000_000
const enc = new TextEncoder()
const dec = new TextDecoder()
const TOPICS = ['site/temp', 'site/humidity', 'cmd/light', 'cmd/door/front', 'status']
const SAME_PAYLOADS = ['ON', 'OFF', '21.5', '{"state":"open"}', 'heartbeat from the field unit']

type Fate = 'crossed' | 'lost' | 'duplicate'

interface Message {
  origin: 'A' | 'B'
  topic: string
  payload: string
  fate: Fate
}

interface Session {
  messages: Message[]
  /** Observations in the order the store gets them. */
  inputs: ObservationInput[]
  consoles: boolean
  peer: boolean
}

function generate(seed: number, count: number, options: { distinct: boolean; consoles: boolean; peer?: boolean }): Session {
  const random = seededRandom(seed)
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T
  const skew = Math.floor(random() * 400)
  const timed: { at: number; input: ObservationInput }[] = []
  const messages: Message[] = []
  let t = 0
  for (let i = 0; i < count; i++) {
    t += Math.floor(random() * 30)
    const origin = random() < 0.5 ? 'A' : 'B'
    const other = origin === 'A' ? 'B' : 'A'
    const topic = pick(TOPICS)
    // Payloads at least as long as any topic: no short-payload guesses.
    const payload = options.distinct ? `message ${i} of seed ${seed} on ${topic}` : pick(SAME_PAYLOADS)
    const roll = random()
    const fate: Fate = roll < 0.7 ? 'crossed' : roll < 0.9 ? 'lost' : 'duplicate'
    messages.push({ origin, topic, payload, fate })
    const add = (site: 'A' | 'B', time: number, extra: Partial<ObservationInput>) =>
      timed.push({ at: time + Math.floor(random() * 300), input: { site, source: 'mqtt', t: T0 + time, topic, payload: enc.encode(payload), qos: 0, retain: false, ...extra } })
    add(origin, t, {})
    const size = enc.encode(payload).length
    if (options.consoles) add(origin, t + skew, { source: 'console', payload: undefined, text: payload, role: 'sent' })
    // PairKit's peer on site A reports what it sends before A's subscriber sees it.
    if (options.peer && origin === 'A') add('A', Math.max(0, t - 1), { source: 'peer', payload: undefined, size, role: 'sent', qos: undefined, retain: undefined })
    if (fate !== 'lost') {
      const arrival = t + 1 + Math.floor(random() * 200)
      add(other, arrival, {})
      if (options.consoles) add(other, arrival + skew, { source: 'console', payload: undefined, text: payload, role: 'received' })
      if (options.peer && other === 'A') add('A', arrival - 1, { source: 'peer', payload: undefined, size, role: 'received', qos: undefined, retain: undefined })
      if (fate === 'duplicate') add(other, arrival + 1 + Math.floor(random() * 50), {})
    }
  }
  timed.sort((x, y) => x.at - y.at)
  return { messages, inputs: timed.map((entry) => entry.input), consoles: options.consoles, peer: options.peer ?? false }
}

function run(session: Session, capacity: number): TrafficStore {
  const store = new TrafficStore({ capacity, windowMs: 2000 })
  for (const site of ['A', 'B'] as const) {
    store.watch(site, 'mqtt', 1)
    if (session.consoles) store.watch(site, 'console', 1)
  }
  if (session.peer) store.watch('A', 'peer', 1)
  for (const input of session.inputs) {
    // The service settles on its own clock, which is never behind what it has received.
    store.settle(input.t)
    store.observe(input)
  }
  store.settleAll()
  return store
}

function payloadOf(row: TrafficRow): string {
  return dec.decode(base64ToBytes(row.preview ?? '') ?? new Uint8Array())
}

/** The counters the rows of a store that kept them all imply. */
function recount(rows: TrafficRow[]): Omit<TrafficCounters, 'buffer'> {
  const zero = () => ({ crossed: 0, lost: 0, duplicates: 0, pending: 0, bytes: 0 })
  const counts = {
    observed: { A: { mqtt: 0, console: 0, peer: 0, signalling: 0 }, B: { mqtt: 0, console: 0, peer: 0, signalling: 0 } },
    aToB: zero(),
    bToA: zero(),
    unseen: { A: 0, B: 0 },
    local: { A: 0, B: 0 },
    lostReasons: {} as Record<string, number>,
  }
  const crossings = new Map<number, TrafficRow[]>()
  for (const row of rows) {
    counts.observed[row.site][row.source]++
    if (row.fate === 'local') counts.local[row.site]++
    else crossings.set(row.correlationId as number, [...(crossings.get(row.correlationId as number) ?? []), row])
  }
  for (const group of crossings.values()) {
    const first = group[0] as TrafficRow
    for (const row of group) expect([row.fate, row.direction, row.lostReason]).toEqual([first.fate, first.direction, first.lostReason])
    if (first.fate === 'unseen') {
      counts.unseen[first.site]++
      continue
    }
    const direction = first.direction === 'a-to-b' ? counts.aToB : counts.bToA
    if (first.fate === 'crossed') {
      direction.crossed++
      direction.bytes += (group.find((row) => row.source !== 'console') ?? first).size
    } else if (first.fate === 'lost') {
      direction.lost++
      counts.lostReasons[first.lostReason as string] = (counts.lostReasons[first.lostReason as string] ?? 0) + 1
    } else if (first.fate === 'duplicate') direction.duplicates++
    else direction.pending++
  }
  return counts
}

function withoutBuffer(counters: TrafficCounters): Omit<TrafficCounters, 'buffer'> {
  const { buffer: _buffer, ...rest } = counters
  return { ...rest, lostReasons: Object.fromEntries(Object.entries(rest.lostReasons).filter(([, n]) => n !== 0)) as TrafficCounters['lostReasons'] }
}

describe('TrafficStore properties', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('gives every message its true direction and fate, in any arrival order (seed %i)', (seed) => {
    const session = generate(seed, 400, { distinct: true, consoles: seed % 2 === 0 })
    const store = run(session, 10_000)
    const rows = store.read(0, 10_000).rows
    const byPayload = new Map<string, TrafficRow[]>()
    for (const row of rows) byPayload.set(payloadOf(row), [...(byPayload.get(payloadOf(row)) ?? []), row])
    const expected = { aToB: { crossed: 0, lost: 0, duplicates: 0 }, bToA: { crossed: 0, lost: 0, duplicates: 0 } }
    for (const message of session.messages) {
      const direction = message.origin === 'A' ? 'a-to-b' : 'b-to-a'
      const mine = byPayload.get(message.payload) ?? []
      expect(mine.every((row) => row.direction === direction), `${message.payload}: ${JSON.stringify(mine)}`).toBe(true)
      const fates = mine.map((row) => row.fate).sort()
      const counts = expected[message.origin === 'A' ? 'aToB' : 'bToA']
      if (message.fate === 'lost') {
        counts.lost++
        expect(fates.every((fate) => fate === 'lost')).toBe(true)
        expect(mine[0]?.lostReason).toBe(session.consoles ? 'link-loss' : 'unknown')
      } else {
        counts.crossed++
        expect(fates.filter((fate) => fate === 'duplicate')).toHaveLength(message.fate === 'duplicate' ? 1 : 0)
        expect(fates.every((fate) => fate === 'crossed' || fate === 'duplicate')).toBe(true)
        if (message.fate === 'duplicate') counts.duplicates++
      }
    }
    const counters = store.counterSnapshot()
    expect({ crossed: counters.aToB.crossed, lost: counters.aToB.lost, duplicates: counters.aToB.duplicates }).toEqual(expected.aToB)
    expect({ crossed: counters.bToA.crossed, lost: counters.bToA.lost, duplicates: counters.bToA.duplicates }).toEqual(expected.bToA)
    expect(counters.aToB.pending + counters.bToA.pending).toBe(0)
  })

  it.each([11, 12, 13, 14, 15, 16, 17, 18])('counts exactly with a buffer of 100 rows as with one that keeps every row (seed %i)', (seed) => {
    const session = generate(seed, 600, { distinct: false, consoles: seed % 2 === 0, peer: seed > 14 })
    const small = run(session, 100)
    const whole = run(session, session.inputs.length)
    expect(small.counterSnapshot().buffer).toMatchObject({ size: 100, evicted: session.inputs.length - 100 })
    expect(withoutBuffer(small.counterSnapshot())).toEqual(withoutBuffer(whole.counterSnapshot()))
    const rows = whole.read(0, session.inputs.length).rows
    expect(rows).toHaveLength(session.inputs.length)
    expect(withoutBuffer(whole.counterSnapshot())).toEqual(recount(rows))
    // Topic counts: once per message and site, however many sources saw it there.
    for (const site of ['A', 'B'] as const) {
      const perTopic = new Map<string, Set<number>>()
      for (const row of rows) if (row.site === site) perTopic.set(row.topic, (perTopic.get(row.topic) ?? new Set()).add(row.correlationId as number))
      const tree = small.topics(site, T0)
      const leaves = new Map<string, number>()
      const walk = (nodes: typeof tree.roots) => nodes.forEach((node) => (node.count > 0 && leaves.set(node.topic, node.count), walk(node.children)))
      walk(tree.roots)
      expect(leaves).toEqual(new Map([...perTopic].map(([topic, ids]) => [topic, ids.size])))
    }
  })
})
