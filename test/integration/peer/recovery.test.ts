// When the other side goes away, consent expires (30 s in werift, as in libjuice), the peer goes
// back to signalling and pairs with the restarted side, in either restart order, while its
// local broker and the clients connected to it stay up.
import { afterEach, describe, expect, it } from 'vitest'
import type { MqttClient } from 'mqtt'
import type { PeerRole } from '../../../src/common/serverless/constants'
import type { LocalBroker } from '../../../src/main/peer/local-broker'
import { startPeer, type PeerHandle } from '../../../src/main/peer/peer'
import { collectMessages, EventLog, mqttClient, startSignallingBroker, uniquePrefix, until } from './helpers'

describe('recovery', () => {
  const cleanup: (() => Promise<unknown>)[] = []
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step().catch(() => undefined)
  })

  async function scenario(survivorRole: PeerRole) {
    const signalling: LocalBroker = await startSignallingBroker()
    cleanup.push(() => signalling.close())
    const prefix = uniquePrefix()
    const start = (role: PeerRole) => startPeer({ role, signalUrl: signalling.url, topicPrefix: prefix, bind: '127.0.0.1', broker: { kind: 'embedded', port: 0 }, retryDelayMs: 200 })
    const survivor: PeerHandle = await start(survivorRole)
    cleanup.push(() => survivor.close())
    const survivorLog = new EventLog(survivor)
    const otherRole: PeerRole = survivorRole === 1 ? 2 : 1
    const first = await start(otherRole)
    cleanup.push(() => first.close())
    await survivorLog.waitFor((e) => e.type === 'linked', 20_000, 'first link')

    const subscriber: MqttClient = await mqttClient(survivor.brokerUrl)
    cleanup.push(() => subscriber.endAsync(true))
    let subscriberClosed = false
    subscriber.on('close', () => (subscriberClosed = true))
    const received = await collectMessages(subscriber, 'after/#')

    await first.close()
    const restarted = await start(otherRole)
    cleanup.push(() => restarted.close())
    const mark = survivorLog.events.length
    await survivorLog.waitFor((e) => e.type === 'unlinked', 45_000, 'consent expiry', mark)
    await survivorLog.waitFor((e) => e.type === 'linked', 40_000, 'second link', mark)
    expect(survivor.stats().pairings).toBe(2)

    const publisher = await mqttClient(restarted.brokerUrl)
    cleanup.push(() => publisher.endAsync(true))
    await until(() => restarted.isLinked, 5000, 'restarted side linked')
    await publisher.publishAsync('after/restart', 'still bridged', { qos: 1 })
    await until(() => received.length >= 1, 5000, 'a message through the new link')
    expect(received[0]?.payload.toString()).toBe('still bridged')
    expect(subscriberClosed).toBe(false)
  }

  it('PEER2 stays up while PEER1 restarts', () => scenario(2), 100_000)
  it('PEER1 stays up while PEER2 restarts', () => scenario(1), 100_000)
})
