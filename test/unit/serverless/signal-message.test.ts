import { describe, expect, it } from 'vitest'
import { signallingTopics } from '../../../src/common/serverless/constants'
import { classifySignal, encodeDescription, maxDescriptionBytes } from '../../../src/common/serverless/signal-message'
import { randomBytes, seededRandom } from './seeded-random'

const TOPIC = '/topic/serverless_mqtt1'
const bytes = (value: string) => new TextEncoder().encode(value)
const DESC = 'a=ice-ufrag:sGdl\r\na=ice-pwd:R4IPGsFctITbT1dCZbfQTL\r\na=ice-options:ice2,trickle\r\n'
const HOST = 'a=candidate:1 1 UDP 2122317823 192.168.0.40 62703 typ host'
const SRFLX = 'a=candidate:2 1 UDP 1686109951 185.194.44.31 62703 typ srflx raddr 0.0.0.0 rport 0'
// Reference §3.5, compacted.
const ESP_JSON = `{"desc":"a=ice-ufrag:sGdl\\r\\na=ice-pwd:R4IPGsFctITbT1dCZbfQTL\\r\\na=ice-options:ice2,trickle\\r\\n","cand0":"${HOST}","cand1":"${SRFLX}"}`

describe('signalling topics and handshake', () => {
  it('publishes on prefix+own role and listens on prefix+other role', () => {
    expect(signallingTopics('/topic/serverless_mqtt', 1)).toEqual({ publish: '/topic/serverless_mqtt1', subscribe: '/topic/serverless_mqtt2' })
    expect(signallingTopics('/topic/serverless_mqtt', 2)).toEqual({ publish: '/topic/serverless_mqtt2', subscribe: '/topic/serverless_mqtt1' })
  })

  it('reads "0", "1" and "2" as handshake steps and reports other single characters', () => {
    for (const step of ['0', '1', '2'] as const) expect(classifySignal(bytes(step), TOPIC)).toEqual({ kind: 'handshake', step })
    expect(classifySignal(bytes('3'), TOPIC)).toMatchObject({ kind: 'rejected', reason: 'unexpected-character' })
    expect(classifySignal(new Uint8Array(), TOPIC)).toMatchObject({ kind: 'rejected', reason: 'empty' })
  })
})

describe('description JSON', () => {
  it('reads the ESP example, compact and cJSON pretty-printed', () => {
    const pretty = `{\n\t"desc":\t${JSON.stringify(DESC)},\n\t"cand0":\t"${HOST}",\n\t"cand1":\t"${SRFLX}"\n}`
    for (const json of [ESP_JSON, pretty]) {
      const message = classifySignal(bytes(json), TOPIC)
      expect(message.kind).toBe('description')
      if (message.kind === 'description') {
        expect(message.remote.description).toMatchObject({ ufrag: 'sGdl', pwd: 'R4IPGsFctITbT1dCZbfQTL' })
        expect(message.remote.candidateLines).toEqual([HOST, SRFLX])
        expect(message.remote.rejected).toEqual([])
      }
    }
  })

  it('writes compact JSON that round-trips and fits the firmware buffer, dropping the last candidates if needed', () => {
    const { json, dropped } = encodeDescription(DESC, [HOST, SRFLX], TOPIC)
    expect(json).toBe(ESP_JSON)
    expect(dropped).toEqual([])
    const many = Array.from({ length: 14 }, (_, i) => `a=candidate:${i + 1} 1 UDP 2122317823 192.168.${i}.40 62703 typ host`)
    const big = encodeDescription(DESC, many, TOPIC)
    expect(new TextEncoder().encode(big.json).length).toBeLessThanOrEqual(maxDescriptionBytes(TOPIC))
    expect(Object.keys(JSON.parse(big.json)).filter((k) => k.startsWith('cand')).length).toBeLessThanOrEqual(10)
    expect(big.dropped.length).toBeGreaterThanOrEqual(4)
    expect(maxDescriptionBytes(TOPIC)).toBe(1024 - 7 - TOPIC.length)
  })

  it.each([
    ['not-json', '{"desc": '],
    ['not-an-object', '[1,2,3]'],
    ['not-an-object', 'null'],
    ['desc-missing', '{"cand0":"x"}'],
    ['desc-not-a-string', '{"desc":42}'],
    ['desc-invalid', '{"desc":"a=ice-pwd:only"}'],
    ['end-of-candidates', `{"desc":${JSON.stringify(DESC + 'a=end-of-candidates\r\n')}}`],
    ['too-large', `{"desc":${JSON.stringify(DESC)},"cand0":"${'x'.repeat(5000)}"}`],
  ])('rejects %s', (reason, json) => {
    expect(classifySignal(bytes(json), TOPIC)).toMatchObject({ kind: 'rejected', reason })
  })

  it('reports bad candidates one by one and keeps the good ones', () => {
    const json = JSON.stringify({ desc: DESC, cand0: HOST, cand1: 17, cand2: 'a=candidate:1 1 UDP 1 x.local 5 typ host', cand3: null, cand4: SRFLX })
    const message = classifySignal(bytes(json), TOPIC)
    expect(message.kind).toBe('description')
    if (message.kind !== 'description') return
    expect(message.remote.candidateLines).toEqual([HOST, SRFLX])
    expect(message.remote.rejected.map((r) => `${r.key}:${r.reason}`)).toEqual(['cand1:not-a-string', 'cand2:not-numeric-ipv4', 'cand3:not-a-string'])
  })

  it('reads cand keys only up to the first gap and the 20-candidate limit, like the firmware and libjuice', () => {
    const gap = JSON.stringify({ desc: DESC, cand0: HOST, cand2: SRFLX })
    const gapped = classifySignal(bytes(gap), TOPIC)
    expect(gapped.kind === 'description' && [gapped.remote.candidateLines.length, gapped.remote.ignoredKeys]).toEqual([1, 1])
    const hundred: Record<string, string> = { desc: DESC }
    for (let i = 0; i < 100; i++) hundred[`cand${i}`] = `a=candidate:${i} 1 UDP 1 1.2.3.${i % 250} 9 typ host`
    const big = classifySignal(bytes(JSON.stringify(hundred)), 't')
    // 100 keys do not fit the firmware's buffer at all.
    expect(big).toMatchObject({ kind: 'rejected', reason: 'too-large' })
    const short: Record<string, string> = { desc: 'a=ice-ufrag:u\na=ice-pwd:p' }
    for (let i = 0; i < 30; i++) short[`cand${i}`] = 'x'
    const many = classifySignal(bytes(JSON.stringify(short)), 't')
    expect(many.kind).toBe('description')
    if (many.kind === 'description') {
      expect(many.remote.candidates).toEqual([])
      expect(many.remote.rejected).toHaveLength(20)
      expect(many.remote.ignoredKeys).toBe(10)
    }
  })

  it('survives seeded fuzzing: random bytes, truncations and mutations of the ESP JSON', () => {
    const random = seededRandom(7)
    const base = bytes(ESP_JSON)
    for (let i = 0; i < 4000; i++) {
      let input: Uint8Array
      if (i % 3 === 0) input = randomBytes(random, Math.floor(random() * 1200))
      else if (i % 3 === 1) input = base.slice(0, Math.floor(random() * base.length))
      else {
        input = base.slice()
        for (let e = 0; e < 3; e++) input[Math.floor(random() * input.length)] = Math.floor(random() * 256)
      }
      const message = classifySignal(input, TOPIC)
      expect(['handshake', 'description', 'rejected']).toContain(message.kind)
    }
  })
})
