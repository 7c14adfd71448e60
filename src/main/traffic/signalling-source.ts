// The pair's signalling broker, as a source labelled as such: only the two sync topics
// (prefix + "1", published by PEER1 on site A; prefix + "2", by PEER2 on site B), never "#" on
// a broker that may be public and shared. Its messages are local: signalling, not bridged traffic.
import { randomBytes } from 'node:crypto'
import { connect, type MqttClient } from 'mqtt'
import { maskUrlPassword } from '../../common/url-userinfo'
import { brokerFailure, brokerUrlProblem } from './broker-connection'
import { SourceStatusKeeper, type SourceSink, type TrafficSource } from './traffic-source'

const RECONNECT_MS = 2000
const decoder = new TextDecoder()

export class SignallingSource implements TrafficSource {
  readonly id = 'signalling'
  private readonly keeper: SourceStatusKeeper
  private client: MqttClient | undefined

  constructor(
    private readonly url: string,
    private readonly topicPrefix: string,
  ) {
    this.keeper = new SourceStatusKeeper({ id: this.id, site: null, kind: 'signalling', label: `signalling ${maskUrlPassword(url)} (${topicPrefix}1, ${topicPrefix}2)` })
  }

  status() {
    return this.keeper.value
  }

  start(sink: SourceSink): void {
    this.keeper.attach(sink)
    const problem = brokerUrlProblem(this.url)
    if (problem) return this.keeper.set('error', problem, 'The pair signals over esp-peer (AppRTC), or its signalling address is not an MQTT broker: there is nothing to watch.')
    const who = 'the signalling broker'
    const topics = [`${this.topicPrefix}1`, `${this.topicPrefix}2`]
    const client = connect(this.url, { protocolVersion: 4, clean: true, clientId: `pairkit-traffic-${randomBytes(4).toString('hex')}`, reconnectPeriod: RECONNECT_MS, connectTimeout: 10_000 })
    this.client = client
    let connected = false
    client.on('connect', () => {
      client.subscribe(topics, { qos: 0 }, (error) => {
        if (error) return this.keeper.set('error', `${who} refused the subscription to the sync topics: ${error.message}`, 'Check the user name and password in its address.')
        connected = true
        this.keeper.set('connected')
      })
    })
    client.on('error', (error) => {
      const failure = brokerFailure(this.url, who, error)
      this.keeper.set('error', failure.message, failure.hint)
    })
    client.on('close', () => {
      if (connected) this.keeper.set('connecting', 'The connection to the signalling broker was lost; reconnecting')
      else if (this.status().state === 'connecting') {
        const failure = brokerFailure(this.url, who, Object.assign(new Error('no answer'), { code: 'TIMEOUT' }))
        this.keeper.set('error', failure.message, failure.hint)
      }
      connected = false
    })
    client.on('message', (topic, payload, packet) => {
      const site = topic === topics[0] ? 'A' : topic === topics[1] ? 'B' : undefined
      if (!site) return
      this.keeper.counted()
      const bytes = new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength)
      sink.observe({ site, source: 'signalling', t: Date.now(), topic, payload: bytes, qos: packet.qos, retain: packet.retain, local: describeSync(decoder.decode(bytes.subarray(0, 64)), site) })
    })
  }

  async stop(): Promise<void> {
    const client = this.client
    this.client = undefined
    this.keeper.set('stopped')
    await client?.endAsync(true).catch(() => undefined)
  }
}

/** The firmware's handshake (reference §3.3) in words. */
function describeSync(text: string, site: 'A' | 'B'): string {
  const peer = site === 'A' ? 'PEER1 (site A)' : 'PEER2 (site B)'
  if (text === '0') return `Signalling: ${peer} calls the other peer ("0").`
  if (text === '1') return `Signalling: ${peer} answers ("1").`
  if (text === '2') return `Signalling: ${peer} confirms; the handshake is done ("2").`
  if (text.trimStart().startsWith('{')) return `Signalling: ${peer} sends its ICE description and candidates.`
  return `Signalling: a message on ${peer}'s sync topic.`
}
