// The signalling watch, through the contract: PairKit watches a pair's sync topics on its
// signalling broker (an in-process aedes) while two PairKit peers pair through it. It sees both
// sides' handshake steps and descriptions, decoded, and publishes nothing (the broker saw no
// PUBLISH from its client id); the broker's password is never shown.
import { afterAll, describe, expect, it } from 'vitest'
import type { SignallingMessage, SignallingWatch } from '../../../src/common/contract'
import { RpcClient } from '../../../src/common/rpc/client'
import { createProtocolPair } from '../../../src/common/rpc/memory-protocol'
import { RpcServer } from '../../../src/common/rpc/server'
import { Backend } from '../../../src/main/backend'
import { startEmbeddedBroker, type LocalBroker } from '../../../src/main/peer/local-broker'
import { startPeer, type PeerHandle } from '../../../src/main/peer/peer'
import { WATCH_CLIENT_PREFIX } from '../../../src/main/signalling-watch/signalling-watch'
import { EventLog, until } from '../peer/helpers'

const PASSWORD = 'sig-secret-77'
const closers: Array<() => Promise<void> | void> = []
afterAll(async () => {
  for (const close of closers.reverse()) await close()
})

describe('signalling watch', () => {
  it('shows both handshakes and both descriptions as two peers pair, and never publishes', async () => {
    // Plain aedes: every PUBLISH a client sends reaches onPublish with its client id.
    const broker: LocalBroker = await startEmbeddedBroker({ port: 0, host: '127.0.0.1', plain: true })
    closers.push(() => broker.close())
    const publishers: string[] = []
    broker.onPublish((message) => publishers.push(message.clientId ?? '?'))

    const backend = new Backend({ host: 'browser', extraPortPatterns: [] })
    const [clientSide, serverSide] = createProtocolPair()
    const server = new RpcServer(serverSide, backend.handlers, backend.onEvent, 10)
    const client = new RpcClient(clientSide)
    closers.push(() => (client.dispose(), server.dispose(), backend.dispose()))
    const messages: SignallingMessage[] = []
    const statuses: SignallingWatch[] = []
    client.on('signalling.message', (message) => messages.push(message))
    client.on('signalling.status', (status) => statuses.push(status))

    const signallingUri = broker.url.replace('mqtt://', `mqtt://technician:${PASSWORD}@`)
    const shared = { signallingUri, syncTopic: '/test/watch_' }
    const pair = await client.request('config.pair', {
      siteA: { ...shared, staSsid: 'Office', staPassword: 'wifi-pass-a1', apSsid: 'Sensors A', apPassword: 'ap-pass-a1' },
      siteB: { ...shared, staSsid: 'Barn', staPassword: 'wifi-pass-b2', apSsid: 'Sensors B', apPassword: 'ap-pass-b2' },
    })
    const watch = await client.request('signalling.watch', { pairId: pair.pairId })
    expect(watch).toMatchObject({ pairId: pair.pairId, broker: broker.url.replace('mqtt://', 'mqtt://technician:***@'), topics: [`${pair.a.syncTopic}1`, `${pair.a.syncTopic}2`] })
    await until(() => statuses.some((status) => status.state === 'watching'), 10_000, 'the watch subscribed')
    expect(await client.request('signalling.watch', { pairId: pair.pairId })).toMatchObject({ state: 'watching' })

    const common = { signalUrl: signallingUri, topicPrefix: pair.a.syncTopic, bind: '127.0.0.1', retryDelayMs: 60_000 }
    const peers: PeerHandle[] = [await startPeer({ ...common, role: 1, broker: { kind: 'embedded', port: 0 } }), await startPeer({ ...common, role: 2, broker: { kind: 'embedded', port: 0 } })]
    closers.push(async () => {
      for (const peer of peers) await peer.close()
    })
    const logs = peers.map((peer) => new EventLog(peer))
    await Promise.all(logs.map((log, index) => log.waitFor((event) => event.type === 'signalling' && event.step === 'description-received', 20_000, `peer ${index + 1} got a description`)))
    await until(() => messages.filter((message) => message.message.kind === 'description').length === 2, 5000, 'both descriptions watched')

    const steps = messages.filter((message) => message.message.kind === 'handshake').map((message) => `${message.from}:${(message.message as { step: string }).step}`)
    expect(steps).toContain('1:0')
    expect(steps).toContain('2:1')
    expect(steps).toContain('1:2')
    expect(steps.indexOf('2:1')).toBeGreaterThan(steps.indexOf('1:0'))
    expect(steps.indexOf('1:2')).toBeGreaterThan(steps.indexOf('2:1'))
    for (const role of [1, 2] as const) {
      const description = messages.find((message) => message.from === role && message.message.kind === 'description')
      expect(description).toMatchObject({ pairId: pair.pairId, topic: `${pair.a.syncTopic}${role}`, retained: false })
      const sent = logs[role - 1]?.of('local-candidate').map((event) => event.candidate)
      const shown = description?.message.kind === 'description' ? description.message : undefined
      expect(shown?.candidates.map((candidate) => candidate.line)).toEqual(sent)
      expect(shown?.ufrag).toMatch(/^[A-Za-z0-9+/]{4,}$/)
      expect(shown?.rejected).toEqual([])
    }

    // Read-only: every PUBLISH the broker saw came from the peers, none from the watch.
    const [watchId] = backend.signallingWatch.clientIds()
    expect(watchId?.startsWith(WATCH_CLIENT_PREFIX)).toBe(true)
    expect(publishers.length).toBeGreaterThanOrEqual(5)
    expect(publishers.filter((id) => id.startsWith(WATCH_CLIENT_PREFIX))).toEqual([])
    expect(JSON.stringify([messages, statuses, await client.request('signalling.watches', {})])).not.toContain(PASSWORD)

    await client.request('signalling.unwatch', { pairId: pair.pairId })
    await until(() => statuses.at(-1)?.state === 'stopped', 5000, 'the watch stopped')
    expect(await client.request('signalling.watches', {})).toEqual([])
  })

  it('says why a pair cannot be watched', async () => {
    const backend = new Backend({ host: 'browser', extraPortPatterns: [] })
    closers.push(() => backend.dispose())
    await expect(Promise.resolve().then(() => backend.handlers['signalling.watch']({ pairId: 'abcdef0123456789' }))).rejects.toThrow('no pair abcdef0123456789 in this PairKit')
  })
})
