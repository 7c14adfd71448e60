// Two PairKit peers on loopback, paired through a local signalling broker and a local STUN
// server: messages cross both ways, exactly once, in the firmware's wrap. Once with the
// embedded brokers' fast paths, once with plain aedes (--plain-broker).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MqttClient } from 'mqtt'
import { PeerEventSchema } from '../../../src/common/serverless/peer-events'
import { parseCandidateLine } from '../../../src/common/serverless/ice-description'
import { type LocalBroker } from '../../../src/main/peer/local-broker'
import { startPeer, type PeerHandle } from '../../../src/main/peer/peer'
import { startStunServer, type StunServer } from '../../../src/main/peer/stun-server'
import { collectMessages, EventLog, mqttClient, startSignallingBroker, uniquePrefix, until } from './helpers'

/** The signalling broker takes any credentials; the password must never show. */
const SIGNAL_PASSWORD = 's3cret-signal-pw'

describe.each([
  { mode: 'fast paths', plain: false },
  { mode: 'plain aedes', plain: true },
])('two peers on loopback ($mode)', ({ plain }) => {
  let signalling: LocalBroker
  let stun: StunServer
  let peerA: PeerHandle
  let peerB: PeerHandle
  let logA: EventLog
  let logB: EventLog
  const firmwareLines: string[] = []
  const clients: MqttClient[] = []

  beforeAll(async () => {
    signalling = await startSignallingBroker()
    stun = await startStunServer()
    const prefix = uniquePrefix()
    const signalUrl = signalling.url.replace('mqtt://', `mqtt://technician:${SIGNAL_PASSWORD}@`)
    const common = { signalUrl, topicPrefix: prefix, bind: '127.0.0.1', stun: { host: stun.host, port: stun.port } }
    peerA = await startPeer({ ...common, role: 1, broker: { kind: 'embedded', port: 0, plain }, firmwareLog: (line) => firmwareLines.push(line) })
    peerB = await startPeer({ ...common, role: 2, broker: { kind: 'embedded', port: 0, plain } })
    logA = new EventLog(peerA)
    logB = new EventLog(peerB)
    await Promise.all([logA.waitFor((e) => e.type === 'linked', 20_000, 'A linked'), logB.waitFor((e) => e.type === 'linked', 20_000, 'B linked')])
  })

  afterAll(async () => {
    for (const client of clients) await client.endAsync(true)
    await peerA?.close()
    await peerB?.close()
    await stun?.close()
    await signalling?.close()
  })

  it('runs the firmware handshake and exchanges libjuice-form candidates, including srflx from STUN', () => {
    expect(logA.of('signalling').map((e) => e.step)).toEqual(expect.arrayContaining(['subscribed', 'sync-ping', 'sync-done', 'description-sent', 'description-received', 'finished']))
    expect(logB.of('signalling').map((e) => e.step)).toEqual(expect.arrayContaining(['subscribed', 'sync-ack', 'sync-done', 'description-sent', 'description-received']))
    const remoteOfB = logB.of('remote-candidate').map((e) => e.candidate)
    expect(remoteOfB).toEqual(logA.of('local-candidate').map((e) => e.candidate))
    for (const line of remoteOfB) expect(parseCandidateLine(line).ok).toBe(true)
    expect(remoteOfB.some((line) => / typ srflx raddr 0\.0\.0\.0 rport 0$/.test(line))).toBe(true)
    expect(stun.answered).toBeGreaterThanOrEqual(2)
    expect(logA.of('selected-pair')).toHaveLength(1)
    // PairKit against PairKit: PEER1 controlling, PEER2 controlled, and they end in opposite roles.
    expect(logA.of('ice-state').find((e) => e.state === 'checking')).toMatchObject({ controlling: true, reason: 'pairkit-peer1' })
    expect(logB.of('ice-state').find((e) => e.state === 'checking')).toMatchObject({ controlling: false, reason: 'pairkit-peer2' })
    const connectedA = logA.of('ice-state').find((e) => e.state === 'connected')
    const connectedB = logB.of('ice-state').find((e) => e.state === 'connected')
    expect(connectedA?.controlling).not.toBe(connectedB?.controlling)
    for (const event of [...logA.events, ...logB.events]) expect(PeerEventSchema.safeParse(event).success).toBe(true)
  })

  it('shows the signalling URL with its password masked, and the password nowhere', () => {
    expect(logA.of('signalling').find((e) => e.step === 'connecting')?.detail).toMatch(/^mqtt:\/\/technician:\*\*\*@127\.0\.0\.1:\d+$/)
    expect(JSON.stringify([...logA.events, ...logB.events, ...firmwareLines])).not.toContain(SIGNAL_PASSWORD)
  })

  it('emits the firmware console lines in ESP-IDF and libjuice form', () => {
    expect(firmwareLines).toContainEqual(expect.stringMatching(/^I \(\d+\) serverless_mqtt1: Waiting for the other peer\.\.\.$/))
    expect(firmwareLines).toContainEqual(expect.stringMatching(/^I \(\d+\) serverless_mqtt1: Sync done$/))
    expect(firmwareLines).toContainEqual(expect.stringMatching(/^I \(\d+\) serverless_mqtt1: desc: \{\n\t"desc":\t"a=ice-ufrag:/))
    expect(firmwareLines).toContainEqual(expect.stringMatching(/^cand0: cand->valuestring:a=candidate:/))
    expect(firmwareLines).toContain('DATA=1')
    expect(firmwareLines).toContainEqual(expect.stringMatching(/^I \(\d+\) serverless_mqtt1: Peer is connected!$/))
    expect(firmwareLines).toContainEqual(expect.stringMatching(/^\d\d:\d\d:\d\d INFO {4}agent\.c:1100: Changing state to connected$/))
  })

  it('carries messages both ways exactly once, without loops', async () => {
    const [pubA, subA, pubB, subB] = await Promise.all([
      mqttClient(peerA.brokerUrl), mqttClient(peerA.brokerUrl), mqttClient(peerB.brokerUrl), mqttClient(peerB.brokerUrl),
    ])
    clients.push(pubA, subA, pubB, subB)
    const atA = await collectMessages(subA, 'site/#')
    const atB = await collectMessages(subB, 'site/#')
    for (let i = 0; i < 20; i++) {
      await pubA.publishAsync('site/from-a', `message number ${i} from A`, { qos: 1 })
      await pubB.publishAsync('site/from-b', `message number ${i} from B`, { qos: 0 })
    }
    await until(() => atA.length >= 40 && atB.length >= 40, 5000, 'messages on both sides')
    await new Promise((resolve) => setTimeout(resolve, 300)) // time for any echo to show up
    const summary = (list: { topic: string; payload: Buffer }[]) => list.map((m) => `${m.topic}|${m.payload.toString()}`).sort()
    const expected = [...Array.from({ length: 20 }, (_, i) => `site/from-a|message number ${i} from A`), ...Array.from({ length: 20 }, (_, i) => `site/from-b|message number ${i} from B`)].sort()
    expect(summary(atA)).toEqual(expected)
    expect(summary(atB)).toEqual(expected)
    expect(peerA.stats().messagesToPeer).toBe(20)
    expect(peerA.stats().messagesFromPeer).toBe(20)
    expect(peerB.stats().messagesToPeer).toBe(20)
  })

  it('never forwards the republishing client id local_mqtt, and counts stock-firmware drops', async () => {
    const before = peerA.stats()
    const localMqtt = await mqttClient(peerA.brokerUrl, 'local_mqtt')
    const pub = await mqttClient(peerA.brokerUrl)
    const sub = await mqttClient(peerB.brokerUrl)
    clients.push(localMqtt, pub, sub)
    const atB = await collectMessages(sub, 'q/#')
    await localMqtt.publishAsync('q/hidden', 'never crosses the link', { qos: 1 })
    await pub.publishAsync('q/short', 'ON', { qos: 1 }) // payload shorter than topic + NUL
    await pub.publishAsync('q/empty', '', { qos: 1 })
    await until(() => atB.length >= 2, 5000, 'short and empty messages at B')
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(atB.map((m) => `${m.topic}|${m.payload.toString()}`).sort()).toEqual(['q/empty|', 'q/short|ON'])
    const after = peerA.stats()
    expect(after.messagesToPeer - before.messagesToPeer).toBe(2)
    expect(after.stockFirmwareWillDrop - before.stockFirmwareWillDrop).toBe(2)
    expect(logA.of('message').filter((e) => e.topic === 'q/short')[0]?.stockFirmwareWillDrop).toBe(true)
  })

  it('refuses messages over 4096 bytes wrapped and warns above 1200', async () => {
    const pub = await mqttClient(peerA.brokerUrl)
    const sub = await mqttClient(peerB.brokerUrl)
    clients.push(pub, sub)
    const atB = await collectMessages(sub, 'big/#')
    await pub.publishAsync('big/ok', Buffer.alloc(2000, 0x41), { qos: 1 })
    await pub.publishAsync('big/refused', Buffer.alloc(4093, 0x42), { qos: 1 })
    await until(() => atB.length >= 1, 5000, 'the 2000-byte message')
    await logA.waitFor((e) => e.type === 'drop' && e.reason === 'too-long', 2000, 'too-long drop')
    expect(atB.map((m) => m.topic)).toEqual(['big/ok'])
    expect(atB[0]?.payload.length).toBe(2000)
    expect(peerA.stats().drops['too-long']).toBe(1)
    expect(logA.of('warning').some((e) => e.code === 'datagram-large')).toBe(true)
  })
})
