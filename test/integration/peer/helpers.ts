// Shared pieces of the peer integration tests: a signalling broker, MQTT clients on each side's
// local broker, and waiting for events.
import { connect, type MqttClient } from 'mqtt'
import type { PeerEvent } from '../../../src/common/serverless/peer-events'
import { startEmbeddedBroker, type LocalBroker } from '../../../src/main/peer/local-broker'
import type { PeerHandle } from '../../../src/main/peer/peer'

export async function startSignallingBroker(): Promise<LocalBroker> {
  return startEmbeddedBroker({ port: 0, host: '127.0.0.1' })
}

export function uniquePrefix(): string {
  return `/test/pairkit_${Math.random().toString(36).slice(2, 8)}_`
}

export async function mqttClient(url: string, clientId?: string): Promise<MqttClient> {
  const client = connect(url, { protocolVersion: 4, reconnectPeriod: 0, ...(clientId ? { clientId } : {}) })
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve())
    client.once('error', reject)
  })
  return client
}

/** Collects every event of a peer, and waits for one that matches. */
export class EventLog {
  readonly events: PeerEvent[] = []
  private waiters: { match: (event: PeerEvent) => boolean; resolve: (event: PeerEvent) => void }[] = []

  constructor(peer: PeerHandle) {
    peer.events((event) => {
      this.events.push(event)
      for (const waiter of [...this.waiters]) {
        if (waiter.match(event)) {
          this.waiters = this.waiters.filter((w) => w !== waiter)
          waiter.resolve(event)
        }
      }
    })
  }

  of<T extends PeerEvent['type']>(type: T): Extract<PeerEvent, { type: T }>[] {
    return this.events.filter((event): event is Extract<PeerEvent, { type: T }> => event.type === type)
  }

  waitFor(match: (event: PeerEvent) => boolean, timeoutMs: number, what: string, fromIndex = 0): Promise<PeerEvent> {
    const existing = this.events.slice(fromIndex).find(match)
    if (existing) return Promise.resolve(existing)
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; events: ${this.events.map((e) => e.type + ('step' in e ? `:${e.step}` : '') + ('state' in e ? `:${e.state}` : '')).join(', ')}`)), timeoutMs)
      this.waiters.push({ match, resolve: (event) => (clearTimeout(timer), resolve(event)) })
    })
  }
}

export function collectMessages(client: MqttClient, topic: string): Promise<{ topic: string; payload: Buffer }[]> {
  const received: { topic: string; payload: Buffer }[] = []
  client.on('message', (t, payload) => received.push({ topic: t, payload }))
  return client.subscribeAsync(topic, { qos: 0 }).then(() => received)
}

export async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
