// Delivers QoS 0 messages without retain to the embedded broker's subscribers: the peer's (all
// of them are, reference §2.4) and local clients' (see local-broker.ts). Every subscriber gets
// the same bytes, so the PUBLISH is encoded once and written to each matching client's
// connection, and a burst of messages leaves in a few TCP writes per subscriber instead of one
// per message (see write()).
//
// Why not aedes.publish: measured with bench:bridge, aedes's per-delivery path (a packet copy,
// two setImmediates and a write syscall per subscriber per message) was most of the receiving
// peer's CPU. Everything else stays aedes's: connections, sessions, QoS 1/2, retained messages.
// Topics starting with "$" are left to aedes.
//
// Backpressure: aedes waits for a slow subscriber's socket to drain before it goes on, which
// pauses the publisher, and with it every other subscriber. Neither fits a bridge: the peer's
// datagrams keep coming whatever a subscriber does. MQTT lets a server drop QoS 0 messages, so a
// subscriber with more than SUBSCRIBER_BACKLOG_BYTES still unsent gets none until it has caught
// up, and each message it misses is counted (onDrop). The others go on receiving.
import type { Writable } from 'node:stream'
import type { Aedes, Client } from 'aedes'
import { encodeTopicField, qos0PublishHeadLength, writeQos0PublishHead } from '../../common/mqtt/qos0-publish'
import { topicMatchesFilter } from '../../common/mqtt/topic-filter'
import { aedesClientSubscriptions } from './dependency-internals'

/**
 * Unsent bytes a subscriber may have waiting in the broker before its QoS 0 messages are dropped:
 * 1 MiB is 256 messages of the largest size that crosses the bridge (4 KiB) or about 13 000 of
 * 80 bytes, far more than a subscriber that reads ever has waiting (the kernel's socket buffer
 * takes a burst first), and little memory for one that does not.
 */
export const SUBSCRIBER_BACKLOG_BYTES = 1024 * 1024

/** A QoS 0 message not written to a subscriber that is not keeping up. */
export type SlowSubscriberDrop = (client: Client, topic: string, bytes: number, backlog: number) => void

/** A connected client as aedes keeps it; `subscriptions` (filter → subscription) is internal. */
interface Subscriber {
  client: Client
  conn: Writable
  subscriptions: Record<string, unknown>
}

interface Route {
  subscriber: Subscriber
  /** The first of the client's filters that matched: one delivery per client, as aedes does. */
  filter: string
}

const ROUTE_CACHE_TOPICS = 1024

export class Qos0Fanout {
  private readonly subscribers = new Map<Client, Subscriber>()
  /** topic → who gets it; forgotten whenever a subscription or a client comes or goes. */
  private readonly routes = new Map<string, Route[]>()
  private readonly topicFields = new Map<string, Uint8Array>()
  /** Connections written to in this turn of the event loop, with the messages held since. */
  private readonly corked = new Map<Writable, number>()
  private flushQueued = false
  private closed = false
  /** False once a client looked unlike what this class reads: from then on aedes delivers everything. */
  private usable = true

  /** Only for a broker whose internals checkInternals() found as expected (see dependency-internals.ts). */
  constructor(
    aedes: Aedes,
    /** Messages per TCP write at most, so a long burst reaches the subscriber in pieces. */
    private readonly messagesPerWrite: number,
    private readonly onDrop: SlowSubscriberDrop,
  ) {
    aedes.on('clientReady', (client) => {
      const subscriptions = aedesClientSubscriptions(client)
      // A connection that is not a Node stream (aedes also takes others): aedes delivers
      // everything from then on, so no message is missed or reordered.
      const conn = client.conn as unknown as Partial<Writable> | undefined
      if (subscriptions && typeof conn?.write === 'function' && typeof conn.cork === 'function' && typeof conn.uncork === 'function' && typeof conn.writableLength === 'number') {
        this.subscribers.set(client, { client, conn: conn as Writable, subscriptions })
      } else {
        this.usable = false
      }
      this.routes.clear()
    })
    aedes.on('clientDisconnect', (client) => {
      this.subscribers.delete(client)
      this.routes.clear()
    })
    aedes.on('subscribe', () => this.routes.clear())
    aedes.on('unsubscribe', () => this.routes.clear())
  }

  /**
   * Writes one message to every subscriber whose filter matches. Returns false, having written
   * nothing, when aedes must deliver it instead: a "$" topic, or a broker whose clients this
   * class cannot read. `payload` is copied: the caller may reuse it.
   */
  deliver(topic: string, payload: Uint8Array): boolean {
    if (this.closed || !this.usable || topic.startsWith('$')) return false
    const routes = this.routesFor(topic)
    if (routes.length === 0) return true
    const field = this.topicField(topic)
    // Head and payload in one buffer (from Node's pool): one write call and one chunk per message
    // instead of two, for the price of copying at most 4 KiB.
    const headLength = qos0PublishHeadLength(field, payload.length)
    const packet = Buffer.allocUnsafe(headLength + payload.length)
    writeQos0PublishHead(packet, field, payload.length)
    packet.set(payload, headLength)
    for (const { subscriber, filter } of routes) {
      const { client, conn } = subscriber
      if (!client.connected || conn.destroyed || conn.writableEnded || !(filter in subscriber.subscriptions)) continue
      if (conn.writableLength >= SUBSCRIBER_BACKLOG_BYTES) this.onDrop(client, topic, packet.length, conn.writableLength)
      else this.write(conn, packet)
    }
    return true
  }

  /** Sends whatever is still corked; nothing is written afterwards. */
  close(): void {
    this.closed = true
    this.flush()
  }

  /**
   * The first message of a turn for a connection is written at once, so the subscriber can start
   * on it; the rest of the turn's messages are held (corked) and leave together, at most
   * messagesPerWrite at a time, when the turn's deliveries are done. Measured with bench:bridge:
   * holding the first one as well made deliveries burstier, which slowed clients that keep
   * Nagle's algorithm on (their next publishes then wait for delayed ACKs).
   */
  private write(conn: Writable, packet: Uint8Array): void {
    const held = this.corked.get(conn)
    if (held === undefined) {
      conn.write(packet)
      conn.cork()
      this.corked.set(conn, 0)
      if (!this.flushQueued) {
        this.flushQueued = true
        // Runs after the datagrams read in this turn have all been delivered.
        setImmediate(this.flush)
      }
      return
    }
    if (held >= this.messagesPerWrite) {
      // uncork() writes what is held, now; then hold the next ones again.
      conn.uncork()
      conn.cork()
      this.corked.set(conn, 1)
    } else {
      this.corked.set(conn, held + 1)
    }
    conn.write(packet)
  }

  private readonly flush = (): void => {
    this.flushQueued = false
    for (const conn of this.corked.keys()) if (!conn.destroyed) conn.uncork()
    this.corked.clear()
  }

  private routesFor(topic: string): Route[] {
    let routes = this.routes.get(topic)
    if (routes) return routes
    routes = []
    for (const subscriber of this.subscribers.values()) {
      for (const filter of Object.keys(subscriber.subscriptions)) {
        if (topicMatchesFilter(filter, topic)) {
          routes.push({ subscriber, filter })
          break
        }
      }
    }
    if (this.routes.size >= ROUTE_CACHE_TOPICS) this.routes.clear()
    this.routes.set(topic, routes)
    return routes
  }

  private topicField(topic: string): Uint8Array {
    let field = this.topicFields.get(topic)
    if (!field) {
      if (this.topicFields.size >= ROUTE_CACHE_TOPICS) this.topicFields.clear()
      field = encodeTopicField(topic)
      this.topicFields.set(topic, field)
    }
    return field
  }
}
