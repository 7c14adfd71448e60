// The Traffic view's backend through the contract, on two twins paired over loopback: messages
// published on A show on both sites marked a-to-b, and the other way b-to-a, from the MQTT
// subscribers and, separately, from the consoles' forward lines alone; counters stay exact
// over 1 000 messages with a buffer of 100 rows, and every row is in a batch or counted as
// omitted; with the stock firmware on B every A → B message is lost, with its reason.
import { connectAsync, type MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { base64ToBytes } from '../../../src/common/base64'
import type { RequestParams, TrafficBatch, TrafficSession } from '../../../src/common/contract'
import { PairKitError } from '../../../src/common/errors'
import { RpcClient } from '../../../src/common/rpc/client'
import { createProtocolPair } from '../../../src/common/rpc/memory-protocol'
import { RpcServer } from '../../../src/common/rpc/server'
import type { Site, TrafficRow, TrafficSourceStatus } from '../../../src/common/traffic/model'
import { Backend } from '../../../src/main/backend'
import { LinkConsoleEvents } from '../../../src/main/traffic/link-console-events'
import { startTwinPair, type TwinPair } from './support/twin-pair'

const cleanups: (() => Promise<unknown> | unknown)[] = []
afterAll(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.()
})

/** What a Traffic view would hold: every row it was sent, with the updates applied. */
class View {
  readonly rows = new Map<number, TrafficRow>()
  readonly batches: TrafficBatch[] = []
  readonly sources = new Map<string, TrafficSourceStatus>()

  constructor(
    readonly client: RpcClient,
    readonly sessionId: string,
  ) {
    client.on('traffic.batch', (batch) => {
      if (batch.sessionId !== sessionId) return
      this.batches.push(batch)
      for (const row of batch.rows) this.rows.set(row.id, row)
      for (const update of batch.updates) {
        const row = this.rows.get(update.id)
        if (!row) continue
        const { latencyMs: _l, lostReason: _r, detail: _d, correlationId: _c, ...kept } = row
        this.rows.set(update.id, { ...kept, ...update })
      }
    })
    client.on('traffic.source', ({ sessionId: id, source }) => id === sessionId && this.sources.set(source.id, source))
  }

  get counters() {
    return this.batches[this.batches.length - 1]?.counters
  }

  onTopic(topic: string): TrafficRow[] {
    return [...this.rows.values()].filter((row) => row.topic === topic)
  }
}

function connectBackend(pairs: TwinPair[]): { backend: Backend; client: RpcClient } {
  const consoles: LinkConsoleEvents[] = []
  const backend = new Backend({
    host: 'browser',
    extraPortPatterns: [],
    consoleEvents: (deviceId, site) => {
      const twin = pairs.flatMap((pair) => [pair.a, pair.b]).find((candidate) => candidate.twin.url === deviceId)
      if (!twin) throw new PairKitError('NOT_FOUND', `no console of ${deviceId}`)
      const events = new LinkConsoleEvents(twin.link, deviceId, site)
      consoles.push(events)
      return events
    },
  })
  const [clientSide, serverSide] = createProtocolPair()
  const server = new RpcServer(serverSide, backend.handlers, backend.onEvent, 10)
  const client = new RpcClient(clientSide)
  cleanups.push(() => {
    client.dispose()
    server.dispose()
    backend.dispose()
    for (const events of consoles) events.close()
  })
  return { backend, client }
}

async function until<T>(what: string, check: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = check()
    if (value !== undefined && value !== false) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

async function startSession(client: RpcClient, params: RequestParams<'traffic.start'>): Promise<{ view: View; session: TrafficSession }> {
  const session = await client.request('traffic.start', params)
  const view = new View(client, session.sessionId)
  cleanups.push(() => client.request('traffic.stop', { sessionId: session.sessionId }).catch(() => undefined))
  const expected = session.sources.map((source) => source.id)
  await until('the sources to connect', () => expected.every((id) => (view.sources.get(id)?.state ?? session.sources.find((source) => source.id === id)?.state) === 'connected'))
  return { view, session }
}

async function mqttClient(url: string): Promise<MqttClient> {
  const client = await connectAsync(url, { protocolVersion: 4, reconnectPeriod: 0 })
  cleanups.push(() => client.endAsync(true))
  return client
}

describe('traffic of two twins with the intended firmware', () => {
  let pair: TwinPair
  let client: RpcClient

  beforeAll(async () => {
    pair = await startTwinPair()
    cleanups.push(() => pair.close())
    ;({ client } = connectBackend([pair]))
  }, 60_000)

  it('marks messages from the MQTT subscribers a-to-b and b-to-a on both sites, one crossing each', async () => {
    const { view, session } = await startSession(client, { a: { mqtt: pair.a.brokerUrl() }, b: { mqtt: pair.b.brokerUrl() }, windowMs: 1000 })
    await client.request('traffic.publish', { sessionId: session.sessionId, site: 'A', topic: 'site/a/temp', payload: '21.5 degrees on site A' })
    await client.request('traffic.publish', { sessionId: session.sessionId, site: 'B', topic: 'site/b/pump', payload: 'switch the pump on, please', qos: 1 })
    await until('both messages to cross', () => ['site/a/temp', 'site/b/pump'].every((topic) => view.onTopic(topic).filter((row) => row.fate === 'crossed').length === 2))

    const fromA = view.onTopic('site/a/temp').sort((x, y) => x.site.localeCompare(y.site))
    expect(fromA.map((row) => [row.site, row.source, row.direction, row.fate])).toEqual([
      ['A', 'mqtt', 'a-to-b', 'crossed'],
      ['B', 'mqtt', 'a-to-b', 'crossed'],
    ])
    expect(fromA[0]?.correlationId).toBe(fromA[1]?.correlationId)
    expect(fromA[1]?.latencyMs).toBeGreaterThanOrEqual(0)
    const fromB = view.onTopic('site/b/pump').sort((x, y) => x.site.localeCompare(y.site))
    expect(fromB.map((row) => [row.site, row.direction, row.fate, row.qos])).toEqual([
      ['A', 'b-to-a', 'crossed', 0],
      ['B', 'b-to-a', 'crossed', 1],
    ])
    await until('the counters', () => view.counters?.aToB.crossed === 1 && view.counters.bToA.crossed === 1)

    // What the view holds is what the buffer holds.
    const read = await client.request('traffic.read', { sessionId: session.sessionId, from: 0, limit: 100 })
    expect(read.rows).toEqual([...view.rows.values()].sort((x, y) => x.id - y.id))
    const detail = await client.request('traffic.message', { sessionId: session.sessionId, id: fromA[1]?.id as number })
    expect(new TextDecoder().decode(base64ToBytes(detail.payload ?? ''))).toBe('21.5 degrees on site A')
    expect(detail.complete).toBe(true)
    const treeA = await client.request('traffic.topics', { sessionId: session.sessionId, site: 'A' })
    expect(treeA.roots.map((node) => [node.topic, node.total])).toEqual([['site', 2]])
    expect(treeA.roots[0]?.children.map((node) => [node.topic, node.total, node.children[0]?.count])).toEqual([
      ['site/a', 1, 1],
      ['site/b', 1, 1],
    ])

    const chunk = await client.request('traffic.export', { sessionId: session.sessionId })
    const lines = chunk.text.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>)
    expect(chunk.done).toBe(true)
    expect(lines[0]).toMatchObject({ type: 'header', format: 'pairkit-traffic/1', sessionId: session.sessionId })
    expect(lines.slice(1).map((line) => [line.topic, line.site, line.direction])).toEqual(read.rows.map((row) => [row.topic, row.site, row.direction]))
    expect(lines.find((line) => line.topic === 'site/a/temp')?.payloadText).toBe('21.5 degrees on site A')
  }, 30_000)

  it('counts 1 000 messages exactly with a buffer of 100 rows, and batches every row or count it as omitted', async () => {
    const { view, session } = await startSession(client, { a: { mqtt: pair.a.brokerUrl() }, b: { mqtt: pair.b.brokerUrl() }, windowMs: 1500, capacity: 100 })
    const [publisherA, publisherB] = await Promise.all([mqttClient(pair.a.brokerUrl()), mqttClient(pair.b.brokerUrl())])
    const sent: Record<Site, number> = { A: 0, B: 0 }
    for (let i = 0; i < 1000; i++) {
      const site: Site = i % 5 < 3 ? 'A' : 'B'
      // At QoS 1, as the firmware republishes at QoS 0, the direction does not depend on which
      // subscriber a loaded computer serves first (that is tested with single messages above).
      ;(site === 'A' ? publisherA : publisherB).publish(`load/${site.toLowerCase()}/${i % 7}`, `message ${i} from site ${site}, long enough`, { qos: 1 })
      sent[site]++
      if (i % 50 === 49) await new Promise((resolve) => setTimeout(resolve, 25))
    }
    expect(sent).toEqual({ A: 600, B: 400 })
    await until('1 000 crossings', () => view.counters && view.counters.aToB.crossed + view.counters.bToA.crossed + view.counters.aToB.lost + view.counters.bToA.lost === 1000, 30_000)
    await until('the window to settle', () => view.counters?.aToB.pending === 0 && view.counters.bToA.pending === 0, 5000)
    const counters = view.counters
    expect(counters?.aToB).toMatchObject({ crossed: 600, lost: 0, duplicates: 0, pending: 0 })
    expect(counters?.bToA).toMatchObject({ crossed: 400, lost: 0, duplicates: 0, pending: 0 })
    expect(counters?.observed).toEqual({ A: { mqtt: 1000, console: 0, peer: 0, signalling: 0 }, B: { mqtt: 1000, console: 0, peer: 0, signalling: 0 } })
    expect(counters?.buffer).toMatchObject({ capacity: 100, size: 100, evicted: 1900, firstId: 1900, nextId: 2000 })
    const batched = view.batches.reduce((sum, batch) => sum + batch.rows.length + batch.omittedRows, 0)
    expect(batched).toBe(2000)
    for (const site of ['A', 'B'] as const) {
      const tree = await client.request('traffic.topics', { sessionId: session.sessionId, site })
      expect(tree.roots.map((node) => [node.topic, node.total])).toEqual([['load', 1000]])
    }
    // The buffer keeps the newest rows, correlated like the others.
    const read = await client.request('traffic.read', { sessionId: session.sessionId, from: 0, limit: 1000 })
    expect(read.rows.map((row) => row.id)).toEqual(Array.from({ length: 100 }, (_, i) => 1900 + i))
    expect(read.rows.every((row) => row.fate === 'crossed' && row.direction === (row.topic.startsWith('load/a/') ? 'a-to-b' : 'b-to-a'))).toBe(true)
  }, 60_000)

  it('marks the directions from the consoles\' forward lines alone, without any MQTT source', async () => {
    const { view } = await startSession(client, { a: { deviceId: pair.a.twin.url }, b: { deviceId: pair.b.twin.url }, windowMs: 1000 })
    const [publisherA, publisherB] = await Promise.all([mqttClient(pair.a.brokerUrl()), mqttClient(pair.b.brokerUrl())])
    await publisherA.publishAsync('console/from-a', 'seen on both consoles: handle_message on A', { qos: 1 })
    await publisherB.publishAsync('console/from-b', 'seen on both consoles: handle_message on B')
    await until('both messages on both consoles', () => ['console/from-a', 'console/from-b'].every((topic) => view.onTopic(topic).filter((row) => row.fate === 'crossed').length === 2))
    const rows = (topic: string) => view.onTopic(topic).sort((x, y) => x.site.localeCompare(y.site)).map((row) => [row.site, row.source, row.direction, row.fate])
    expect(rows('console/from-a')).toEqual([
      ['A', 'console', 'a-to-b', 'crossed'],
      ['B', 'console', 'a-to-b', 'crossed'],
    ])
    expect(rows('console/from-b')).toEqual([
      ['A', 'console', 'b-to-a', 'crossed'],
      ['B', 'console', 'b-to-a', 'crossed'],
    ])
    // handle_message logs the publisher's QoS; the other side's line has none.
    expect(view.onTopic('console/from-a').find((row) => row.site === 'A')?.qos).toBe(1)
    expect(view.counters?.observed.A.console).toBe(2)
    expect(view.counters?.observed.A.mqtt).toBe(0)
  }, 30_000)
})

describe('traffic of two twins with the stock firmware on site B', () => {
  it('marks every A → B message lost with the stock receive bug as its reason, while B → A crosses', async () => {
    const pair = await startTwinPair({ quirks: { b: 'stock' } })
    cleanups.push(() => pair.close())
    const { client } = connectBackend([pair])
    const { view } = await startSession(client, { a: { mqtt: pair.a.brokerUrl() }, b: { mqtt: pair.b.brokerUrl(), deviceId: pair.b.twin.url }, windowMs: 800 })
    const [publisherA, publisherB] = await Promise.all([mqttClient(pair.a.brokerUrl()), mqttClient(pair.b.brokerUrl())])
    for (let i = 0; i < 5; i++) await publisherA.publishAsync(`stock/a/${i}`, `message ${i} from site A that never arrives`)
    for (let i = 0; i < 2; i++) await publisherB.publishAsync(`stock/b/${i}`, `message ${i} from site B that crosses`)
    await until('the window to settle', () => view.counters && view.counters.aToB.lost === 5 && view.counters.bToA.crossed === 2 && view.counters.aToB.pending === 0, 10_000)
    const lost = [...view.rows.values()].filter((row) => row.topic.startsWith('stock/a/'))
    expect(lost).toHaveLength(5)
    for (const row of lost) {
      expect(row).toMatchObject({ site: 'A', direction: 'a-to-b', fate: 'lost', lostReason: 'stock-receive-bug' })
      expect(row.detail).toContain('No local mqtt client, dropping data')
    }
    expect(view.counters?.lostReasons['stock-receive-bug']).toBe(5)
    expect(view.counters?.aToB.crossed).toBe(0)
    expect((pair.b.console().match(/No local mqtt client, dropping data/g) ?? []).length).toBe(5)
  }, 60_000)
})
