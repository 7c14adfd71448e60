// Golden tests: the two real device outputs of the example's README (the libjuice variant and the
// esp-peer variant) parse into the expected events, whatever form the console gave them in.
import { describe, expect, it } from 'vitest'
import type { LogEvent } from '../../../src/common/logs'
import { accountedText, colourise, crlf, expectedText, fields, fixture, parseInChunks, shape } from './log-helpers'

const LIBJUICE = fixture('readme-libjuice.txt')
const ESP_PEER = fixture('readme-esp-peer.txt')

/** The README text, as sent over a serial port with "\r\n", and with ESP-IDF's colours. */
const FORMS: [string, (text: string) => string][] = [
  ['as in the README', (text) => text],
  ['with CRLF line ends', crlf],
  ['with CRLF and colours', (text) => crlf(colourise(text))],
]

const LIBJUICE_SHAPES = [
  'wifi:got-ip',
  'broker:starting',
  'raw', // 4: Using default config.
  'broker:listening',
  'broker:running',
  'description:local', // the SDP block: 3 a= lines and the blank line
  'ice-state:gathering', // libjuice's line …
  'ice-state:gathering', // … and the example's
  'ice-state:connecting',
  'ice-state:connecting',
  'stun:server',
  'stun:binding-ok',
  'stun:mapped',
  'ice:gathering-done',
  'ice:gathering-done',
  'description:local', // the JSON block
  'candidate:local/host',
  'candidate:local/srflx',
  'raw', // Other event id:7
]

const ESP_PEER_SHAPES = [
  'wifi:got-ip',
  'broker:starting',
  'raw',
  'broker:listening',
  'broker:running',
  'raw', // esp-x509-crt-bundle
  'signalling:joined',
  'raw', // Initials set to 1
  'raw',
  'raw',
  'signalling:ice-servers',
  'raw',
  'raw', // Signaling ice info handler
  'raw',
  'raw',
  'raw', // Registering signaling channel.
  'signalling:connecting',
  'raw', // websocket_client: Started
  'signalling:waiting',
  'raw',
  'signalling:connected',
  'raw', // send to remote
  'ice-state:gathering', // Peer state: 2
  'ice:role',
  'raw', // Start DTLS role as 1
  'raw',
  'raw',
  'raw', // Got error code 401
  'raw',
  'raw', // Get candidate success (password masked)
  'signalling:description-sent',
  'raw',
  'raw',
  'raw', // A SRC: 4
  'raw',
  'raw',
  'candidate:remote/srflx',
  'candidate:remote/relay',
  'candidate:remote/host',
  'candidate-pair',
  'candidate-pair',
  'candidate-pair',
  'ice-state:connecting', // Peer state: 3
  'ice:check-sent',
  'ice:check-sent',
  'ice:check-sent',
  'raw', // send indication bind request
  'raw', // (blank line)
  'ice:check-received',
  'ice:response-sent',
  'selected-pair',
  'ice:check-sent',
  'ice:indication-received',
  'ice:check-received',
  'ice:response-sent',
  'ice:check-succeeded',
  'ice:check-received',
  'ice:connection-ok',
  'ice-state:connected', // Peer state: 5
  'raw', // Start to do server handshake
  'raw',
  'raw', // Works as 1
  'raw',
  'raw',
  'peer:dtls-connected',
  'ice-state:completed', // Peer state: 6
  'peer:connected',
  'raw', // local client event id:7
  'broker:connection',
  'broker:client-connected',
  'bridge:local-client-connected',
  'bridge:ready',
  'raw', // Returned from app_main()
  'raw',
  'raw',
  'raw',
  'raw',
  'raw',
  'raw',
  'ice-state:completed', // Peer state: 8
  'raw',
  'raw',
  'peer:data-channel-open',
  'ice-state:completed', // Peer state: 9
]

function find<K extends LogEvent['kind']>(events: LogEvent[], kind: K, where: (event: Extract<LogEvent, { kind: K }>) => boolean = () => true) {
  return events.filter((event): event is Extract<LogEvent, { kind: K }> => event.kind === kind).filter(where)
}

describe('the README\'s libjuice device output', () => {
  for (const [form, make] of FORMS) {
    it(`gives the expected events ${form}, in chunks of any size`, () => {
      const input = make(LIBJUICE)
      for (const sizes of [[1 << 20], [1], [7, 64, 3], [4096]]) {
        const events = parseInChunks(input, sizes)
        expect(events.map(shape)).toEqual(LIBJUICE_SHAPES)
        expect(accountedText(events)).toBe(expectedText(input))
      }
    })
  }

  it('reads the values: address, broker port, ufrag, states with their times, STUN and candidates', () => {
    const events = parseInChunks(crlf(colourise(LIBJUICE)))
    expect(fields(events[0] as LogEvent)).toEqual({ kind: 'wifi', t: 4746, format: 'esp-idf', event: 'got-ip', ip: '192.168.0.40', mask: '255.255.255.0', gateway: '192.168.0.1' })
    expect(events[0]?.colour).toBe('green')
    expect(fields(find(events, 'broker', (e) => e.event === 'running')[0] as LogEvent)).toEqual({ kind: 'broker', t: null, format: 'mosquitto', event: 'running', version: 'v2.0.20~3', port: 1883 })
    const [sdp, json] = find(events, 'description')
    expect(sdp).toMatchObject({ side: 'local', ufrag: 'sGdl', options: 'ice2,trickle', t: 4756, sourceLine: 6 })
    expect(sdp?.source).toEqual(['I (4756) serverless_mqtt1: desc: a=ice-ufrag:sGdl', 'a=ice-pwd:R4IPGsFctITbT1dCZbfQTL', 'a=ice-options:ice2,trickle', ''])
    // The ICE password is in the log, never in an event's fields.
    expect(JSON.stringify(events.map(fields))).not.toContain('R4IPGsFctITbT1dCZbfQTL')
    expect(json).toMatchObject({ side: 'local', ufrag: 'sGdl', candidates: 2, t: 5066 })
    expect(find(events, 'ice-state').map((e) => [e.state, e.t, e.format])).toEqual([
      ['gathering', null, 'libjuice'],
      ['gathering', 4776, 'esp-idf'],
      ['connecting', null, 'libjuice'],
      ['connecting', 4786, 'esp-idf'],
    ])
    expect(find(events, 'stun', (e) => e.event === 'mapped').map(fields)).toEqual([{ kind: 'stun', t: null, format: 'libjuice', event: 'mapped', address: '185.194.44.31', port: 62703 }])
    expect(find(events, 'candidate').map(fields)).toEqual([
      { kind: 'candidate', t: 5066, format: 'esp-idf', side: 'local', foundation: '1', component: 1, transport: 'UDP', priority: 2122317823, address: '192.168.0.40', port: 62703, type: 'host', key: 'cand0' },
      { kind: 'candidate', t: 5066, format: 'esp-idf', side: 'local', foundation: '2', component: 1, transport: 'UDP', priority: 1686109951, address: '185.194.44.31', port: 62703, type: 'srflx', relatedAddress: '0.0.0.0', relatedPort: 0, key: 'cand1' },
    ])
  })
})

describe('the README\'s esp-peer device output', () => {
  for (const [form, make] of FORMS) {
    it(`gives the expected events ${form}, in chunks of any size`, () => {
      const input = make(ESP_PEER)
      for (const sizes of [[1 << 20], [1], [13, 200, 5]]) {
        const events = parseInChunks(input, sizes)
        expect(events.map(shape)).toEqual(ESP_PEER_SHAPES)
        expect(accountedText(events)).toBe(expectedText(input))
      }
    })
  }

  it('maps esp-peer\'s numeric states, reads its candidates, sorted pairs and selected pair', () => {
    const events = parseInChunks(crlf(ESP_PEER))
    expect(find(events, 'ice-state').map((e) => [e.peerState, e.state])).toEqual([
      [2, 'gathering'],
      [3, 'connecting'],
      [5, 'connected'],
      [6, 'completed'],
      [8, 'completed'],
      [9, 'completed'],
    ])
    expect(find(events, 'candidate').map((e) => [e.type, e.address, e.port, e.priority, e.foundation])).toEqual([
      ['srflx', '185.194.44.31', 60872, null, null],
      ['relay', '172.31.6.33', 59012, null, null],
      ['host', '192.168.0.41', 60872, null, null],
    ])
    expect(find(events, 'candidate-pair').map(fields)).toEqual([
      { kind: 'candidate-pair', t: null, format: 'esp-peer', index: 0, local: { address: '192.168.0.42', port: 63459 }, remote: { address: '192.168.0.41', port: 60872 }, type: 'host' },
      { kind: 'candidate-pair', t: null, format: 'esp-peer', index: 1, local: { address: '185.194.44.31', port: 63459 }, remote: { address: '185.194.44.31', port: 60872 }, type: 'srflx' },
      { kind: 'candidate-pair', t: null, format: 'esp-peer', index: 2, local: { address: '172.31.6.33', port: 59013 }, remote: { address: '172.31.6.33', port: 59012 }, type: 'relay' },
    ])
    expect(find(events, 'selected-pair').map(fields)).toEqual([{ kind: 'selected-pair', t: 22212, format: 'esp-idf', remote: { address: '192.168.0.41', port: 60872 } }])
    expect(find(events, 'broker', (e) => e.event === 'client-connected').map(fields)).toEqual([
      { kind: 'broker', t: null, format: 'mosquitto', event: 'client-connected', clientId: 'local_mqtt', address: '192.168.4.1', port: 63904, protocol: 2, clean: true, keepalive: 120 },
    ])
  })

  it('never shows the TURN password esp-peer prints', () => {
    const events = parseInChunks(crlf(ESP_PEER))
    const everything = JSON.stringify(events)
    expect(ESP_PEER).toContain('/a8EMa7VBKpFa1I4Rdpv561YDPw=')
    expect(everything).not.toContain('a8EMa7VBKpFa1I4Rdpv561YDPw')
    expect(find(events, 'raw', (e) => e.text.includes('Get candidate success'))[0]?.text).toBe('I (14112) AGENT: 0 Get candidate success user:1752835118:ninefingers psw:***')
  })
})
