// Live diagnostics in the backend, with real twins running the bridge firmware on loopback (an
// aedes signalling broker, PairKit's STUN server): two twins configured as a pair connect while
// their consoles are monitored, and ice.pair shows both devices' candidates, the pairs and the
// selected one from both logs; the model is the one the whole spooled console gives, so no event
// was missed; ice.changed comes at most every 250 ms. A twin whose STUN server does not answer gets
// the no-srflx finding; PairKit's own peer stands in for one side and shows up like a device.
import { createSocket } from 'node:dgram'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { configToNvsImage, defaultConfig, type DeviceConfig } from '../../../src/common/config'
import type { FlashJob, IceChanged, PairIce, RequestParams, RequestResult } from '../../../src/common/contract'
import { buildIceModel } from '../../../src/common/ice'
import { parseLog, type LogEvent } from '../../../src/common/logs'
import { RpcClient } from '../../../src/common/rpc/client'
import { createProtocolPair } from '../../../src/common/rpc/memory-protocol'
import { RpcServer } from '../../../src/common/rpc/server'
import { Backend } from '../../../src/main/backend'
import { startEmbeddedBroker, type LocalBroker } from '../../../src/main/peer/local-broker'
import { startPeer } from '../../../src/main/peer/peer'
import { startStunServer, type StunServer } from '../../../src/main/peer/stun-server'
import { makeTempDir } from '../../support/temp-dir'
import { readSpool, recordingTwin, until } from '../monitor/helpers'
import { BOOTLOADER, NVS_OFFSET, renamedApp, TABLE } from '../twin/support/flash-images'

let signalling: LocalBroker
let stun: StunServer
const changes: { at: number; change: IceChanged }[] = []
const jobs = new Map<string, FlashJob>()
const cleanups: (() => Promise<unknown>)[] = []

/** One backend and one client (as a window over IPC) for the whole file: the tests build on each other's devices. */
const backend = new Backend({ host: 'browser', extraPortPatterns: [], dataDir: makeTempDir('pairkit-diagnostics-') })
const [clientSide, serverSide] = createProtocolPair()
const server = new RpcServer(serverSide, backend.handlers, backend.onEvent, 10)
const client = new RpcClient(clientSide)
const session = {
  backend,
  request: <K extends Parameters<RpcClient['request']>[0]>(method: K, params: RequestParams<K>): Promise<RequestResult<K>> => client.request(method, params),
}
// Timed where the service fires them: what reaches a client is further delayed by the transport's batching.
backend.diagnostics.onDidChange((change) => changes.push({ at: performance.now(), change }))
const clientChanges: IceChanged[] = []
client.on('ice.changed', (change) => clientChanges.push(change))
client.on('flash.job', (job) => job.type !== 'warning' && jobs.set(job.jobId, job))

beforeAll(async () => {
  signalling = await startEmbeddedBroker({ port: 0, host: '127.0.0.1' })
  stun = await startStunServer({ host: '127.0.0.1' })
})

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup()
  client.dispose()
  server.dispose()
  backend.dispose()
  await stun?.close()
  await signalling?.close()
})

function finished(jobId: string): Promise<FlashJob> {
  return until(`job ${jobId}`, () => {
    const job = jobs.get(jobId)
    return job && ['done', 'failed', 'cancelled'].includes(job.type) ? job : undefined
  }, 60_000)
}

function bridgeConfig(pairId: string, role: 1 | 2, stunPort: number): DeviceConfig {
  return {
    ...defaultConfig(),
    role,
    pairId,
    signallingUri: signalling.url,
    syncTopic: `/test/diag_${pairId}_`,
    stunHost: '127.0.0.1',
    stunPort,
    staSsid: 'workshop',
    staPassword: 'diag-secret-sta',
    apSsid: 'iot-bench',
    apPassword: 'diag-secret-ap',
  }
}

/** A twin whose flash holds the bridge firmware with `config` in its nvs partition, probed so PairKit knows its pair and role. */
async function probedBridge(config: DeviceConfig): Promise<string> {
  const { twin } = await recordingTwin({ wireTiming: false })
  const flash = twin.device.flash
  flash.program(0x1000, BOOTLOADER)
  flash.program(0x8000, TABLE)
  flash.program(NVS_OFFSET, configToNvsImage(config))
  flash.program(0x10000, renamedApp('serverless_mqtt'))
  const { jobId } = await session.request('devices.probe', { deviceId: twin.url })
  expect((await finished(jobId)).type).toBe('done')
  return twin.url
}

async function closedUdpPort(): Promise<number> {
  const socket = createSocket('udp4')
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve))
  const { port } = socket.address()
  await new Promise<void>((resolve) => socket.close(() => resolve()))
  return port
}

/** Every event of a session's spooled console, cut at its markers as the live session was. */
function spooledEvents(spoolDir: string): LogEvent[] {
  const { raw, record } = readSpool(spoolDir)
  const events: LogEvent[] = []
  let start = 0
  for (const end of [...record.markers.map((marker) => marker.offset), raw.length]) {
    events.push(...parseLog(raw.subarray(start, end)))
    start = end
  }
  return events
}

describe('live diagnostics of a pair of twins', () => {
  const pairId = 'd1a9c0ffee000001'
  let a: string
  let b: string
  let pair: PairIce

  beforeAll(async () => {
    ;[a, b] = await Promise.all([probedBridge(bridgeConfig(pairId, 1, stun.port)), probedBridge(bridgeConfig(pairId, 2, stun.port))])
  }, 60_000)

  it('knows the pair from the probes: role 1 is site A, role 2 site B', async () => {
    const empty = await session.request('ice.pair', { pairId })
    expect(empty.a.deviceId).toBe(a)
    expect(empty.b.deviceId).toBe(b)
    expect(empty.a.source).toBeUndefined()
    expect(empty.view.pairs).toEqual([])
  })

  it('shows both devices connected, each one\'s candidates received by the other, and the pairs formed from them', async () => {
    await Promise.all([a, b].map((deviceId) => session.request('monitor.open', { deviceId, reset: true })))
    pair = await until('both twins connected in ice.pair', async () => {
      const found = await session.request('ice.pair', { pairId })
      const { a: sideA, b: sideB } = found.view
      return sideA.session?.connected && sideB.session?.connected && sideA.session.remote.length > 0 && sideB.session.remote.length > 0 ? found : undefined
    }, 45_000)
    const { view } = pair
    expect(pair.a.source?.kind).toBe('monitor')
    expect(view.sameRound).toBe(true)
    expect(view.a.session?.variant).toBe('libjuice')
    for (const sideView of [view.a, view.b]) {
      expect(['connected', 'completed']).toContain(sideView.session?.state)
      expect(sideView.session?.local.map((candidate) => candidate.type).sort()).toEqual(['host', 'srflx'])
      expect(sideView.session?.stun.mapped?.address).toBe('127.0.0.1')
    }
    expect(view.aToB.length).toBeGreaterThan(0)
    expect(view.aToB.every((delivery) => delivery.received)).toBe(true)
    expect(view.bToA.every((delivery) => delivery.received)).toBe(true)
    // libjuice logs no pairs: they are formed by RFC 8445 from the tables, priorities included.
    expect(view.pairs.every((candidatePair) => candidatePair.origin === 'formed' && candidatePair.priority !== null)).toBe(true)
    // libjuice does not log the pair it selected (not at INFO): the model leaves it open.
    expect(view.pairs.filter((candidatePair) => candidatePair.selected)).toEqual([])
    expect(pair.a.timeline.map((entry) => entry.state)).toEqual(expect.arrayContaining(['gathering', 'connecting', 'connected']))
    expect(pair.findings.filter((finding) => finding.severity === 'error')).toEqual([])
  })

  it('folds in every event of the console: the model equals the one the spooled bytes give', async () => {
    const sessions = await session.request('monitor.sessions', {})
    for (const deviceId of [a, b]) {
      const live = await session.request('ice.device', { deviceId })
      const info = sessions.find((item) => item.sessionId === live.source?.sessionId)
      expect(info?.deviceId).toBe(deviceId)
      await session.request('monitor.close', { sessionId: info?.sessionId as string })
      const closed = await session.request('ice.device', { deviceId })
      const fromSpool = buildIceModel(spooledEvents(info?.spoolDir as string))
      expect(closed.model.sessions).toEqual(fromSpool.sessions.slice(-closed.model.sessions.length))
      expect(closed.model.timeline.map(({ state, session: index }) => ({ state, index }))).toEqual(fromSpool.timeline.map(({ state, session: index }) => ({ state, index })))
      expect(closed.source?.events).toBe(spooledEvents(info?.spoolDir as string).length)
    }
  })

  it('says what changed at most every 250 ms per device and per pair, not once per event', async () => {
    const byKey = new Map<string, number[]>()
    for (const { at, change } of changes) {
      const key = change.kind === 'device' ? `device ${change.deviceId}` : `pair ${change.pairId}`
      byKey.set(key, [...(byKey.get(key) ?? []), at])
    }
    expect(byKey.get(`pair ${pairId}`)?.length).toBeGreaterThanOrEqual(2)
    const events = (await session.request('ice.device', { deviceId: a })).source?.events ?? 0
    expect(byKey.get(`device ${a}`)?.length).toBeGreaterThanOrEqual(2)
    expect(byKey.get(`device ${a}`)?.length).toBeLessThan(events / 5)
    for (const [key, times] of byKey) {
      const gaps = times.slice(1).map((at, index) => at - (times[index] as number))
      // A timer may fire a millisecond early; 245 ms leaves room for that and none for a second push.
      expect(Math.min(...gaps), key).toBeGreaterThanOrEqual(245)
    }
    // And each reaches the page as ice.changed.
    await until('every change at the page', () => clientChanges.length >= changes.length)
    expect(clientChanges).toEqual(changes.map(({ change }) => change))
  })
})

describe('live diagnosis of a twin whose STUN server does not answer', () => {
  it('finds no server-reflexive candidate and says STUN is unreachable, with what to do', async () => {
    const port = await closedUdpPort()
    const device = await probedBridge(bridgeConfig('d1a9c0ffee000002', 1, port))
    await session.request('monitor.open', { deviceId: device, reset: true })
    const finding = await until('the no-srflx finding', async () => (await session.request('diagnosis.list', { deviceId: device })).find((item) => item.id === 'no-srflx'), 40_000)
    expect(finding.title).toBe('No server-reflexive candidate: the STUN server 127.0.0.1 did not answer')
    expect(finding.action).toMatch(/^Check that the network lets UDP out to the STUN server/)
    expect(finding.device).toBe(device)
    expect(finding.evidence.map((item) => item.kind)).toContain('stun')
    const model = await session.request('ice.device', { deviceId: device })
    expect(model.model.sessions.at(-1)?.local.map((candidate) => candidate.type)).toEqual(['host'])
  })
})

describe("PairKit's own peer standing in for one side", () => {
  it('shows up in the pair view like a device, fed by its event stream', async () => {
    const pairId = 'd1a9c0ffee000003'
    const config = bridgeConfig(pairId, 1, stun.port)
    const device = await probedBridge(config)
    const peer = await startPeer({ role: 2, signalUrl: signalling.url, topicPrefix: config.syncTopic, bind: '127.0.0.1', stun: { host: '127.0.0.1', port: stun.port }, broker: { kind: 'embedded', port: 0 } })
    const subscription = session.backend.diagnostics.addPeer('laptop', peer.events, { pairId, role: 2 })
    cleanups.push(async () => {
      subscription.dispose()
      await peer.close()
    })
    await session.request('monitor.open', { deviceId: device, reset: true })
    const found = await until('the twin and the peer connected', async () => {
      const view = await session.request('ice.pair', { pairId })
      return view.view.a.session?.connected && view.view.b.session?.connected && view.view.b.session.selected ? view : undefined
    }, 45_000)
    expect(found.b.deviceId).toBe('laptop')
    expect(found.b.source?.kind).toBe('peer')
    expect(found.view.b.session?.variant).toBe('pairkit')
    expect(found.view.a.session?.variant).toBe('libjuice')
    expect(found.view.bToA.length).toBeGreaterThan(0)
    expect(found.view.bToA.every((delivery) => delivery.received)).toBe(true)
    // The peer logs the pair it selected: from A's side that is a pair whose remote is the peer's local address.
    expect(found.view.pairs.filter((candidatePair) => candidatePair.selectedBy.includes('b'))).toHaveLength(1)
  })
})
