// Datagrams that are not a valid wrap, arriving over a real ICE link, are counted and dropped;
// valid ones are republished on the local broker.
import { createSocket } from 'node:dgram'
import { afterAll, describe, expect, it } from 'vitest'
import { encodeWrap } from '../../../src/common/serverless/datagram-wrap'
import { parseCandidateLine } from '../../../src/common/serverless/ice-description'
import { emptyPeerStats, type PeerEvent } from '../../../src/common/serverless/peer-events'
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
  return { sender, receiver, broker, stats, events, firmwareLines }
}

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
    const wrap = (topic: string, payload: string) => (encodeWrap(topic, new TextEncoder().encode(payload)) as { ok: true; bytes: Uint8Array }).bytes
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
    expect(pair.events.filter((e) => e.type === 'drop').map((e) => (e as { detail: string }).detail.split(':')[0])).toEqual(['too-short', 'topic-length-zero', 'length-mismatch', 'topic-not-terminated'])
    expect(pair.firmwareLines.filter((line) => line.endsWith('serverless_mqtt: Received invalid message'))).toHaveLength(4)
  })

  it('drops datagrams from an address that is not the selected pair\'s remote, like libjuice', async () => {
    const pair = await linkedPair('exact')
    cleanup.push(() => pair.sender.close(), () => pair.receiver.close(), () => pair.broker.close())
    const sub = await mqttClient(pair.broker.url)
    cleanup.push(() => sub.endAsync(true))
    const received = await collectMessages(sub, '#')
    const target = parseCandidateLine(pair.receiver.localCandidateLines[0] as string)
    if (!target.ok) throw new Error('receiver has no host candidate')
    const stranger = createSocket('udp4')
    cleanup.push(() => new Promise<void>((resolve) => stranger.close(() => resolve())))
    const injected = (encodeWrap('injected/topic', new TextEncoder().encode('from a stranger')) as { ok: true; bytes: Uint8Array }).bytes
    stranger.send(injected, target.candidate.port, target.candidate.address)
    await until(() => pair.stats.drops['unknown-source'] === 1, 5000, 'the unknown-source drop')
    await pair.sender.send((encodeWrap('real/topic', new TextEncoder().encode('from the peer')) as { ok: true; bytes: Uint8Array }).bytes)
    await until(() => received.length >= 1, 5000, 'the real message')
    expect(received.map((m) => m.topic)).toEqual(['real/topic'])
    expect(pair.firmwareLines).toContainEqual(expect.stringMatching(/WARN {4}agent\.c:\d+: Received a datagram from unknown address, ignoring$/))
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
