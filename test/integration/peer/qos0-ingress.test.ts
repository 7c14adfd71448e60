// The embedded broker reads local clients' plain QoS 0 PUBLISHes ahead of aedes's parser. These
// tests write raw MQTT bytes over real TCP, chunk by chunk, and hold the result to plain aedes:
// what is read where, packets cut across chunks, keepalive, and seeded garbage on the line. The
// ones on the whole broker also run against the plain broker (--plain-broker).
import { createServer, connect as tcpConnect, type Server, type Socket } from 'node:net'
import { Aedes } from 'aedes'
import mqttPacket from 'mqtt-packet'
import { type MqttClient } from 'mqtt'
import { afterAll, describe, expect, it } from 'vitest'
import { readLocalQos0Directly } from '../../../src/main/peer/qos0-ingress'
import { startEmbeddedBroker } from '../../../src/main/peer/local-broker'
import { randomBytes, seededRandom } from '../../unit/serverless/seeded-random'
import { mqttClient, until } from './helpers'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function packet(fields: Record<string, unknown>): Buffer {
  return mqttPacket.generate(fields as unknown as mqttPacket.Packet)
}

const publish = (topic: string, payload: string, qos: 0 | 1 = 0, retain = false) =>
  packet({ cmd: 'publish', topic, payload: Buffer.from(payload), qos, retain, dup: false, ...(qos > 0 ? { messageId: 1 } : {}) })

/** A TCP connection that has sent CONNECT and got its CONNACK, and whether it has closed since. */
interface RawClient {
  socket: Socket
  closed: () => boolean
  write(bytes: Uint8Array): Promise<void>
}

async function rawClient(port: number, clientId: string, keepalive = 0): Promise<RawClient> {
  const socket = tcpConnect({ port, host: '127.0.0.1', noDelay: true })
  let closed = false
  socket.on('close', () => (closed = true))
  socket.on('error', () => undefined)
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve())
    socket.once('error', reject)
  })
  const connack = new Promise<void>((resolve, reject) => {
    socket.once('data', (data) => (data[0] === 0x20 ? resolve() : reject(new Error(`no CONNACK: ${data.toString('hex')}`))))
  })
  socket.write(packet({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId, clean: true, keepalive }))
  await connack
  // aedes makes the client ready (and the ingress starts reading) just after its CONNACK.
  await sleep(20)
  return {
    socket,
    closed: () => closed,
    write: (bytes) => new Promise<void>((resolve) => (socket.destroyed ? resolve() : socket.write(bytes, () => resolve()))),
  }
}

/** Every message a client receives, as "topic payload". */
function record(client: MqttClient): string[] {
  const seen: string[] = []
  client.on('message', (topic, payload) => seen.push(`${topic} ${payload.toString()}`))
  return seen
}

const cleanup: (() => Promise<unknown> | void)[] = []
afterAll(async () => {
  for (const step of cleanup.reverse()) await Promise.resolve(step()).catch(() => undefined)
})

async function plainAedes(): Promise<{ aedes: Aedes; port: number }> {
  const aedes = await Aedes.createBroker()
  const server: Server = createServer(aedes.handle)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  cleanup.push(() => new Promise<void>((resolve) => aedes.close(() => server.close(() => resolve()))))
  return { aedes, port: (server.address() as { port: number }).port }
}

describe('the ingress reader on aedes', () => {
  it('takes the leading plain QoS 0 PUBLISHes of a chunk and leaves the first other packet and all after it to aedes', async () => {
    const { aedes, port } = await plainAedes()
    const taken: string[] = []
    const byAedes: string[] = []
    readLocalQos0Directly(aedes, 'skipped-id', 65_536, (_client, topic, payload) => {
      if (topic === 'refused') return false
      taken.push(`${topic} ${payload.toString()}`)
      return true
    })
    aedes.on('publish', (p, client) => {
      if (client) byAedes.push(`${p.topic} ${p.payload.toString()}`)
    })
    const raw = await rawClient(port, 'ingress-1')
    await raw.write(Buffer.concat([publish('a', '1'), publish('b', '2'), publish('c', '3', 1), publish('d', '4'), packet({ cmd: 'pingreq' }), publish('e', '5')]))
    await until(() => byAedes.length >= 3, 5000, 'aedes to handle the rest of the chunk')
    expect(taken).toEqual(['a 1', 'b 2'])
    expect(byAedes.sort()).toEqual(['c 3', 'd 4', 'e 5'])
    // A retained message, a "$" topic and one its taker refuses go to aedes; the next chunk is read again.
    // Each chunk is read before the next is written (TCP would otherwise merge them).
    await raw.write(Buffer.concat([publish('f', '6'), publish('g', '7', 0, true)]))
    await until(() => byAedes.includes('g 7'), 5000, 'the retained message')
    await raw.write(publish('$x/y', '8'))
    await until(() => byAedes.includes('$x/y 8'), 5000, 'the "$" message')
    await raw.write(publish('refused', '9'))
    await until(() => byAedes.includes('refused 9'), 5000, 'the refused message')
    await raw.write(publish('h', '10'))
    await until(() => taken.includes('h 10'), 5000, 'the last chunk')
    // A plain one cut across chunks is held until its rest comes, then taken: not left to aedes.
    const cut = publish('i', '11 cut in three')
    await raw.write(cut.subarray(0, 1))
    await sleep(20)
    await raw.write(cut.subarray(1, 6))
    await sleep(20)
    await raw.write(Buffer.concat([cut.subarray(6), publish('j', '12')]))
    await until(() => taken.includes('j 12'), 5000, 'the cut message and the one after it')
    expect(taken).toEqual(['a 1', 'b 2', 'f 6', 'h 10', 'i 11 cut in three', 'j 12'])
    expect(byAedes.sort()).toEqual(['$x/y 8', 'c 3', 'd 4', 'e 5', 'g 7', 'refused 9'])
    // The client id the bridge republishes with is never read here (its messages never cross).
    const skipped = await rawClient(port, 'skipped-id')
    await skipped.write(publish('s', '11'))
    await until(() => byAedes.includes('s 11'), 5000, 'the skipped client\'s message')
    expect(taken).not.toContain('s 11')
    raw.socket.destroy()
    skipped.socket.destroy()
  })

})

describe.each([
  { mode: 'fast paths', plain: false },
  { mode: 'plain aedes', plain: true },
])('local QoS 0 PUBLISHes on the embedded broker ($mode)', ({ plain }) => {
  it('delivers packets cut across chunks once each and in order, byte by byte', async () => {
    const local = await startEmbeddedBroker({ port: 0, plain })
    cleanup.push(() => local.close())
    const sub = await mqttClient(local.url)
    cleanup.push(() => sub.endAsync(true))
    const seen = record(sub)
    await sub.subscribeAsync('cut/#')
    const raw = await rawClient(Number(new URL(local.url).port), 'ingress-cut')
    const messages = Array.from({ length: 12 }, (_, i) => publish(`cut/${i % 3}`, `message ${i} ${'x'.repeat(i * 20)}`, i === 5 ? 1 : 0))
    const stream = Buffer.concat(messages)
    // One byte per write for the first half, then odd-sized chunks: every packet boundary falls
    // inside some chunk, and aedes's parser holds a part at times.
    let at = 0
    for (; at < stream.length / 2; at++) {
      await raw.write(stream.subarray(at, at + 1))
      if (at % 16 === 0) await sleep(1)
    }
    for (let size = 7; at < stream.length; at += size, size += 13) {
      await raw.write(stream.subarray(at, at + size))
      await sleep(1)
    }
    await until(() => seen.length >= 12, 5000, 'twelve messages')
    await sleep(100) // time for a duplicate to show up
    expect(seen).toEqual(Array.from({ length: 12 }, (_, i) => `cut/${i % 3} message ${i} ${'x'.repeat(i * 20)}`))
    raw.socket.destroy()
  })

  it('keeps alive a client that sends nothing but QoS 0 PUBLISHes', async () => {
    const local = await startEmbeddedBroker({ port: 0, plain })
    cleanup.push(() => local.close())
    const sub = await mqttClient(local.url)
    cleanup.push(() => sub.endAsync(true))
    const seen = record(sub)
    await sub.subscribeAsync('alive')
    // Keepalive 1 s: aedes closes a client it hears nothing from for 1.5 s.
    const raw = await rawClient(Number(new URL(local.url).port), 'ingress-alive', 1)
    for (let i = 0; i < 10; i++) {
      await raw.write(publish('alive', String(i)))
      await sleep(300)
    }
    expect(raw.closed()).toBe(false)
    expect(seen).toEqual(Array.from({ length: 10 }, (_, i) => `alive ${i}`))
    // And silence still ends it, as aedes does.
    await until(() => raw.closed(), 5000, 'aedes to close the silent client')
  })

  it('answers bad and hostile byte streams exactly as plain aedes does (seeded)', async () => {
    const local = await startEmbeddedBroker({ port: 0, plain })
    cleanup.push(() => local.close())
    const reference = await plainAedes()
    const subscribers = await Promise.all([mqttClient(local.url), mqttClient(`mqtt://127.0.0.1:${reference.port}`)])
    for (const s of subscribers) cleanup.push(() => s.endAsync(true))
    const [oursSeen, theirsSeen] = subscribers.map(record) as [string[], string[]]
    await Promise.all(subscribers.map((s) => s.subscribeAsync('#')))
    const random = seededRandom(0x1a9e55)
    const valid = () => publish(`f/${Math.floor(random() * 4)}`, `v${Math.floor(random() * 1000)}`)
    const closedOurs: boolean[] = []
    const closedTheirs: boolean[] = []
    for (let stream = 0; stream < 60; stream++) {
      const parts: Uint8Array[] = []
      for (let p = 0; p < 1 + Math.floor(random() * 6); p++) {
        const pick = random()
        if (pick < 0.45) parts.push(valid())
        else if (pick < 0.6) parts.push(randomBytes(random, 1 + Math.floor(random() * 12)))
        else if (pick < 0.7) parts.push(publish(['a/#', 'b/+', '', '$SYS/x', 'é/ü'][Math.floor(random() * 5)] as string, 'odd'))
        else if (pick < 0.8) {
          const flipped = Buffer.from(valid())
          const at = Math.floor(random() * flipped.length)
          flipped[at] = (flipped[at] as number) ^ (1 << Math.floor(random() * 8))
          parts.push(flipped)
        } else if (pick < 0.9) parts.push(packet({ cmd: 'pingreq' }))
        else parts.push(Uint8Array.of(0x30, 0xff, 0xff, 0xff, 0xff, 0x7f)) // a 5-byte length
      }
      const bytes = Buffer.concat(parts)
      const clients = await Promise.all([rawClient(Number(new URL(local.url).port), `fuzz-${stream}`), rawClient(reference.port, `fuzz-${stream}`)])
      await Promise.all(clients.map((c) => c.write(bytes)))
      await sleep(30)
      closedOurs.push(clients[0].closed())
      closedTheirs.push(clients[1].closed())
      for (const c of clients) c.socket.destroy()
    }
    await sleep(300)
    expect(closedOurs).toEqual(closedTheirs)
    expect([...oursSeen].sort()).toEqual([...theirsSeen].sort())
    // The streams carried messages through and also made aedes close connections.
    expect(oursSeen.length).toBeGreaterThan(30)
    expect(closedOurs.filter(Boolean).length).toBeGreaterThan(5)
    // Both brokers still serve a well-behaved client.
    const after = await mqttClient(local.url)
    cleanup.push(() => after.endAsync(true))
    await after.publishAsync('after/fuzz', 'still here')
    await until(() => oursSeen.includes('after/fuzz still here'), 5000, 'a message after the fuzzing')
  })
})
