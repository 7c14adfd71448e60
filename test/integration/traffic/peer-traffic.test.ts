// PairKit's own peer standing in for site A: its events join the MQTT observations of a crossing
// and say why a message did not cross (over the 4096-byte wrap); the signalling broker's sync
// topics show as local rows of the site whose role published them; the bridge test runs as a
// job through the contract; a source that cannot connect says what to check.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BridgeTestJob, TrafficBatch } from '../../../src/common/contract'
import { BridgeTestResultSchema } from '../../../src/common/traffic/bridge-test-result'
import { RpcClient } from '../../../src/common/rpc/client'
import { createProtocolPair } from '../../../src/common/rpc/memory-protocol'
import { RpcServer } from '../../../src/common/rpc/server'
import type { TrafficRow, TrafficSourceStatus } from '../../../src/common/traffic/model'
import { Backend } from '../../../src/main/backend'
import { startEmbeddedBroker, type LocalBroker } from '../../../src/main/peer/local-broker'
import { startPeer, type PeerHandle } from '../../../src/main/peer/peer'
import { startStunServer, type StunServer } from '../../../src/main/peer/stun-server'
import { brokerFailure } from '../../../src/main/traffic/broker-connection'
import { MqttSiteSource } from '../../../src/main/traffic/mqtt-site-source'
import { PeerTrafficSource } from '../../../src/main/traffic/peer-source'
import { SignallingSource } from '../../../src/main/traffic/signalling-source'
import { TrafficService } from '../../../src/main/traffic/traffic-service'
import { freePort } from '../../support/free-port'

let signalling: LocalBroker
let stun: StunServer
const peers: PeerHandle[] = []
const service = new TrafficService()
const batches: TrafficBatch[] = []
const statuses: TrafficSourceStatus[] = []
service.onBatch((batch) => batches.push(batch))
service.onSource(({ source }) => statuses.push(source))
const prefix = `/test/traffic_${Math.random().toString(36).slice(2, 8)}_`

function rows(sessionId: string): TrafficRow[] {
  return service.read({ sessionId, from: 0, limit: 1000 }).rows
}

async function until(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

beforeAll(async () => {
  signalling = await startEmbeddedBroker({ port: 0, host: '127.0.0.1' })
  stun = await startStunServer()
  // Watch the sync topics from before the peers start, to see their handshake.
  await service.startWith({ sessionId: 'signalling', sources: [new SignallingSource(signalling.url, prefix)] })
  await until('the signalling source', () => statuses.some((status) => status.id === 'signalling' && status.state === 'connected'))
  const common = { signalUrl: signalling.url, topicPrefix: prefix, bind: '127.0.0.1', stun: { host: stun.host, port: stun.port } }
  for (const role of [1, 2] as const) peers.push(await startPeer({ ...common, role, broker: { kind: 'embedded', port: 0 } }))
  await until('the peers to link', () => peers.every((peer) => peer.isLinked))
})

afterAll(async () => {
  await service.dispose()
  for (const peer of peers) await peer.close()
  await stun?.close()
  await signalling?.close()
})

describe('traffic with PairKit\'s peer as site A', () => {
  it('shows the handshake on the signalling broker as local rows of the site that sent them', () => {
    const sync = rows('signalling')
    expect(sync.length).toBeGreaterThanOrEqual(4)
    expect(sync.every((row) => row.source === 'signalling' && row.direction === 'local' && row.fate === 'local')).toBe(true)
    const described = sync.map((row) => [row.site, row.topic === `${prefix}1` ? 'A' : 'B', row.detail])
    for (const [site, bySuffix] of described) expect(site).toBe(bySuffix)
    expect(sync.find((row) => row.site === 'A')?.detail).toBe('Signalling: PEER1 (site A) calls the other peer ("0").')
    expect(sync.some((row) => row.site === 'B' && row.detail === 'Signalling: PEER2 (site B) answers ("1").')).toBe(true)
    expect(sync.some((row) => row.detail?.endsWith('sends its ICE description and candidates.'))).toBe(true)
  })

  it('joins the peer\'s message events to the crossing, and names the 4096-byte limit for a message too long to send', async () => {
    const [peerA, peerB] = peers as [PeerHandle, PeerHandle]
    const session = await service.startWith({
      sessionId: 'peer',
      windowMs: 800,
      sources: [new MqttSiteSource('A', peerA.brokerUrl), new PeerTrafficSource('A', peerA.events), new MqttSiteSource('B', peerB.brokerUrl)],
    })
    await until('both brokers', () => ['A/mqtt', 'B/mqtt'].every((id) => service.session(session.sessionId).sourceStatuses().find((status) => status.id === id)?.state === 'connected'))
    await service.publish({ sessionId: 'peer', site: 'A', topic: 'laptop/status', payload: 'the laptop stands in for site A' })
    await service.publish({ sessionId: 'peer', site: 'A', topic: 'laptop/huge', payload: 'x'.repeat(5000) })
    await service.publish({ sessionId: 'peer', site: 'B', topic: 'field/reply', payload: 'the field device answers the laptop' })
    await until('the window to settle', () => {
      const counters = service.session('peer').store.counterSnapshot()
      return counters.aToB.crossed === 1 && counters.aToB.lost === 1 && counters.bToA.crossed === 1 && counters.aToB.pending + counters.bToA.pending === 0
    })
    const all = rows('peer')
    expect(all.filter((row) => row.topic === 'laptop/status').map((row) => [row.site, row.source, row.direction, row.fate]).sort()).toEqual([
      ['A', 'mqtt', 'a-to-b', 'crossed'],
      ['A', 'peer', 'a-to-b', 'crossed'],
      ['B', 'mqtt', 'a-to-b', 'crossed'],
    ])
    expect(all.find((row) => row.source === 'peer' && row.topic === 'laptop/status')?.size).toBe('the laptop stands in for site A'.length)
    expect(all.filter((row) => row.topic === 'field/reply').map((row) => [row.site, row.source, row.direction]).sort()).toEqual([
      ['A', 'mqtt', 'b-to-a'],
      ['A', 'peer', 'b-to-a'],
      ['B', 'mqtt', 'b-to-a'],
    ])
    const huge = all.find((row) => row.topic === 'laptop/huge')
    expect(huge).toMatchObject({ site: 'A', fate: 'lost', direction: 'a-to-b', lostReason: 'too-long', size: 5000 })
    expect(huge?.detail).toMatch(/over the firmware's 4096-byte limit/)
    expect(batches.filter((batch) => batch.sessionId === 'peer').at(-1)?.counters.lostReasons['too-long']).toBe(1)
  })
})

describe('traffic sources that cannot connect', () => {
  it('say what failed and what to check, with passwords masked', async () => {
    const port = await freePort()
    await service.startWith({ sessionId: 'nowhere', sources: [new MqttSiteSource('B', `mqtt://tech:pw-never-shown@127.0.0.1:${port}`)] })
    await until('the error', () => statuses.some((status) => status.id === 'B/mqtt' && status.state === 'error'))
    const status = statuses.filter((candidate) => candidate.id === 'B/mqtt').at(-1)
    expect(status).toMatchObject({
      site: 'B',
      label: `mqtt://tech:***@127.0.0.1:${port}`,
      message: `Nothing answers at 127.0.0.1:${port} (site B's broker): the connection was refused`,
      hint: 'Check the port; is the broker running, and is this computer on its network?',
    })
    expect(JSON.stringify(statuses)).not.toContain('pw-never-shown')
    await service.stop('nowhere')
  })

  it('ask whether the laptop is on the site\'s IoT Wi-Fi when the ESP\'s soft-AP broker does not answer', () => {
    // Only the wording: no connection leaves this computer.
    const failure = brokerFailure('mqtt://192.168.4.1:1883', "site A's broker", Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' }))
    expect(failure.message).toBe("Nothing answers at 192.168.4.1:1883 (site A's broker)")
    expect(failure.hint).toBe('Check the address; is this computer on the IoT Wi-Fi of site A?')
  })

  it('refuse a session with nothing to watch, and a console without a serial monitor', async () => {
    await expect(service.start({ a: {}, b: {} })).rejects.toThrow(/No source to watch/)
    const session = await service.start({ a: { deviceId: '/dev/ttyUSB7' }, b: {} })
    expect(session.sources).toEqual([expect.objectContaining({ id: 'A/console', state: 'error', message: 'PairKit cannot read the console of /dev/ttyUSB7 here', hint: 'Watch this site through its broker instead.' })])
    await service.stop(session.sessionId)
  })
})

describe('the bridge test as a job through the contract', () => {
  it('reports progress and ends with the same result the CLI prints', async () => {
    const backend = new Backend({ host: 'browser', extraPortPatterns: [] })
    const [clientSide, serverSide] = createProtocolPair()
    const server = new RpcServer(serverSide, backend.handlers, backend.onEvent, 10)
    const client = new RpcClient(clientSide)
    try {
      const events: BridgeTestJob[] = []
      client.on('bridgeTest.job', (job) => events.push(job))
      const { jobId } = await client.request('bridgeTest.start', { a: peers[0]?.brokerUrl as string, b: peers[1]?.brokerUrl as string, count: 10, throughput: false })
      await until('the test to end', () => events.some((job) => job.jobId === jobId && job.state !== 'running'), 30_000)
      const end = events.find((job) => job.jobId === jobId && job.state !== 'running') as BridgeTestJob
      expect(end.state).toBe('done')
      expect(BridgeTestResultSchema.parse(end.result)).toMatchObject({ pass: true, aToB: { sent: 10, received: 10 }, qos1Carried: false })
      const steps = events.filter((job) => job.state === 'running').map((job) => job.step)
      expect(new Set(steps)).toEqual(new Set([undefined, 'connecting', 'clock', 'latency', 'qos-retain', 'max-payload', 'short-payload']))
      expect((await client.request('bridgeTest.jobs', {})).map((job) => [job.jobId, job.state])).toEqual([[jobId, 'done']])

      const second = await client.request('bridgeTest.start', { a: peers[0]?.brokerUrl as string, b: peers[1]?.brokerUrl as string, count: 200, intervalMs: 50 })
      await until('the second test to send probes', () => events.some((job) => job.jobId === second.jobId && job.step === 'latency'))
      await client.request('bridgeTest.cancel', { jobId: second.jobId })
      await until('the cancel', () => events.some((job) => job.jobId === second.jobId && job.state === 'cancelled'), 5000)
    } finally {
      client.dispose()
      server.dispose()
      backend.dispose()
    }
  }, 60_000)
})
