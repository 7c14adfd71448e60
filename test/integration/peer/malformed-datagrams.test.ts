// Datagrams that are not a valid wrap, arriving over a real ICE link, are counted and dropped;
// valid ones are republished on the local broker. Strangers' datagrams never reach the decoder,
// and a flood of bad ones is counted exactly but reported in a few events.
import { createSocket } from 'node:dgram'
import { afterAll, describe, expect, it } from 'vitest'
import { encodeWrap } from '../../../src/common/serverless/datagram-wrap'
import { parseCandidateLine } from '../../../src/common/serverless/ice-description'
import { emptyPeerStats, type PeerEvent, PeerEventSchema } from '../../../src/common/serverless/peer-events'
import { classifySignal, encodeDescription } from '../../../src/common/serverless/signal-message'
import { FirmwareConsole } from '../../../src/main/peer/firmware-console'
import { IceLink } from '../../../src/main/peer/ice-link'
import { startEmbeddedBroker } from '../../../src/main/peer/local-broker'
import { MessageBridge, type ReceiveCheck } from '../../../src/main/peer/message-bridge'
import { collectMessages, mqttClient, until } from './helpers'

function remoteOf(link: IceLink) {
  const { json } = encodeDescription(link.description, link.localCandidateLines, 't')
  const message = classifySignal(new TextEncoder().encode(json), 't')
  if (message.kind !== 'description') throw new Error('own description did not parse')
  return message.remote
}

async function linkedPair(receiveCheck: ReceiveCheck) {
  const sender = await IceLink.gather({ controlling: true, bind: '127.0.0.1' })
  const receiver = await IceLink.gather({ controlling: false, bind: '127.0.0.1' })
  await Promise.all([sender.connect(remoteOf(receiver), 10_000), receiver.connect(remoteOf(sender), 10_000)])
  const broker = await startEmbeddedBroker({ port: 0 })
  const stats = emptyPeerStats()
  const events: PeerEvent[] = []
  const firmwareLines: string[] = []
  const bridge = new MessageBridge(broker, stats, (e) => events.push({ ...e, at: Date.now() } as PeerEvent), new FirmwareConsole(2, (line) => firmwareLines.push(line)), receiveCheck)
  bridge.attach(receiver)
  return { sender, receiver, broker, bridge, stats, events, firmwareLines }
}

const wrap = (topic: string, payload: string) => (encodeWrap(topic, new TextEncoder().encode(payload)) as { ok: true; bytes: Uint8Array }).bytes

/** The receiver's own address, where a stranger on the network would send to. */
function receiverAddress(receiver: IceLink): { address: string; port: number } {
  const target = parseCandidateLine(receiver.localCandidateLines[0] as string)
  if (!target.ok) throw new Error('receiver has no host candidate')
  return target.candidate
}

const dropEvents = (events: PeerEvent[]) => events.filter((e): e is Extract<PeerEvent, { type: 'drop' }> => e.type === 'drop')

describe('datagrams from the peer', () => {
  const cleanup: (() => Promise<unknown>)[] = []
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined)
  })

  it('drops malformed datagrams with a reason and republishes valid ones, including empty payloads', async () => {
    const pair = await linkedPair('exact')
    cleanup.push(() => pair.sender.close(), () => pair.receiver.close(), () => pair.broker.close())
    const sub = await mqttClient(pair.broker.url)
    cleanup.push(() => sub.endAsync(true))
    const received = await collectMessages(sub, '#')
    const bad = [
      new Uint8Array([1, 2]),
      new Uint8Array([0, 0, 0, 0]),
      Uint8Array.from([...wrap('a/b', 'hi'), 0x99]),
      Uint8Array.from([0x04, 0x00, 0x02, 0x00, 0x61, 0x2f, 0x62, 0x63, 0x68, 0x69]),
    ]
    for (const datagram of bad) await pair.sender.send(datagram)
    await pair.sender.send(wrap('a/b', 'hi'))
    await pair.sender.send(wrap('t/empty', ''))
    await until(() => received.length >= 2, 5000, 'valid messages')
    await until(() => pair.stats.drops.malformed >= 4, 2000, 'four malformed drops')
    expect(received.map((m) => `${m.topic}|${m.payload.toString()}`)).toEqual(['a/b|hi', 't/empty|'])
    expect(pair.stats.drops.malformed).toBe(4)
    // The first drop is reported at once, the other three in one event (they came within a second).
    pair.bridge.close()
    const drops = dropEvents(pair.events)
    expect(drops.map((e) => [e.reason, e.count, e.detail.split(':')[0]])).toEqual([['malformed', 1, 'too-short'], ['malformed', 3, 'topic-not-terminated']])
    for (const event of pair.events) expect(PeerEventSchema.safeParse(event).success).toBe(true)
    expect(pair.firmwareLines.filter((line) => line.endsWith('serverless_mqtt: Received invalid message'))).toHaveLength(4)
  })

  it('drops datagrams from an address that is not the selected pair\'s remote, like libjuice', async () => {
    const pair = await linkedPair('exact')
    cleanup.push(() => pair.sender.close(), () => pair.receiver.close(), () => pair.broker.close())
    const sub = await mqttClient(pair.broker.url)
    cleanup.push(() => sub.endAsync(true))
    const received = await collectMessages(sub, '#')
    const target = receiverAddress(pair.receiver)
    const stranger = createSocket('udp4')
    cleanup.push(() => new Promise<void>((resolve) => stranger.close(() => resolve())))
    stranger.send(wrap('injected/topic', 'from a stranger'), target.port, target.address)
    await until(() => pair.stats.drops['unknown-source'] === 1, 5000, 'the unknown-source drop')
    await pair.sender.send(wrap('real/topic', 'from the peer'))
    await until(() => received.length >= 1, 5000, 'the real message')
    expect(received.map((m) => m.topic)).toEqual(['real/topic'])
    expect(pair.firmwareLines).toContainEqual(expect.stringMatching(/WARN {4}agent\.c:\d+: Received a datagram from unknown address, ignoring$/))
  })

  it('checks the source of datagrams that look like STUN but are not, which werift would pass on as data', async () => {
    const pair = await linkedPair('exact')
    cleanup.push(() => pair.sender.close(), () => pair.receiver.close(), () => pair.broker.close())
    const target = receiverAddress(pair.receiver)
    const stranger = createSocket('udp4')
    cleanup.push(() => new Promise<void>((resolve) => stranger.close(() => resolve())))
    // libjuice's STUN test (top two bits zero, magic cookie at bytes 4-7, 20 bytes or more) holds,
    // but the length field does not match, so werift cannot parse it and hands it on as data.
    // Laid out as a wrap: topic_len 8, data_len 8, topic "!\x12\xa4Babc", 8 bytes of payload.
    const looksLikeStun = Uint8Array.from([0x08, 0x00, 0x08, 0x00, 0x21, 0x12, 0xa4, 0x42, 0x61, 0x62, 0x63, 0x00, ...new TextEncoder().encode('stunlike')])
    for (let i = 0; i < 3; i++) stranger.send(looksLikeStun, target.port, target.address)
    await until(() => pair.stats.drops['unknown-source'] === 3, 5000, 'three unknown-source drops')
    // The genuine peer's datagrams still come through, and nothing reached the decoder before them.
    await pair.sender.send(wrap('real/topic', 'x'))
    await until(() => pair.stats.messagesFromPeer === 1, 5000, 'the real message')
    expect(pair.stats.drops.malformed).toBe(0)
    expect(pair.firmwareLines.filter((line) => line.endsWith('Received invalid message'))).toEqual([])
  })

  it('counts a flood of bad datagrams exactly and reports it in about one event per reason and second', async () => {
    const pair = await linkedPair('exact')
    cleanup.push(() => pair.sender.close(), () => pair.receiver.close(), () => pair.broker.close())
    const target = receiverAddress(pair.receiver)
    const stranger = createSocket('udp4')
    cleanup.push(() => new Promise<void>((resolve) => stranger.close(() => resolve())))
    const started = Date.now()
    const total = 10_000
    // In batches, each waited for, so the kernel's receive buffer never overflows and every
    // datagram is counted: half malformed from the peer, half from a stranger.
    for (let sent = 0; sent < total; sent += 200) {
      for (let i = 0; i < 100; i++) {
        pair.sender.send(Uint8Array.of(1, 2, 3))
        stranger.send(wrap('stranger/topic', 'x'), target.port, target.address)
      }
      await until(() => pair.stats.drops.malformed + pair.stats.drops['unknown-source'] >= sent + 200, 5000, `${sent + 200} drops`)
    }
    const seconds = (Date.now() - started) / 1000
    pair.bridge.close()
    expect(pair.stats.drops.malformed).toBe(total / 2)
    expect(pair.stats.drops['unknown-source']).toBe(total / 2)
    const drops = dropEvents(pair.events)
    for (const reason of ['malformed', 'unknown-source'] as const) {
      const events = drops.filter((e) => e.reason === reason)
      expect(events.reduce((sum, e) => sum + e.count, 0), `${reason}: the counts of its events`).toBe(total / 2)
      // One at the first drop, one per second after it, one at close.
      expect(events.length, `${reason} events over ${seconds} s`).toBeLessThanOrEqual(Math.ceil(seconds) + 2)
    }
    for (const event of pair.events) expect(PeerEventSchema.safeParse(event).success).toBe(true)
  })

  it('in stock-firmware mode also drops what the ESP\'s faulty length check rejects', async () => {
    const pair = await linkedPair('stock-firmware')
    cleanup.push(() => pair.sender.close(), () => pair.receiver.close(), () => pair.broker.close())
    const sub = await mqttClient(pair.broker.url)
    cleanup.push(() => sub.endAsync(true))
    const received = await collectMessages(sub, '#')
    for (const [topic, payload] of [['a/b', 'hi'], ['a/b', 'hello'], ['werift/tx', 'ON']]) {
      await pair.sender.send((encodeWrap(topic as string, new TextEncoder().encode(payload)) as { ok: true; bytes: Uint8Array }).bytes)
    }
    await until(() => received.length >= 1 && pair.stats.drops.malformed >= 2, 5000, 'one delivery and two drops')
    expect(received.map((m) => m.payload.toString())).toEqual(['hello'])
  })
})
