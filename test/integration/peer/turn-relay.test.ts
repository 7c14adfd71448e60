// Two peers paired through a TURN relay (Debian's coturn on loopback): each gathers a relay
// candidate with the configured credentials, and when the only candidate the other side learns
// is the relay (as behind a NAT that drops everything unsolicited), the link is made through it
// and messages cross both ways. The TURN password never appears in an event.
import type { ChildProcess } from 'node:child_process'
import { createSocket } from 'node:dgram'
import { createServer, type Server } from 'node:net'
import path from 'node:path'
import { Aedes } from 'aedes'
import type { MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startPeer, type PeerHandle } from '../../../src/main/peer/peer'
import { freePort } from '../../support/free-port'
import { spawnTracked, stopProcess } from '../../support/processes'
import { makeTempDir } from '../../support/temp-dir'
import { collectMessages, EventLog, mqttClient, uniquePrefix, until } from './helpers'

const TURN_USER = 'pairkit'
const TURN_PASSWORD = 'relay-secret-7f3a'
const WRONG_PASSWORD = 'not-the-secret-91c2'

/** coturn, long-term credentials, relaying between loopback addresses only. */
async function startCoturn(port: number, dir: string): Promise<ChildProcess> {
  // A small relay port range that depends on the listening port, so parallel runs rarely share one.
  const minPort = 42000 + (port % 100) * 20
  const child = spawnTracked(
    'turnserver',
    [
      '-n', '--listening-ip=127.0.0.1', '--relay-ip=127.0.0.1', `--listening-port=${port}`, `--min-port=${minPort}`, `--max-port=${minPort + 19}`,
      '--lt-cred-mech', `--user=${TURN_USER}:${TURN_PASSWORD}`, '--realm=pairkit.test', '--allow-loopback-peers',
      '--no-tls', '--no-dtls', '--no-cli', '--no-tcp-relay', `--db=${path.join(dir, 'turndb')}`, `--pidfile=${path.join(dir, 'turn.pid')}`, '--log-file=stdout', '--simple-log',
    ],
    { stdio: ['ignore', 'ignore', 'ignore'] },
  )
  try {
    await answersStun(port, 10_000)
  } catch (error) {
    await stopProcess(child)
    throw error
  }
  return child
}

/** Resolves once a STUN Binding request to 127.0.0.1:port gets any answer. */
async function answersStun(port: number, timeoutMs: number): Promise<void> {
  const socket = createSocket('udp4')
  try {
    const answered = new Promise<void>((resolve) => socket.once('message', () => resolve()))
    const request = Buffer.alloc(20)
    request.writeUInt16BE(0x0001, 0) // Binding request, no attributes
    request.writeUInt32BE(0x2112a442, 4)
    for (let i = 8; i < 20; i++) request[i] = Math.floor(Math.random() * 256)
    const deadline = Date.now() + timeoutMs
    for (;;) {
      socket.send(request, port, '127.0.0.1')
      const result = await Promise.race([answered.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 200))])
      if (result) return
      if (Date.now() > deadline) throw new Error(`coturn did not answer on 127.0.0.1:${port} within ${timeoutMs} ms`)
    }
  } finally {
    socket.close()
  }
}

/**
 * A signalling broker that passes on only the relay candidates of each description, so each
 * peer knows the other by its relay address alone: a host pair cannot be formed, and the link
 * can only work if TURN does.
 */
async function startRelayOnlySignalling(): Promise<{ url: string; rewritten: () => number; close: () => Promise<void> }> {
  const aedes = await Aedes.createBroker({
    authorizePublish(_client, packet, callback) {
      const text = packet.payload.toString()
      if (text.startsWith('{')) {
        const description = JSON.parse(text) as Record<string, string>
        const relays = Object.entries(description).filter(([key, value]) => key.startsWith('cand') && / typ relay /.test(value)).map(([, value]) => value)
        const rewrittenDescription: Record<string, string> = { desc: description.desc as string }
        relays.forEach((line, index) => (rewrittenDescription[`cand${index}`] = line))
        packet.payload = Buffer.from(JSON.stringify(rewrittenDescription))
        rewrites++
      }
      callback(null)
    },
  })
  let rewrites = 0
  const server: Server = createServer(aedes.handle)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    url: `mqtt://127.0.0.1:${port}`,
    rewritten: () => rewrites,
    close: async () => {
      await new Promise<void>((resolve) => aedes.close(() => resolve()))
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

describe('two peers through a TURN relay', () => {
  const dir = makeTempDir('pairkit-turn-')
  let coturn: ChildProcess | undefined
  let turnPort: number
  let signalling: Awaited<ReturnType<typeof startRelayOnlySignalling>>
  let peerA: PeerHandle
  let peerB: PeerHandle
  let logA: EventLog
  let logB: EventLog
  const clients: MqttClient[] = []

  beforeAll(async () => {
    turnPort = await freePort()
    coturn = await startCoturn(turnPort, dir)
    signalling = await startRelayOnlySignalling()
    const turn = { host: '127.0.0.1', port: turnPort, username: TURN_USER, password: TURN_PASSWORD }
    const common = { signalUrl: signalling.url, topicPrefix: uniquePrefix(), bind: '127.0.0.1', turn }
    peerA = await startPeer({ ...common, role: 1, broker: { kind: 'embedded', port: 0 } })
    peerB = await startPeer({ ...common, role: 2, broker: { kind: 'embedded', port: 0 } })
    logA = new EventLog(peerA)
    logB = new EventLog(peerB)
    await Promise.all([logA.waitFor((e) => e.type === 'linked', 30_000, 'A linked'), logB.waitFor((e) => e.type === 'linked', 30_000, 'B linked')])
  }, 60_000)

  afterAll(async () => {
    for (const client of clients) await client.endAsync(true)
    await peerA?.close()
    await peerB?.close()
    await signalling?.close()
    if (coturn) await stopProcess(coturn)
  })

  it('gathers a relay candidate in the firmware form and pairs through it', () => {
    for (const log of [logA, logB]) {
      const relays = log.of('local-candidate').filter((e) => / typ relay raddr 0\.0\.0\.0 rport 0$/.test(e.candidate))
      expect(relays).toHaveLength(1)
      expect(relays[0]?.candidate).toMatch(/ 127\.0\.0\.1 \d+ typ relay /)
      // What the other side was told: the relay alone.
      expect(log.of('remote-candidate').map((e) => e.candidate)).toEqual([expect.stringMatching(/ typ relay /)])
    }
    expect(signalling.rewritten()).toBeGreaterThanOrEqual(2)
    const pairs = [...logA.of('selected-pair'), ...logB.of('selected-pair')]
    expect(pairs.length).toBeGreaterThanOrEqual(2)
    for (const pair of pairs) expect(pair.remote).toMatch(/^relay 127\.0\.0\.1:\d+$/)
  })

  it('carries messages both ways through the relay, exactly once', async () => {
    const [pubA, subA, pubB, subB] = await Promise.all([mqttClient(peerA.brokerUrl), mqttClient(peerA.brokerUrl), mqttClient(peerB.brokerUrl), mqttClient(peerB.brokerUrl)])
    clients.push(pubA, subA, pubB, subB)
    const atA = await collectMessages(subA, 'relay/#')
    const atB = await collectMessages(subB, 'relay/#')
    for (let i = 0; i < 10; i++) {
      await pubA.publishAsync('relay/from-a', `relayed ${i} from A`, { qos: 1 })
      await pubB.publishAsync('relay/from-b', `relayed ${i} from B`, { qos: 0 })
    }
    await until(() => atA.length >= 20 && atB.length >= 20, 10_000, 'relayed messages on both sides')
    await new Promise((resolve) => setTimeout(resolve, 300))
    const expected = [...Array.from({ length: 10 }, (_, i) => `relay/from-a|relayed ${i} from A`), ...Array.from({ length: 10 }, (_, i) => `relay/from-b|relayed ${i} from B`)].sort()
    for (const received of [atA, atB]) expect(received.map((m) => `${m.topic}|${m.payload.toString()}`).sort()).toEqual(expected)
    expect(peerA.stats().messagesToPeer).toBe(10)
    expect(peerB.stats().messagesFromPeer).toBe(10)
  })

  it('warns when the TURN server refuses the credentials and the STUN server does not answer', async () => {
    const silentStunPort = await freePort() // nothing listens on it for UDP
    const refused = await startPeer({
      role: 1, signalUrl: signalling.url, topicPrefix: uniquePrefix(), bind: '127.0.0.1', broker: { kind: 'embedded', port: 0 },
      stun: { host: '127.0.0.1', port: silentStunPort },
      turn: { host: '127.0.0.1', port: turnPort, username: TURN_USER, password: WRONG_PASSWORD },
    })
    try {
      const log = new EventLog(refused)
      await log.waitFor((e) => e.type === 'signalling' && e.step === 'subscribed', 30_000, 'the peer signalling')
      const warnings = log.of('warning').map((e) => e.code)
      expect(warnings).toEqual(expect.arrayContaining(['stun-no-answer', 'turn-no-relay']))
      expect(log.of('local-candidate').map((e) => e.candidate)).toEqual([expect.stringMatching(/ typ host$/)])
      expect(JSON.stringify(log.events)).not.toContain(WRONG_PASSWORD)
    } finally {
      await refused.close()
    }
  })

  it('never puts the TURN password in an event', () => {
    const text = JSON.stringify([...logA.events, ...logB.events])
    expect(text).not.toContain(TURN_PASSWORD)
    expect(text).toContain('typ relay')
  })
})
