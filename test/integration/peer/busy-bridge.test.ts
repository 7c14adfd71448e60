// The paths a busy bridge takes: bursts of datagrams on the selected pair's own socket, a
// burst republished to a subscriber in few TCP writes, and no per-message events when off.
import { execFile } from 'node:child_process'
import type { Socket } from 'node:net'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { encodeWrap } from '../../../src/common/serverless/datagram-wrap'
import { classifySignal, encodeDescription } from '../../../src/common/serverless/signal-message'
import { emptyPeerStats, type PeerEvent } from '../../../src/common/serverless/peer-events'
import { FirmwareConsole } from '../../../src/main/peer/firmware-console'
import { IceLink } from '../../../src/main/peer/ice-link'
import { startEmbeddedBroker } from '../../../src/main/peer/local-broker'
import { MessageBridge } from '../../../src/main/peer/message-bridge'
import { collectMessages, mqttClient, until } from './helpers'

const run = promisify(execFile)

function remoteOf(link: IceLink) {
  const { json } = encodeDescription(link.description, link.localCandidateLines, 't')
  const message = classifySignal(new TextEncoder().encode(json), 't')
  if (message.kind !== 'description') throw new Error('own description did not parse')
  return message.remote
}

/** data_segs_out of the TCP connection 127.0.0.1:localPort → remotePort, from iproute2's ss. */
async function dataSegmentsOut(localPort: number, remotePort: number): Promise<number> {
  const { stdout } = await run('ss', ['-tinH', 'state', 'established', `( sport = :${localPort} and dport = :${remotePort} )`])
  const match = /data_segs_out:(\d+)/.exec(stdout)
  if (!match) throw new Error(`ss shows no data_segs_out for port ${localPort}: ${stdout}`)
  return Number(match[1])
}

const wrap = (topic: string, payload: string) => (encodeWrap(topic, new TextEncoder().encode(payload)) as { ok: true; bytes: Uint8Array }).bytes

describe('a busy bridge', () => {
  const cleanup: (() => Promise<unknown>)[] = []
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined)
  })

  it('republishes a burst from the peer in order, in a few TCP writes to the subscriber', async () => {
    const broker = await startEmbeddedBroker({ port: 0, messagesPerWrite: 100 })
    cleanup.push(() => broker.close())
    const sub = await mqttClient(broker.url)
    cleanup.push(() => sub.endAsync(true))
    const received = await collectMessages(sub, 'burst/#')
    // The broker side of the subscriber's connection, as the kernel counts its segments (the
    // reader may merge segments, so its own reads say nothing about the writes).
    const brokerPort = Number(new URL(broker.url).port)
    const segmentsSent = () => dataSegmentsOut(brokerPort, (sub.stream as Socket).localPort as number)
    const before = await segmentsSent()
    // As datagrams of one poll arrive: republished back to back in one turn of the event loop.
    // 90: aedes runs at most 100 publishes at once and queues the rest for later turns.
    const count = 90
    for (let i = 0; i < count; i++) broker.republish(`burst/${i % 3}`, new TextEncoder().encode(`message ${i}`))
    await until(() => received.length >= count, 5000, `${count} messages`)
    expect(received.map((m) => m.payload.toString())).toEqual(Array.from({ length: count }, (_, i) => `message ${i}`))
    // No Nagle on the broker's sockets: a write per message would be up to 90 segments.
    expect((await segmentsSent()) - before).toBeLessThanOrEqual(3)
  })

  it('splits a long burst into writes of at most messagesPerWrite messages', async () => {
    const broker = await startEmbeddedBroker({ port: 0, messagesPerWrite: 8 })
    cleanup.push(() => broker.close())
    const sub = await mqttClient(broker.url)
    cleanup.push(() => sub.endAsync(true))
    const received = await collectMessages(sub, 'burst/#')
    const segmentsSent = () => dataSegmentsOut(Number(new URL(broker.url).port), (sub.stream as Socket).localPort as number)
    const before = await segmentsSent()
    for (let i = 0; i < 80; i++) broker.republish('burst/x', new TextEncoder().encode(`message ${i}`))
    await until(() => received.length >= 80, 5000, '80 messages')
    expect(received.map((m) => m.payload.toString())).toEqual(Array.from({ length: 80 }, (_, i) => `message ${i}`))
    // Ten writes of eight; the kernel may still merge a few of them (autocorking).
    const segments = (await segmentsSent()) - before
    expect(segments).toBeGreaterThanOrEqual(4)
    expect(segments).toBeLessThanOrEqual(12)
  })

  it('carries a burst of datagrams over the linked pair\'s socket in order, without per-message events when they are off', async () => {
    const sender = await IceLink.gather({ controlling: true, bind: '127.0.0.1' })
    const receiver = await IceLink.gather({ controlling: false, bind: '127.0.0.1' })
    cleanup.push(() => sender.close(), () => receiver.close())
    await Promise.all([sender.connect(remoteOf(receiver), 10_000), receiver.connect(remoteOf(sender), 10_000)])
    const broker = await startEmbeddedBroker({ port: 0 })
    cleanup.push(() => broker.close())
    const stats = emptyPeerStats()
    const events: PeerEvent[] = []
    const bridge = new MessageBridge(broker, stats, (e) => events.push({ ...e, at: Date.now() } as PeerEvent), new FirmwareConsole(2, () => undefined), 'exact', false)
    bridge.attach(receiver)
    const sub = await mqttClient(broker.url)
    cleanup.push(() => sub.endAsync(true))
    const received = await collectMessages(sub, 'seq/#')
    const count = 300
    // Bursts of 50: a larger one from this very process could overrun the receive buffer.
    for (let i = 0; i < count; i++) {
      const datagram = wrap('seq/n', `payload number ${i}`)
      // Header and payload as two parts, as the bridge sends them; the receiver sees one datagram.
      sender.send(i % 2 === 0 ? datagram : [datagram.subarray(0, 12), datagram.subarray(12)])
      if (i % 50 === 49) await until(() => received.length > i, 5000, `message ${i}`)
    }
    expect(received.map((m) => m.payload.toString())).toEqual(Array.from({ length: count }, (_, i) => `payload number ${i}`))
    expect(stats.messagesFromPeer).toBe(count)
    expect(stats.drops.malformed ?? 0).toBe(0)
    expect(events.filter((e) => e.type === 'message')).toEqual([])
  })

  it('sends nothing, and does not throw, once the link is closed', async () => {
    const sender = await IceLink.gather({ controlling: true, bind: '127.0.0.1' })
    const receiver = await IceLink.gather({ controlling: false, bind: '127.0.0.1' })
    cleanup.push(() => sender.close(), () => receiver.close())
    await Promise.all([sender.connect(remoteOf(receiver), 10_000), receiver.connect(remoteOf(sender), 10_000)])
    const arrived: string[] = []
    receiver.onData((datagram) => arrived.push(new TextDecoder().decode(datagram.subarray(8))))
    sender.send(wrap('t/x', 'before close'))
    await until(() => arrived.length === 1, 5000, 'the first datagram')
    await sender.close()
    expect(() => sender.send(wrap('t/x', 'after close'))).not.toThrow()
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(arrived).toEqual(['before close'])
  })
})
