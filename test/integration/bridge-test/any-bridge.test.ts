// The bridge test only publishes and subscribes, so it tests any bridge: two PairKit peers
// (the firmware's protocol over ICE), and two mosquitto brokers joined by mosquitto's own bridge
// at QoS 1, which carries QoS 1 and retain (reported as carried). The CLI's exit statuses:
// 0 when the link meets the thresholds, 2 for usage errors.
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { connectAsync } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SERVERLESS } from '../../../src/common/serverless/constants'
import { wrappedLength } from '../../../src/common/serverless/datagram-wrap'
import { runBridgeTest } from '../../../src/main/bridge-test/bridge-test'
import { startEmbeddedBroker, type LocalBroker } from '../../../src/main/peer/local-broker'
import { startPeer, type PeerHandle } from '../../../src/main/peer/peer'
import { startStunServer, type StunServer } from '../../../src/main/peer/stun-server'
import { freePort } from '../../support/free-port'
import { runToEnd, spawnPairkit, spawnTracked } from '../../support/processes'
import { makeTempDir } from '../../support/temp-dir'

const WRAP_LIMIT = SERVERLESS.MAX_WRAPPED_BYTES - wrappedLength('pairkit/bridge-test/01234567/size/a2b'.length, 0)

describe('bridge test between two PairKit peers', () => {
  let signalling: LocalBroker
  let stun: StunServer
  const peers: PeerHandle[] = []

  beforeAll(async () => {
    signalling = await startEmbeddedBroker({ port: 0, host: '127.0.0.1' })
    stun = await startStunServer()
    const common = { signalUrl: signalling.url, topicPrefix: `/test/bt_${Math.random().toString(36).slice(2, 8)}_`, bind: '127.0.0.1', stun: { host: stun.host, port: stun.port } }
    for (const role of [1, 2] as const) peers.push(await startPeer({ ...common, role, broker: { kind: 'embedded', port: 0 }, messageEvents: false }))
    const deadline = Date.now() + 20_000
    while (!peers.every((peer) => peer.isLinked)) {
      if (Date.now() > deadline) throw new Error('the peers did not link within 20 s')
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
  })

  afterAll(async () => {
    for (const peer of peers) await peer.close()
    await stun?.close()
    await signalling?.close()
  })

  it('passes, finds the whole wrap crossing and QoS 1 and retain not carried', async () => {
    const result = await runBridgeTest({ a: peers[0]?.brokerUrl as string, b: peers[1]?.brokerUrl as string, count: 30, throughput: [100, 500], stepMs: 400 })
    expect(result.pass).toBe(true)
    expect(result.aToB).toMatchObject({ sent: 30, received: 30, lost: 0 })
    expect(result.bToA).toMatchObject({ sent: 30, received: 30, lost: 0 })
    expect([result.qos1Carried, result.retainCarried]).toEqual([false, false])
    expect(result.maxPayloadBytes).toBe(WRAP_LIMIT)
    // PairKit's receiver checks lengths exactly: the short payload crosses.
    expect([result.shortPayload.aToB, result.shortPayload.bToA]).toEqual([true, true])
    expect(result.throughput?.maxLossFreeRate).toBe(500)
  }, 30_000)

  it('exits 0 from the CLI when the link meets the thresholds, and prints the report', async () => {
    const child = spawnPairkit(['bridge-test', '--a', peers[0]?.brokerUrl as string, '--b', peers[1]?.brokerUrl as string, '--count', '10', '--throughput', 'off', '--max-loss', '5%', '--max-p95-ms', '400'])
    const { code, stdout, stderr } = await runToEnd(child)
    expect(code, stderr).toBe(0)
    expect(stdout).toMatch(/A → B +10 +10 +0 +0 +0 /)
    expect(stdout).toContain('QoS 1 carried: no. Retain carried: no.')
    expect(stdout).toContain(`Largest payload both ways: ${WRAP_LIMIT} bytes`)
    expect(stdout).toMatch(/^PASS: loss ≤ 5 % and p95 < 400 ms each way\.$/m)
  }, 60_000)
})

describe('bridge test between two mosquitto brokers joined by mosquitto\'s bridge', () => {
  let urls: { a: string; b: string }

  beforeAll(async () => {
    const dir = makeTempDir('pairkit-bt-mosquitto-')
    const [portA, portB] = [await freePort(), await freePort()]
    const base = (port: number) => `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest none\n`
    writeFileSync(path.join(dir, 'a.conf'), base(portA))
    // B bridges every topic both ways to A at QoS 1, as users join a site to a cloud broker.
    writeFileSync(path.join(dir, 'b.conf'), `${base(portB)}connection site\naddress 127.0.0.1:${portA}\ntopic # both 1\ncleansession true\ntry_private true\n`)
    for (const name of ['a', 'b']) spawnTracked('mosquitto', ['-c', path.join(dir, `${name}.conf`)], { env: { ...process.env, PATH: `${process.env.PATH}:/usr/sbin` } })
    urls = { a: `mqtt://127.0.0.1:${portA}`, b: `mqtt://127.0.0.1:${portB}` }
    // The bridge is up once a message published on A arrives on B.
    const deadline = Date.now() + 15_000
    for (;;) {
      try {
        const [publisher, subscriber] = await Promise.all([connectAsync(urls.a, { reconnectPeriod: 0 }), connectAsync(urls.b, { reconnectPeriod: 0 })])
        let arrived = false
        subscriber.on('message', () => (arrived = true))
        await subscriber.subscribeAsync('ready/#')
        for (let i = 0; i < 20 && !arrived; i++) {
          publisher.publish('ready/probe', 'is the bridge up yet')
          await new Promise((resolve) => setTimeout(resolve, 100))
        }
        await Promise.all([publisher.endAsync(true), subscriber.endAsync(true)])
        if (arrived) break
      } catch {
        // mosquitto is still starting
      }
      if (Date.now() > deadline) throw new Error('the mosquitto bridge did not connect within 15 s')
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  })

  it('passes and finds QoS 1 and retain carried, and no payload limit below the wrap', async () => {
    const result = await runBridgeTest({ a: urls.a, b: urls.b, count: 30, throughput: [200], stepMs: 400 })
    expect(result.pass).toBe(true)
    expect(result.aToB).toMatchObject({ received: 30, lost: 0 })
    expect(result.bToA).toMatchObject({ received: 30, lost: 0 })
    expect(result.qos).toEqual({ aToB: { received: 1 }, bToA: { received: 1 } })
    expect(result.qos1Carried).toBe(true)
    expect(result.retainCarried).toBe(true)
    expect(result.findings.map((finding) => finding.code)).not.toContain('qos-not-carried')
    expect(result.maxPayloadBytes).toBe(WRAP_LIMIT)
  }, 30_000)
})

describe('pairkit bridge-test usage', () => {
  it.each([
    [['--a', 'mqtt://127.0.0.1:1883'], /give both brokers/],
    [['--a', 'mqtt://127.0.0.1:1883', '--b', 'http://127.0.0.1:1884'], /--b: .*not an MQTT address/],
    [['--a', 'mqtt://127.0.0.1:1883', '--b', 'mqtt://127.0.0.1:1883'], /same broker/],
    [['--a', 'mqtt://127.0.0.1:1883', '--b', 'mqtt://127.0.0.1:1884', '--max-loss', 'some'], /--max-loss takes/],
    [['--a', 'mqtt://127.0.0.1:1883', '--b', 'mqtt://127.0.0.1:1884', '--count', '0'], /--count takes/],
    [['--a', 'mqtt://127.0.0.1:1883', '--b', 'mqtt://127.0.0.1:1884', '--throughput', 'fast'], /--throughput takes/],
  ])('exits 2 with a usage line for %j', async (args, message) => {
    const { code, stdout, stderr } = await runToEnd(spawnPairkit(['bridge-test', ...args]))
    expect(code).toBe(2)
    expect(stderr).toMatch(message)
    expect(stderr).toContain('Usage: pairkit bridge-test --a URL --b URL')
    expect(stdout).toBe('')
  }, 60_000)

  it('exits 1 with a hint when a broker does not answer', async () => {
    const port = await freePort()
    const { code, stderr } = await runToEnd(spawnPairkit(['bridge-test', '--a', `mqtt://127.0.0.1:${port}`, '--b', `mqtt://127.0.0.1:${port + 1}`]))
    expect(code).toBe(1)
    expect(stderr).toMatch(/Nothing answers at 127\.0\.0\.1:\d+ \(site [AB]'s broker\): the connection was refused\. Check the port; is the broker running, and is this computer on its network\?/)
  }, 60_000)
})
