// The paths a busy bridge takes: bursts of datagrams on the selected pair's own socket, in
// one or two parts, in order; no per-message events when they are off; no send after close.
import { afterAll, describe, expect, it } from 'vitest'
import { encodeWrap } from '../../../src/common/serverless/datagram-wrap'
import { classifySignal, encodeDescription } from '../../../src/common/serverless/signal-message'
import { emptyPeerStats, type PeerEvent } from '../../../src/common/serverless/peer-events'
import { FirmwareConsole } from '../../../src/main/peer/firmware-console'
import { IceLink } from '../../../src/main/peer/ice-link'
import { startEmbeddedBroker } from '../../../src/main/peer/local-broker'
import { MessageBridge } from '../../../src/main/peer/message-bridge'
import { collectMessages, mqttClient, until } from './helpers'

function remoteOf(link: IceLink) {
  const { json } = encodeDescription(link.description, link.localCandidateLines, 't')
  const message = classifySignal(new TextEncoder().encode(json), 't')
  if (message.kind !== 'description') throw new Error('own description did not parse')
  return message.remote
}

const wrap = (topic: string, payload: string) => (encodeWrap(topic, new TextEncoder().encode(payload)) as { ok: true; bytes: Uint8Array }).bytes

describe('a busy bridge', () => {
  const cleanup: (() => Promise<unknown>)[] = []
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined)
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
