// The embedded broker delivers the peer's messages and local clients' QoS 0 messages itself
// (encoded once, written to each matching subscriber). These tests hold it to aedes's own
// delivery on the same broker, and check subscription changes, bursts and a subscriber that
// goes away. They run against the plain broker (aedes alone, --plain-broker) as well.
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import type { Socket } from 'node:net'
import { promisify } from 'node:util'
import { connectAsync, type MqttClient } from 'mqtt'
import { afterAll, describe, expect, it } from 'vitest'
import { SERVERLESS } from '../../../src/common/serverless/constants'
import { startEmbeddedBroker, type LocalBroker } from '../../../src/main/peer/local-broker'
import { mqttClient, until } from './helpers'

const run = promisify(execFile)
const text = (value: string) => new TextEncoder().encode(value)
const READY_TOPIC = 'pairkit-test/ready'

/** data_segs_out of the TCP connection 127.0.0.1:localPort → remotePort, from iproute2's ss. */
async function dataSegmentsOut(localPort: number, remotePort: number): Promise<number> {
  const { stdout } = await run('ss', ['-tinH', 'state', 'established', `( sport = :${localPort} and dport = :${remotePort} )`])
  const match = /data_segs_out:(\d+)/.exec(stdout)
  if (!match) throw new Error(`ss shows no data_segs_out for port ${localPort}: ${stdout}`)
  return Number(match[1])
}

/** Write-like system calls this process has made (Linux /proc/self/io: write, writev, sendmsg…). */
function writeSyscalls(): number {
  return Number(/^syscw: (\d+)$/m.exec(readFileSync('/proc/self/io', 'utf8'))?.[1])
}

/** Every message a client receives, as "topic payload" (other clients' readiness checks aside). */
function record(client: MqttClient): string[] {
  const seen: string[] = []
  client.on('message', (topic, payload) => {
    if (!topic.startsWith(READY_TOPIC)) seen.push(`${topic} ${payload.toString()}`)
  })
  return seen
}

describe.each([
  { mode: 'fast paths', plain: false },
  { mode: 'plain aedes', plain: true },
])('QoS 0 delivery by the embedded broker ($mode)', ({ plain }) => {
  const cleanup: (() => Promise<unknown>)[] = []
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined)
  })

  async function broker(messagesPerWrite?: number): Promise<LocalBroker> {
    const started = await startEmbeddedBroker({ port: 0, plain, ...(messagesPerWrite ? { messagesPerWrite } : {}) })
    cleanup.push(() => started.close())
    return started
  }

  async function subscriber(url: string, ...filters: string[]): Promise<{ client: MqttClient; seen: string[] }> {
    const client = await mqttClient(url)
    cleanup.push(() => client.endAsync(true))
    // Acknowledged only once aedes has the client ready (its CONNACK may come a little earlier).
    await client.publishAsync(READY_TOPIC, '', { qos: 1 })
    const seen = record(client)
    if (filters.length > 0) await client.subscribeAsync(filters, { qos: 1 })
    return { client, seen }
  }

  it('reaches exactly the subscribers aedes itself delivers a local client\'s publish to', async () => {
    const local = await broker()
    const filters = [['#'], ['a/#'], ['a/+/c'], ['+/+'], ['a/b'], ['+'], ['a/+', 'a/b'], ['/+'], ['x/#', '+/y'], ['$x/#'], []]
    const subscribers = await Promise.all(filters.map((f) => subscriber(local.url, ...f)))
    const publisher = await mqttClient(local.url)
    cleanup.push(() => publisher.endAsync(true))
    const topics = ['a', 'a/b', 'a/b/c', 'a//c', 'a/x/c', 'x/y', '/a', 'b', 'a/', '$x/y']
    // Three kinds of each message: from the peer and a local QoS 0 publish (both delivered by the
    // fan-out), and a local QoS 1 publish, which aedes delivers itself: the reference.
    const kinds = ['peer', 'local0', 'aedes'] as const
    const send = async (topic: string) => {
      local.republish(topic, text('peer'))
      await publisher.publishAsync(topic, 'local0', { qos: 0 })
      await publisher.publishAsync(topic, 'aedes', { qos: 1 })
    }
    for (const topic of topics) await send(topic)
    // "end" of each kind marks the last.
    await send('end')
    const wildcard = filters.filter((f) => f.some((x) => x === '#' || x === '+')).length
    await until(() => subscribers.filter((s) => kinds.every((kind) => s.seen.includes(`end ${kind}`))).length === wildcard, 5000, 'the end markers')
    for (const [index, { seen }] of subscribers.entries()) {
      const of = (kind: string) => seen.filter((m) => m.endsWith(` ${kind}`)).map((m) => m.slice(0, -kind.length - 1))
      expect(of('peer'), `peer's messages to the subscriber with ${JSON.stringify(filters[index])}`).toEqual(of('aedes'))
      expect(of('local0'), `local QoS 0 messages to the subscriber with ${JSON.stringify(filters[index])}`).toEqual(of('aedes'))
    }
    // And they are not all empty: the matrix exercises the matching.
    expect(subscribers[0]?.seen.filter((m) => m.endsWith(' peer')).length).toBe(topics.length)
    expect(subscribers[0]?.seen.filter((m) => m.endsWith(' local0')).length).toBe(topics.length)
  })

  it('tells the bridge of every local client\'s publish once, whichever path delivers it', async () => {
    const local = await broker()
    const heard: string[] = []
    local.onPublish((m) => {
      if (m.topic !== READY_TOPIC) heard.push(`${m.clientId} ${m.topic} ${new TextDecoder().decode(m.payload)} q${m.qos}${m.retain ? ' retain' : ''}`)
    })
    const { seen } = await subscriber(local.url, 'h/#')
    const publisher = await mqttClient(local.url, 'pairkit-test-pub')
    const republisher = await mqttClient(local.url, SERVERLESS.LOCAL_CLIENT_ID)
    cleanup.push(() => publisher.endAsync(true), () => republisher.endAsync(true))
    await publisher.publishAsync('h/0', 'zero', { qos: 0 })
    await publisher.publishAsync('h/1', 'one', { qos: 1 })
    await publisher.publishAsync('h/r', 'kept', { qos: 0, retain: true })
    // aedes drops a message to a subscriber that has already had a later one of the broker's
    // (its duplicate check by broker counter), and its retained path is slower: another
    // client's message published now could overtake this one. So wait for it.
    await until(() => seen.includes('h/r kept'), 5000, 'the retained message')
    // The re-publisher's own messages reach local subscribers but never the bridge (no loops).
    await republisher.publishAsync('h/loop', 'local only', { qos: 0 })
    await publisher.publishAsync('h/end', '.', { qos: 0 })
    // The two paths may interleave (aedes's is asynchronous), so the order is not compared.
    await until(() => seen.length >= 5, 5000, 'five messages')
    await new Promise((resolve) => setTimeout(resolve, 200)) // time for any duplicate to show up
    expect(heard.sort()).toEqual(['pairkit-test-pub h/0 zero q0', 'pairkit-test-pub h/1 one q1', 'pairkit-test-pub h/end . q0', 'pairkit-test-pub h/r kept q0 retain'])
    expect(seen.sort()).toEqual(['h/0 zero', 'h/1 one', 'h/end .', 'h/loop local only', 'h/r kept'])
    // The retained one went through aedes, which kept it for later subscribers.
    const late = await subscriber(local.url, 'h/r')
    await until(() => late.seen.length >= 1, 5000, 'the retained message')
    expect(late.seen).toEqual(['h/r kept'])
  })

  it('delivers once to a client whose filters overlap, and follows subscribe and unsubscribe', async () => {
    const local = await broker()
    const { client, seen } = await subscriber(local.url, 'o/#', 'o/b', '#')
    const late = await subscriber(local.url)
    local.republish('o/b', text('1'))
    local.republish('late/x', text('before'))
    await until(() => seen.length >= 2, 5000, 'the first messages')
    await late.client.subscribeAsync('late/x')
    local.republish('late/x', text('after subscribe'))
    local.republish('o/b', text('2'))
    // Two of the three matching filters go: the one left still carries the message, once.
    await client.unsubscribeAsync(['#', 'o/#'])
    local.republish('o/b', text('one filter left'))
    await client.unsubscribeAsync('o/b')
    await late.client.unsubscribeAsync('late/x')
    local.republish('late/x', text('after unsubscribe'))
    local.republish('o/b', text('after unsubscribe'))
    await Promise.all([client.subscribeAsync('done'), late.client.subscribeAsync('done')])
    local.republish('done', text('.'))
    await until(() => seen.includes('done .') && late.seen.includes('done .'), 5000, 'the done markers')
    expect(seen).toEqual(['o/b 1', 'late/x before', 'late/x after subscribe', 'o/b 2', 'o/b one filter left', 'done .'])
    expect(late.seen).toEqual(['late/x after subscribe', 'done .'])
  })

  it('reaches a client whose subscription the broker restored from its session', async () => {
    const local = await broker()
    const options = { protocolVersion: 4 as const, reconnectPeriod: 0, clientId: 'pairkit-test-session', clean: false }
    const first = await connectAsync(local.url, options)
    await first.subscribeAsync('kept/#', { qos: 1 })
    await first.endAsync()
    // Back with the same session and no SUBSCRIBE of its own.
    const again = await connectAsync(local.url, options)
    cleanup.push(() => again.endAsync(true))
    await again.publishAsync(READY_TOPIC, '', { qos: 1 })
    const seen = record(again)
    local.republish('kept/x', text('restored'))
    await until(() => seen.length >= 1, 5000, 'the message to the restored subscription')
    expect(seen).toEqual(['kept/x restored'])
  })

  it('writes a burst in order, in few TCP writes, and keeps serving others when a subscriber leaves', async () => {
    const local = await broker(8)
    const kept = await subscriber(local.url, 'burst/#')
    const leaving = await subscriber(local.url, 'burst/#')
    const brokerPort = Number(new URL(local.url).port)
    const segmentsSent = () => dataSegmentsOut(brokerPort, (kept.client.stream as Socket).localPort as number)
    const before = await segmentsSent()
    const writesBefore = writeSyscalls()
    // As datagrams of one poll arrive: republished back to back in one turn of the event loop.
    for (let i = 0; i < 300; i++) local.republish(`burst/${i % 3}`, text(`message ${i}`))
    await until(() => kept.seen.length >= 300 && leaving.seen.length >= 300, 5000, '300 messages each')
    const writes = writeSyscalls() - writesBefore
    const expected = Array.from({ length: 300 }, (_, i) => `burst/${i % 3} message ${i}`)
    expect(kept.seen).toEqual(expected)
    expect(leaving.seen).toEqual(expected)
    const segments = (await segmentsSent()) - before
    if (plain) {
      // aedes writes each message on its own: the plain broker really runs without the fan-out.
      expect(writes).toBeGreaterThanOrEqual(2 * 300)
    } else {
      // Per subscriber, the first message at once and then writes of 8: about 38 each, where a
      // write per message would be 300 each. A few more for whatever else this process writes.
      expect(writes).toBeLessThanOrEqual(2 * 40 + 10)
      // The kernel may merge writes into fewer segments, but never needs more than the writes.
      expect(segments).toBeLessThanOrEqual(40)
    }

    leaving.client.stream.destroy()
    for (let i = 0; i < 50; i++) local.republish('burst/after', text(`after ${i}`))
    await until(() => kept.seen.length >= 350, 5000, 'the messages after one subscriber left')
    expect(kept.seen.slice(300)).toEqual(Array.from({ length: 50 }, (_, i) => `burst/after after ${i}`))
  })
})
