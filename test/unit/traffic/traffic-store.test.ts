// The traffic store and its correlator, case by case: directions from MQTT on both sites (in
// either arrival order), from console lines alone, from PairKit's peer; every fate (crossed,
// lost with each known reason, duplicate, unseen, local) and how the counters follow a
// message that is classified again (a late arrival).
import { describe, expect, it } from 'vitest'
import type { TrafficRow } from '../../../src/common/traffic/model'
import { TrafficStore, type ObservationInput } from '../../../src/common/traffic/traffic-store'

const enc = new TextEncoder()
const T0 = 1_700_000_000_000

function mqtt(site: 'A' | 'B', t: number, topic: string, payload: string, extra: Partial<ObservationInput> = {}): ObservationInput {
  return { site, source: 'mqtt', t: T0 + t, topic, payload: enc.encode(payload), qos: 0, retain: false, ...extra }
}

function consoleLine(site: 'A' | 'B', t: number, role: 'sent' | 'received', topic: string, text: string): ObservationInput {
  return { site, source: 'console', t: T0 + t, topic, text, role }
}

function watched(...kinds: [site: 'A' | 'B', kind: 'mqtt' | 'console' | 'peer'][]): TrafficStore {
  const store = new TrafficStore({ windowMs: 2000 })
  for (const [site, kind] of kinds) store.watch(site, kind, 1)
  return store
}

function rows(store: TrafficStore): TrafficRow[] {
  return store.read(0, 1000).rows
}

describe('TrafficStore correlation', () => {
  it('marks a message published on A and republished on B as a-to-b on both rows, with its latency', () => {
    const store = watched(['A', 'mqtt'], ['B', 'mqtt'])
    store.observe(mqtt('A', 0, 'site/temp', '21.5 degrees'))
    store.observe(mqtt('B', 7, 'site/temp', '21.5 degrees'))
    const [a, b] = rows(store)
    expect(a).toMatchObject({ site: 'A', direction: 'a-to-b', fate: 'crossed', latencyMs: 7 })
    expect(b).toMatchObject({ site: 'B', direction: 'a-to-b', fate: 'crossed', latencyMs: 7, correlationId: a?.correlationId })
    expect(store.counterSnapshot().aToB).toMatchObject({ crossed: 1, lost: 0, pending: 0, bytes: 12 })
    expect(store.counterSnapshot().bToA.crossed).toBe(0)
  })

  it('finds the direction from the host times, not from the order the observations arrive in', () => {
    const store = watched(['A', 'mqtt'], ['B', 'mqtt'])
    store.observe(mqtt('A', 9, 'cmd/light', 'switch the light ON'))
    store.observe(mqtt('B', 2, 'cmd/light', 'switch the light ON'))
    expect(rows(store).map((row) => row.direction)).toEqual(['b-to-a', 'b-to-a'])
    expect(store.counterSnapshot().bToA.crossed).toBe(1)
  })

  it('pairs repeated identical messages one to one, oldest first', () => {
    const store = watched(['A', 'mqtt'], ['B', 'mqtt'])
    for (const t of [0, 10, 20]) store.observe(mqtt('A', t, 'site/state', 'the same payload'))
    for (const t of [5, 15, 25]) store.observe(mqtt('B', t, 'site/state', 'the same payload'))
    store.settleAll()
    const all = rows(store)
    expect(all.every((row) => row.direction === 'a-to-b' && row.fate === 'crossed' && row.latencyMs === 5)).toBe(true)
    expect(new Set(all.map((row) => row.correlationId)).size).toBe(3)
  })

  it('reports a message that never arrives on the watched other site as lost, and as unseen when nobody watches it', () => {
    const lost = watched(['A', 'mqtt'], ['B', 'mqtt'])
    lost.observe(mqtt('A', 0, 'site/temp', 'twenty-one and a half'))
    lost.settle(T0 + 1999)
    expect(rows(lost)[0]?.fate).toBe('pending')
    expect(lost.counterSnapshot().aToB.pending).toBe(1)
    lost.settle(T0 + 2000)
    expect(rows(lost)[0]).toMatchObject({ fate: 'lost', direction: 'a-to-b', lostReason: 'unknown' })
    expect(lost.counterSnapshot().aToB).toMatchObject({ lost: 1, pending: 0 })
    expect(lost.counterSnapshot().lostReasons.unknown).toBe(1)

    const unseen = watched(['A', 'mqtt'])
    unseen.observe(mqtt('A', 0, 'site/temp', 'twenty-one and a half'))
    unseen.settleAll()
    expect(rows(unseen)[0]).toMatchObject({ fate: 'unseen', direction: 'unknown' })
    expect(unseen.counterSnapshot().unseen.A).toBe(1)
  })

  it('turns a lost message into a crossed one when it arrives late, and moves the counts with it', () => {
    const store = watched(['A', 'mqtt'], ['B', 'mqtt'])
    store.observe(mqtt('A', 0, 'slow/link', 'arrives after the window'))
    store.settle(T0 + 2500)
    expect(store.counterSnapshot().aToB.lost).toBe(1)
    store.observe(mqtt('B', 2600, 'slow/link', 'arrives after the window'))
    expect(rows(store).map((row) => [row.fate, row.direction, row.latencyMs])).toEqual([
      ['crossed', 'a-to-b', 2600],
      ['crossed', 'a-to-b', 2600],
    ])
    expect(store.counterSnapshot().aToB).toMatchObject({ crossed: 1, lost: 0 })
    expect(store.counterSnapshot().lostReasons.unknown).toBe(0)
  })

  it('recognises a second arrival of a crossed message as a duplicate', () => {
    const store = watched(['A', 'mqtt'], ['B', 'mqtt'])
    store.observe(mqtt('A', 0, 'site/temp', 'delivered twice'))
    store.observe(mqtt('B', 4, 'site/temp', 'delivered twice'))
    store.observe(mqtt('B', 9, 'site/temp', 'delivered twice'))
    store.settleAll()
    expect(rows(store).map((row) => [row.fate, row.direction])).toEqual([
      ['crossed', 'a-to-b'],
      ['crossed', 'a-to-b'],
      ['duplicate', 'a-to-b'],
    ])
    expect(store.counterSnapshot().aToB).toMatchObject({ crossed: 1, duplicates: 1, lost: 0 })
  })

  it('keeps retained replays and signalling messages local, outside correlation', () => {
    const store = watched(['A', 'mqtt'], ['B', 'mqtt'])
    store.observe(mqtt('A', 0, 'site/config', 'kept by the broker', { retain: true, local: 'A retained message the broker replayed on subscribe.' }))
    store.observe({ site: 'B', source: 'signalling', t: T0 + 1, topic: '/topic/serverless_mqtt2', text: '1', local: 'Signalling: sync message.' })
    store.settleAll()
    expect(rows(store).map((row) => [row.direction, row.fate, row.correlationId])).toEqual([
      ['local', 'local', undefined],
      ['local', 'local', undefined],
    ])
    expect(store.counterSnapshot().local).toEqual({ A: 1, B: 1 })
    expect(store.topics('A', T0 + 5000).topics).toBe(1)
    expect(store.topics('B', T0 + 5000).topics).toBe(0)
  })
})

describe('TrafficStore lost reasons', () => {
  it('names the stock receive bug when the receiving console says "No local mqtt client"', () => {
    const store = watched(['A', 'mqtt'], ['B', 'mqtt'], ['B', 'console'])
    store.observe(mqtt('A', 0, 'site/cmd', 'a payload longer than its topic'))
    store.drop({ site: 'B', t: T0 + 3, reason: 'no-local-client', direction: 'from-peer', count: 1 })
    store.settleAll()
    expect(rows(store)[0]).toMatchObject({ fate: 'lost', lostReason: 'stock-receive-bug' })
    expect(rows(store)[0]?.detail).toContain('No local mqtt client, dropping data')
  })

  it('names the short-payload quirk from "Received invalid message", and as likely without any log', () => {
    const logged = watched(['A', 'mqtt'], ['B', 'mqtt'], ['B', 'console'])
    logged.observe(mqtt('B', 0, 'site/a/rather/long/topic/name', 'ON'))
    logged.drop({ site: 'A', t: T0 + 2, reason: 'invalid-message', direction: 'from-peer', count: 1 })
    logged.settleAll()
    expect(rows(logged)[0]).toMatchObject({ fate: 'lost', direction: 'b-to-a', lostReason: 'short-payload' })
    expect(rows(logged)[0]?.detail).toMatch(/^Site A's firmware rejected it/)

    const guessed = watched(['A', 'mqtt'], ['B', 'mqtt'])
    guessed.observe(mqtt('B', 0, 'site/a/rather/long/topic/name', 'ON'))
    guessed.settleAll()
    expect(rows(guessed)[0]).toMatchObject({ lostReason: 'short-payload' })
    expect(rows(guessed)[0]?.detail).toMatch(/^Probably/)
  })

  it('names the 4096-byte limit, the missing link and the loss on the link', () => {
    const store = watched(['A', 'mqtt'], ['B', 'mqtt'], ['A', 'console'], ['B', 'console'])
    store.observe(mqtt('A', 0, 'big', 'x'.repeat(4096)))
    store.link('A', T0 + 100, false)
    store.observe(mqtt('A', 200, 'before/link', 'published before the link was up'))
    store.link('A', T0 + 300, true)
    store.observe(mqtt('A', 400, 'on/the/way', 'sent and never received'))
    store.observe(consoleLine('A', 420, 'sent', 'on/the/way', 'sent and never received'))
    store.settleAll()
    expect(rows(store).map((row) => row.lostReason)).toEqual(['too-long', 'not-linked', 'link-loss', 'link-loss'])
    expect(store.counterSnapshot().aToB.lost).toBe(3)
    expect(store.counterSnapshot().lostReasons).toMatchObject({ 'too-long': 1, 'not-linked': 1, 'link-loss': 1 })
  })

  it('says a message was never taken by the bridge when its console shows others but not this one', () => {
    const store = watched(['A', 'mqtt'], ['B', 'mqtt'], ['A', 'console'])
    store.observe(mqtt('A', 0, 'site/x', 'forwarded normally'))
    store.observe(consoleLine('A', 5, 'sent', 'site/x', 'forwarded normally'))
    store.observe(mqtt('B', 8, 'site/x', 'forwarded normally'))
    store.observe(mqtt('A', 100, 'site/y', 'published by a client called local_mqtt'))
    store.settleAll()
    expect(rows(store).map((row) => row.fate)).toEqual(['crossed', 'crossed', 'crossed', 'lost'])
    expect(rows(store)[3]).toMatchObject({ lostReason: 'not-forwarded' })
  })
})

describe('TrafficStore with consoles and the peer', () => {
  it('gives console lines alone their direction: handle_message on A, forwarding remote message on B', () => {
    const store = watched(['A', 'console'], ['B', 'console'])
    store.observe(consoleLine('B', 40, 'received', 'site/temp', '21.5'))
    store.observe(consoleLine('A', 30, 'sent', 'site/temp', '21.5'))
    store.observe(consoleLine('B', 60, 'sent', 'site/cmd', 'OFF'))
    store.observe(consoleLine('A', 75, 'received', 'site/cmd', 'OFF'))
    store.settleAll()
    expect(rows(store).map((row) => [row.site, row.direction, row.fate])).toEqual([
      ['B', 'a-to-b', 'crossed'],
      ['A', 'a-to-b', 'crossed'],
      ['B', 'b-to-a', 'crossed'],
      ['A', 'b-to-a', 'crossed'],
    ])
    expect(store.counterSnapshot().aToB.crossed).toBe(1)
    expect(store.counterSnapshot().bToA.crossed).toBe(1)
  })

  it('puts MQTT and console rows of one message in one crossing, counted once per site', () => {
    const store = watched(['A', 'mqtt'], ['B', 'mqtt'], ['A', 'console'], ['B', 'console'])
    // The console's clock runs late (serial latency): 300 ms after the subscribers'.
    store.observe(mqtt('A', 0, 'multi/line', 'first line\nsecond line'))
    store.observe(mqtt('B', 6, 'multi/line', 'first line\nsecond line'))
    store.observe(consoleLine('B', 305, 'received', 'multi/line', 'first line\nsecond line'))
    store.observe(consoleLine('A', 300, 'sent', 'multi/line', 'first line\nsecond line'))
    store.settleAll()
    const all = rows(store)
    expect(new Set(all.map((row) => row.correlationId)).size).toBe(1)
    expect(all.every((row) => row.direction === 'a-to-b' && row.fate === 'crossed')).toBe(true)
    const counters = store.counterSnapshot()
    expect(counters.aToB.crossed).toBe(1)
    expect(counters.observed.A).toMatchObject({ mqtt: 1, console: 1 })
    expect(store.topics('A', T0 + 5000).roots[0]).toMatchObject({ name: 'multi', total: 1 })
    expect(store.topics('B', T0 + 5000).roots[0]?.children[0]).toMatchObject({ topic: 'multi/line', count: 1 })
  })

  it('correlates the peer\'s message events (no payload) by topic and size', () => {
    const store = watched(['A', 'mqtt'], ['A', 'peer'], ['B', 'mqtt'])
    store.observe(mqtt('A', 0, 'laptop/out', 'from the laptop side'))
    store.observe({ site: 'A', source: 'peer', t: T0 + 1, topic: 'laptop/out', size: 20, role: 'sent' })
    store.observe(mqtt('B', 3, 'laptop/out', 'from the laptop side'))
    store.settleAll()
    expect(rows(store).map((row) => [row.source, row.direction, row.fate])).toEqual([
      ['mqtt', 'a-to-b', 'crossed'],
      ['peer', 'a-to-b', 'crossed'],
      ['mqtt', 'a-to-b', 'crossed'],
    ])
  })
})

describe('TrafficStore buffer', () => {
  it('hands out new rows once, then only the changes of rows handed out before', () => {
    const store = watched(['A', 'mqtt'], ['B', 'mqtt'])
    store.observe(mqtt('A', 0, 't', 'payload one'))
    const first = store.takeChanges()
    expect(first.rows.map((row) => row.fate)).toEqual(['pending'])
    store.observe(mqtt('B', 3, 't', 'payload one'))
    const second = store.takeChanges()
    expect(second.rows.map((row) => [row.site, row.fate])).toEqual([['B', 'crossed']])
    expect(second.updated.map((row) => [row.id, row.fate, row.direction])).toEqual([[0, 'crossed', 'a-to-b']])
    expect(store.takeChanges()).toEqual({ rows: [], updated: [], omittedRows: 0 })
  })

  it('keeps the newest rows when full and says how many the UI never got', () => {
    const store = new TrafficStore({ capacity: 10, windowMs: 2000 })
    store.watch('A', 'mqtt', 1)
    for (let i = 0; i < 25; i++) store.observe(mqtt('A', i, 'x', `payload ${i}`))
    const changes = store.takeChanges(5)
    expect(changes.rows.map((row) => row.id)).toEqual([20, 21, 22, 23, 24])
    expect(changes.omittedRows).toBe(20)
    expect(store.firstId).toBe(15)
    expect(store.read(0, 3).rows.map((row) => row.id)).toEqual([15, 16, 17])
    expect(store.counterSnapshot().observed.A.mqtt).toBe(25)
    expect(store.counterSnapshot().buffer).toMatchObject({ size: 10, evicted: 15, firstId: 15, nextId: 25 })
  })

  it('counts on while paused without keeping rows, and clear() empties rows and counts but not ids', () => {
    const store = watched(['A', 'mqtt'], ['B', 'mqtt'])
    store.observe(mqtt('A', 0, 'x', 'kept one'))
    store.setPaused(true)
    store.observe(mqtt('A', 10, 'x', 'not kept'))
    store.observe(mqtt('B', 12, 'x', 'not kept'))
    expect(store.nextId).toBe(1)
    expect(store.counterSnapshot().aToB.crossed).toBe(1)
    expect(store.counterSnapshot().buffer.skippedWhilePaused).toBe(2)
    store.setPaused(false)
    store.clear()
    expect(store.counterSnapshot().observed.A.mqtt).toBe(0)
    store.observe(mqtt('A', 20, 'x', 'after clear'))
    expect(store.read(0, 10).rows.map((row) => row.id)).toEqual([1])
  })

  it('reads with a filter and gives the next id to scan from', () => {
    const store = watched(['A', 'mqtt'], ['B', 'mqtt'])
    for (let i = 0; i < 6; i++) store.observe(mqtt(i % 2 === 0 ? 'A' : 'B', i * 3000, i < 3 ? 'left/x' : 'right/y', `p${i}`))
    const page = store.read(0, 2, { site: 'A' })
    expect(page.rows.map((row) => row.id)).toEqual([0, 2])
    expect(store.read(page.next, 10, { site: 'A' }).rows.map((row) => row.id)).toEqual([4])
    expect(store.read(0, 10, { topicPrefix: 'right/' }).rows.map((row) => row.id)).toEqual([3, 4, 5])
  })

  it('keeps at most the budget of payload bytes: older rows keep their preview', () => {
    const store = new TrafficStore({ capacity: 100, payloadBudgetBytes: 10_000 })
    store.watch('A', 'mqtt', 1)
    for (let i = 0; i < 10; i++) store.observe(mqtt('A', i * 3000, 'big', String(i).repeat(3000)))
    expect(store.message(0)?.payload?.length).toBe(256)
    expect(store.message(9)?.payload?.length).toBe(3000)
    expect(store.message(9)?.row.size).toBe(3000)
  })
})

describe('TrafficStore origin from QoS', () => {
  it('takes the site where the message had the higher QoS as its origin, whichever subscriber saw it first', () => {
    // The firmware republishes at QoS 0; a QoS 1 publish may reach its own site's subscriber last.
    const store = watched(['A', 'mqtt'], ['B', 'mqtt'])
    store.observe(mqtt('A', 0, 'site/b/pump', 'switch the pump on', { qos: 0 }))
    store.observe(mqtt('B', 3, 'site/b/pump', 'switch the pump on', { qos: 1 }))
    expect(rows(store).map((row) => row.direction)).toEqual(['b-to-a', 'b-to-a'])
  })
})

describe('TrafficStore with the peer first', () => {
  it('joins MQTT observations to a crossing the peer\'s event started, oldest first', () => {
    // The peer reports a message as it sends it, before the site's subscriber gets it.
    const store = watched(['A', 'mqtt'], ['A', 'peer'], ['B', 'mqtt'])
    store.observe({ site: 'A', source: 'peer', t: T0, topic: 'laptop/out', size: 4, role: 'sent' })
    store.observe({ site: 'A', source: 'peer', t: T0 + 1, topic: 'laptop/out', size: 4, role: 'sent' })
    store.observe(mqtt('A', 2, 'laptop/out', 'one'.padEnd(4)))
    store.observe(mqtt('B', 3, 'laptop/out', 'one'.padEnd(4)))
    store.observe(mqtt('A', 4, 'laptop/out', 'two'.padEnd(4)))
    store.observe(mqtt('B', 5, 'laptop/out', 'two'.padEnd(4)))
    store.settleAll()
    const all = rows(store)
    expect(all.map((row) => [row.source, row.fate, row.direction])).toEqual(Array.from({ length: 6 }, (_, i) => [i < 2 ? 'peer' : 'mqtt', 'crossed', 'a-to-b']))
    expect(all.map((row) => row.correlationId)).toEqual([0, 1, 0, 0, 1, 1])
    expect(store.counterSnapshot().aToB).toMatchObject({ crossed: 2, lost: 0 })
  })
})
