// PairKit against an independent stand-in for the ESP, written here straight on mqtt.js and
// werift-ice the way the firmware behaves: PEER1 pinging "0" every second, ICE controlling,
// libjuice-numbered candidates, and its JSON pretty-printed like cJSON_Print. It also checks
// PairKit's description the way the firmware would read it.
import { afterAll, describe, expect, it } from 'vitest'
import { connect } from 'mqtt'
import { Candidate, Connection } from 'werift-ice'
import type { LocalBroker } from '../../../src/main/peer/local-broker'
import { startPeer, type PeerHandle } from '../../../src/main/peer/peer'
import { collectMessages, EventLog, mqttClient, startSignallingBroker, uniquePrefix, until } from './helpers'

const CANDIDATE_LINE = /^a=candidate:(\S+) (\d+) (UDP|udp) (\d+) (\S+) (\d+) typ (host|srflx|prflx|relay)(?: raddr (\S+) rport (\d+))?/

describe('PairKit against a firmware-like peer', () => {
  const cleanup: (() => Promise<unknown>)[] = []
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined)
  })

  it('pairs as PEER2, controlled, and exchanges data in the wrap', async () => {
    const signalling: LocalBroker = await startSignallingBroker()
    cleanup.push(() => signalling.close())
    const prefix = uniquePrefix()
    const pairkit: PeerHandle = await startPeer({ role: 2, signalUrl: signalling.url, topicPrefix: prefix, bind: '127.0.0.1', broker: { kind: 'embedded', port: 0 } })
    cleanup.push(() => pairkit.close())
    const log = new EventLog(pairkit)

    // The "ESP": gather first (controlling, as libjuice is when it writes its description first).
    const esp = new Connection(true, { useIpv4: false, useIpv6: false, additionalHostAddresses: ['127.0.0.1'], interfaceAddresses: { udp4: '127.0.0.1' } })
    esp.stunServer = undefined
    cleanup.push(() => esp.close())
    await esp.gatherCandidates()
    const host = esp.localCandidates[0] as Candidate
    const json = `{\n\t"desc":\t${JSON.stringify(`a=ice-ufrag:${esp.localUsername}\r\na=ice-pwd:${esp.localPassword}\r\na=ice-options:ice2,trickle\r\n`)},\n\t"cand0":\t"a=candidate:1 1 UDP 2122317823 ${host.host} ${host.port} typ host"\n}`
    const signal = connect(signalling.url, { protocolVersion: 4, reconnectPeriod: 0, clientId: 'ESP32_a1b2c3' })
    cleanup.push(() => signal.endAsync(true))
    await new Promise((resolve) => signal.once('connect', resolve))
    const theirJson = new Promise<{ raw: Buffer; topicLength: number }>((resolve) => {
      signal.on('message', (topic, payload) => {
        const text = payload.toString()
        if (text === '1') {
          signal.publish(`${prefix}1`, '2', { qos: 1 })
          signal.publish(`${prefix}1`, json, { qos: 1 })
        } else if (payload.length > 1) resolve({ raw: payload, topicLength: topic.length })
      })
    })
    await signal.subscribeAsync(`${prefix}2`, { qos: 1 })
    const ping = setInterval(() => signal.publish(`${prefix}1`, '0', { qos: 1 }), 1000)
    cleanup.push(async () => clearInterval(ping))
    const { raw, topicLength } = await theirJson
    clearInterval(ping)

    // Read PairKit's description the way the firmware does.
    expect(raw.length + topicLength + 7).toBeLessThanOrEqual(1024)
    const description = JSON.parse(raw.toString()) as Record<string, string>
    expect(description.desc).not.toContain('end-of-candidates')
    const ufrag = /a=ice-ufrag:(\S+)/.exec(description.desc as string)?.[1]
    const pwd = /a=ice-pwd:(\S+)/.exec(description.desc as string)?.[1]
    expect(ufrag && pwd).toBeTruthy()
    esp.setRemoteParams({ iceLite: false, usernameFragment: ufrag as string, password: pwd as string })
    for (let i = 0; `cand${i}` in description; i++) {
      const line = description[`cand${i}`] as string
      expect(line).toMatch(CANDIDATE_LINE)
      await esp.addRemoteCandidate(Candidate.fromSdp(line.slice('a=candidate:'.length)))
    }
    await esp.addRemoteCandidate(undefined)
    await Promise.race([esp.connect(), until(() => esp.state === 'connected', 15_000, 'the ESP side connected')])
    await log.waitFor((e) => e.type === 'linked', 15_000, 'PairKit linked')
    expect(log.of('ice-state').find((e) => e.state === 'checking')).toMatchObject({ controlling: false, reason: 'remote-is-libjuice' })

    // ESP → PairKit: a wrapped datagram (a/b + hello, which even the stock receiver accepts).
    const sub = await mqttClient(pairkit.brokerUrl)
    cleanup.push(() => sub.endAsync(true))
    const received = await collectMessages(sub, 'a/#')
    await esp.send(Buffer.from('04000500612f620068656c6c6f', 'hex'))
    await until(() => received.length === 1, 5000, 'the ESP message')
    expect(received[0]?.payload.toString()).toBe('hello')

    // PairKit → ESP: a local publish arrives as the exact wrap bytes.
    const fromPairkit = new Promise<Buffer>((resolve) => esp.onData.subscribe((data) => resolve(data)))
    const pub = await mqttClient(pairkit.brokerUrl)
    cleanup.push(() => pub.endAsync(true))
    await pub.publishAsync('site/temp', '21.5', { qos: 1 })
    // Reference §5.2: site/temp + 21.5, padding zeroed by PairKit.
    expect((await fromPairkit).toString('hex')).toBe('0a000400736974652f74656d70000000' + '32312e35')
  })

  it('goes back to signalling when ICE finds no pair in time, and pairs on the next round', async () => {
    const signalling: LocalBroker = await startSignallingBroker()
    cleanup.push(() => signalling.close())
    const prefix = uniquePrefix()
    const pairkit: PeerHandle = await startPeer({ role: 2, signalUrl: signalling.url, topicPrefix: prefix, bind: '127.0.0.1', broker: { kind: 'embedded', port: 0 }, iceTimeoutMs: 1500, retryDelayMs: 100 })
    cleanup.push(() => pairkit.close())
    const log = new EventLog(pairkit)
    await log.waitFor((e) => e.type === 'signalling' && e.step === 'subscribed', 10_000, 'subscribed')

    // A peer that completes the handshake but never answers ICE (its candidate is a dead port).
    const ghost = connect(signalling.url, { protocolVersion: 4, reconnectPeriod: 0 })
    cleanup.push(() => ghost.endAsync(true))
    await new Promise((resolve) => ghost.once('connect', resolve))
    const dead = JSON.stringify({ desc: 'a=ice-ufrag:dead\r\na=ice-pwd:deaddeaddeaddeaddeadde\r\n', cand0: 'a=candidate:1 1 UDP 2122317823 127.0.0.1 9 typ host' })
    ghost.on('message', (_topic, payload) => {
      if (payload.toString() !== '1') return
      ghost.publish(`${prefix}1`, '2', { qos: 1 })
      ghost.publish(`${prefix}1`, dead, { qos: 1 })
    })
    await ghost.subscribeAsync(`${prefix}2`, { qos: 1 })
    ghost.publish(`${prefix}1`, '0', { qos: 1 })
    const failed = await log.waitFor((e) => e.type === 'error' && e.code === 'TIMEOUT', 10_000, 'the ICE timeout')
    await ghost.endAsync(true)
    const mark = log.events.indexOf(failed)
    await log.waitFor((e) => e.type === 'signalling' && e.step === 'subscribed' && e.attempt === 2, 10_000, 'a second signalling round', mark)

    const friend = await startPeer({ role: 1, signalUrl: signalling.url, topicPrefix: prefix, bind: '127.0.0.1', broker: { kind: 'embedded', port: 0 } })
    cleanup.push(() => friend.close())
    await log.waitFor((e) => e.type === 'linked', 20_000, 'linked on the second round', mark)
    expect(pairkit.stats().pairings).toBe(1)
  })
})
