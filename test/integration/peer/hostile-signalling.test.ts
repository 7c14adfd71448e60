// Malformed and hostile messages on the signalling topic never crash a peer: each is reported,
// and the peer still pairs with a real peer afterwards.
import { afterAll, describe, expect, it } from 'vitest'
import type { MqttClient } from 'mqtt'
import { signallingTopics } from '../../../src/common/serverless/constants'
import type { LocalBroker } from '../../../src/main/peer/local-broker'
import { startPeer, type PeerHandle } from '../../../src/main/peer/peer'
import { EventLog, mqttClient, startSignallingBroker, uniquePrefix, until } from './helpers'

const DESC = 'a=ice-ufrag:abcd\r\na=ice-pwd:0123456789abcdefghijkl\r\n'

describe('hostile signalling', () => {
  const cleanup: (() => Promise<unknown>)[] = []
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined)
  })

  it('reports every bad message, keeps running and then pairs with a real peer', async () => {
    const signalling: LocalBroker = await startSignallingBroker()
    cleanup.push(() => signalling.close())
    const prefix = uniquePrefix()
    const victim: PeerHandle = await startPeer({ role: 2, signalUrl: signalling.url, topicPrefix: prefix, bind: '127.0.0.1', broker: { kind: 'embedded', port: 0 } })
    cleanup.push(() => victim.close())
    const log = new EventLog(victim)
    await log.waitFor((e) => e.type === 'signalling' && e.step === 'subscribed', 10_000, 'victim subscribed')

    const attacker: MqttClient = await mqttClient(signalling.url)
    cleanup.push(() => attacker.endAsync(true))
    const topic = signallingTopics(prefix, 1).publish
    const hundredKeys: Record<string, unknown> = { desc: DESC }
    for (let i = 0; i < 100; i++) hundredKeys[`cand${i}`] = `a=candidate:${i} 1 UDP 1 10.0.0.${i} 9 typ host`
    const hostile: (string | Buffer)[] = [
      '{"desc": 5}',
      '{"desc": null, "cand0": []}',
      '[]',
      '"just a string"',
      '{not json',
      'x',
      Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x02]),
      JSON.stringify({ desc: DESC, cand0: `a=candidate:1 1 UDP 1 ${'9'.repeat(600)} 9 typ host` }),
      JSON.stringify({ desc: 'a=ice-ufrag:x\r\n' }),
      JSON.stringify({ desc: DESC + 'a=end-of-candidates\r\n' }),
      JSON.stringify(hundredKeys),
      JSON.stringify({ desc: 'y'.repeat(20_000) }),
      '{"__proto__": {"desc": "a=ice-ufrag:p\\na=ice-pwd:q"}}',
    ]
    for (const payload of hostile) await attacker.publishAsync(topic, payload, { qos: 1 })
    await until(() => log.of('signalling-rejected').length >= hostile.length, 5000, 'every rejection')
    const reasons = log.of('signalling-rejected').map((e) => e.reason)
    expect(reasons).toEqual(['desc-not-a-string', 'desc-not-a-string', 'not-an-object', 'not-an-object', 'not-json', 'unexpected-character', 'not-utf8', 'early-description', 'desc-invalid', 'end-of-candidates', 'too-large', 'too-large', 'desc-missing'])
    expect(victim.stats().signallingRejected).toBe(13)

    // After all that, a real peer still pairs with it.
    const friend = await startPeer({ role: 1, signalUrl: signalling.url, topicPrefix: prefix, bind: '127.0.0.1', broker: { kind: 'embedded', port: 0 } })
    cleanup.push(() => friend.close())
    await log.waitFor((e) => e.type === 'linked', 20_000, 'victim linked')
    expect(victim.isLinked).toBe(true)
  })
})
