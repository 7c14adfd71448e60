// A subscriber on one site's broker (the ESP's soft-AP broker, a twin's, PairKit's peer's): every
// message on "#" becomes an observation. It subscribes at QoS 1 so a QoS 1 message shows as one
// (a QoS 2 message shows as QoS 1), and keeps reconnecting, with the state and a hint for the
// technician while it cannot. A retained message the broker replays on subscribe is history,
// not traffic: it shows as local. "$" topics are not matched by "#" (MQTT 4.7.2).
import { randomBytes } from 'node:crypto'
import { connect, type MqttClient } from 'mqtt'
import { PairKitError } from '../../common/errors'
import type { Site } from '../../common/traffic/model'
import { maskUrlPassword } from '../../common/url-userinfo'
import { brokerFailure, brokerUrlProblem } from './broker-connection'
import { SourceStatusKeeper, type SourceSink, type TrafficSource } from './traffic-source'

const RECONNECT_MS = 2000

export class MqttSiteSource implements TrafficSource {
  readonly id: string
  private readonly keeper: SourceStatusKeeper
  private client: MqttClient | undefined
  private sink: SourceSink | undefined
  private connected = false

  constructor(
    private readonly site: Site,
    private readonly url: string,
  ) {
    this.id = `${site}/mqtt`
    this.keeper = new SourceStatusKeeper({ id: this.id, site, kind: 'mqtt', label: maskUrlPassword(url) })
  }

  status() {
    return this.keeper.value
  }

  start(sink: SourceSink): void {
    this.sink = sink
    this.keeper.attach(sink)
    const problem = brokerUrlProblem(this.url)
    if (problem) return this.keeper.set('error', problem, 'Write the address as mqtt://HOST:PORT, e.g. mqtt://192.168.4.1:1883.')
    const who = `site ${this.site}'s broker`
    this.keeper.set('connecting', `Connecting to ${maskUrlPassword(this.url)}`)
    const client = connect(this.url, { protocolVersion: 4, clean: true, clientId: `pairkit-traffic-${randomBytes(4).toString('hex')}`, reconnectPeriod: RECONNECT_MS, connectTimeout: 10_000 })
    this.client = client
    client.on('connect', () => {
      client.subscribe('#', { qos: 1 }, (error) => {
        if (error) return this.keeper.set('error', `${who} refused the subscription to "#": ${error.message}`, 'Allow this client to subscribe to every topic on the broker.')
        this.setConnected(true)
        this.keeper.set('connected')
      })
    })
    client.on('error', (error) => {
      const failure = brokerFailure(this.url, who, error)
      this.keeper.set('error', failure.message, failure.hint)
    })
    client.on('close', () => {
      if (this.connected) this.keeper.set('connecting', `The connection to ${maskUrlPassword(this.url)} was lost; reconnecting`)
      else if (this.status().state === 'connecting') {
        // Closed before it ever connected, without an error: nothing answered in time.
        const failure = brokerFailure(this.url, who, Object.assign(new Error('no answer'), { code: 'TIMEOUT' }))
        this.keeper.set('error', failure.message, failure.hint)
      }
      this.setConnected(false)
    })
    client.on('message', (topic, payload, packet) => {
      this.keeper.counted()
      this.sink?.observe({
        site: this.site,
        source: 'mqtt',
        t: Date.now(),
        topic,
        payload: new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength),
        qos: packet.qos,
        retain: packet.retain,
        // MQTT 3.1.1 sets retain only on messages replayed to a new subscription.
        ...(packet.retain ? { local: 'A retained message the broker replayed when PairKit subscribed: history, not traffic.' } : {}),
      })
    })
  }

  /** Publishes a test message on this site's broker. */
  async publish(topic: string, payload: Uint8Array, qos: 0 | 1 | 2, retain: boolean): Promise<void> {
    const client = this.client
    if (!client || !this.connected) throw new PairKitError('UNAVAILABLE', `Site ${this.site}'s broker is not connected`, { hint: 'Wait until its source shows connected, or check its address.' })
    await client.publishAsync(topic, Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength), { qos, retain })
  }

  async stop(): Promise<void> {
    const client = this.client
    this.client = undefined
    this.setConnected(false)
    this.keeper.set('stopped')
    await client?.endAsync(true).catch(() => undefined)
  }

  private setConnected(connected: boolean): void {
    if (connected === this.connected) return
    this.connected = connected
    this.sink?.watching(this.site, 'mqtt', connected)
  }
}
