// Watches one pair's signalling: an MQTT client of its own (client id PairKit_watch_…, never
// one a device uses) subscribed to both sync topics, <prefix>1 and <prefix>2 (reference §3.1),
// reporting every message decoded as the firmware reads it (signal-message.ts). Read-only by
// construction: the client is never asked to publish, has no will (which the broker would
// publish for it), and subscribes at QoS 0 so it sends nothing but SUBSCRIBE and PINGREQ.
import { randomBytes } from 'node:crypto'
import { connect, type IClientOptions, type MqttClient } from 'mqtt'
import type { SignallingMessage, SignallingWatch as WatchInfo } from '../../common/contract/signalling'
import { classifySignal, type SignalMessage } from '../../common/serverless/signal-message'
import { maskUrlPassword } from '../../common/url-userinfo'

export interface WatchTarget {
  pairId: string
  /** The signalling broker, with its password when it has one. */
  url: string
  /** The pair's sync topic prefix; the devices append 1 and 2. */
  topicPrefix: string
}

export interface SignallingWatchOptions {
  onMessage(message: SignallingMessage): void
  onStatus(watch: WatchInfo): void
  /** Between connection attempts after the broker went away. */
  reconnectMs?: number
}

/** MQTT CONNACK codes (3.1.1 and 5) that retrying cannot fix: bad credentials, not authorised, banned. */
const REFUSED_FOR_GOOD = new Set([4, 5, 134, 135, 138])
export const WATCH_CLIENT_PREFIX = 'PairKit_watch_'

export class SignallingWatch {
  readonly clientId = `${WATCH_CLIENT_PREFIX}${randomBytes(4).toString('hex')}`
  private readonly client: MqttClient
  private readonly topics: [string, string]
  private infoValue: WatchInfo
  private stopped = false

  constructor(
    private readonly target: WatchTarget,
    private readonly options: SignallingWatchOptions,
  ) {
    this.topics = [`${target.topicPrefix}1`, `${target.topicPrefix}2`]
    this.infoValue = { pairId: target.pairId, broker: maskUrlPassword(target.url), topics: [...this.topics], state: 'connecting', since: Date.now(), messages: 0 }
    const clientOptions: IClientOptions = {
      clientId: this.clientId,
      protocolVersion: 4,
      clean: true,
      keepalive: 60,
      reconnectPeriod: options.reconnectMs ?? 2000,
      connectTimeout: 10_000,
    }
    this.client = connect(target.url, clientOptions)
    this.client.on('connect', () => {
      this.client.subscribe(this.topics, { qos: 0 }, (error) => {
        if (error) this.setState('failed', `the broker refused the subscription to ${this.topics.join(' and ')}: ${error.message}`)
        else this.setState('watching')
      })
    })
    this.client.on('message', (topic, payload, packet) => this.received(topic, payload, packet.retain))
    this.client.on('error', (error: Error & { code?: number | string }) => {
      if (typeof error.code === 'number' && REFUSED_FOR_GOOD.has(error.code)) {
        this.setState('failed', `the signalling broker refused PairKit's connection (${error.message}): check the user and password in the signalling address`)
        this.client.end(true)
      } else if (!this.stopped) this.setState('reconnecting', `no connection to the signalling broker: ${error.message}`)
    })
    this.client.on('offline', () => {
      if (!this.stopped && this.infoValue.state !== 'failed') this.setState('reconnecting', 'the signalling broker went away; PairKit connects again')
    })
  }

  get info(): WatchInfo {
    return this.infoValue
  }

  async stop(): Promise<void> {
    if (this.stopped) return
    this.stopped = true
    await this.client.endAsync(true).catch(() => undefined)
    this.setState('stopped')
  }

  private received(topic: string, payload: Buffer, retained: boolean): void {
    const from = topic === this.topics[0] ? 1 : topic === this.topics[1] ? 2 : undefined
    if (from === undefined) return
    const bytes = new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength)
    this.infoValue = { ...this.infoValue, messages: this.infoValue.messages + 1 }
    this.options.onMessage({ pairId: this.target.pairId, at: Date.now(), topic, from, bytes: bytes.length, retained, message: describe(classifySignal(bytes, topic)) })
  }

  private setState(state: WatchInfo['state'], message?: string): void {
    if (this.infoValue.state === state && this.infoValue.message === message) return
    const { message: _previous, ...rest } = this.infoValue
    this.infoValue = { ...rest, state, since: Date.now(), ...(message ? { message } : {}) }
    this.options.onStatus(this.infoValue)
  }
}

/** What the firmware would make of the payload, in the event's terms. */
function describe(signal: SignalMessage): SignallingMessage['message'] {
  if (signal.kind === 'handshake') return { kind: 'handshake', step: signal.step }
  if (signal.kind === 'rejected') return { kind: 'rejected', reason: signal.reason, detail: signal.detail }
  const { remote } = signal
  return {
    kind: 'description',
    ufrag: remote.description.ufrag,
    pwd: remote.description.pwd,
    candidates: remote.candidates.slice(0, 32).map((candidate, index) => ({
      line: (remote.candidateLines[index] ?? '').slice(0, 512),
      type: candidate.type,
      address: candidate.address,
      port: candidate.port,
      priority: candidate.priority,
    })),
    rejected: remote.rejected.slice(0, 64).map((rejected) => ({ key: rejected.key.slice(0, 32), reason: rejected.reason, detail: rejected.detail.slice(0, 300) })),
  }
}
