// The local side of the bridge: an embedded aedes broker (like the ESP's own mosquitto), or an
// existing broker PairKit joins as a client. Either way it reports every PUBLISH from a local
// client and republishes what comes from the peer at QoS 0 without retain (reference §2.4).
//
// The embedded broker's delivery paths (also in docs/ARCHITECTURE.md):
// - Every byte a client sends passes the packet-size guard (packet-size-guard.ts) first.
// - A local client's PUBLISH reaches the bridge through one door, fromLocalClient(). Its plain
//   QoS 0 PUBLISHes are read from the connection ahead of aedes's parser (qos0-ingress.ts),
//   written to the local subscribers by the fan-out (qos0-fanout.ts) and handed to that door;
//   every other PUBLISH (QoS 1 and 2, retained, "$" topics, wills, the re-publisher's, those of
//   MQTT 5 clients) takes aedes's own path, and aedes's 'publish' event hands it to the door.
// - A message from the peer is written to the local subscribers by the fan-out; "$" topics
//   go through aedes.publish, at most MAX_REPUBLISHES_IN_AEDES at a time.
// - With `plain` (or when checkInternals() finds aedes or mqtt-packet not as expected) there is
//   no ingress reader and no fan-out: aedes parses and delivers everything, its 'publish' event
//   is the door, and the peer's messages go through aedes.publish.
import { createServer, type Server } from 'node:net'
import { Aedes } from 'aedes'
import { connect, type MqttClient } from 'mqtt'
import { PairKitError } from '../../common/errors'
import { SERVERLESS } from '../../common/serverless/constants'
import { maskUrlPassword } from '../../common/url-userinfo'
import { checkInternals } from './dependency-internals'
import { closeOnOversizedPacket } from './packet-size-guard'
import { Qos0Fanout } from './qos0-fanout'
import { readLocalQos0Directly } from './qos0-ingress'

export interface LocalPublish {
  /** The publisher's client id, when the broker is embedded. */
  clientId?: string
  topic: string
  payload: Uint8Array
  qos: number
  retain: boolean
}

/** What the embedded broker dropped, or a connection it closed, to keep its memory bounded. */
export interface BrokerDrop {
  reason: 'slow-subscriber' | 'broker-busy' | 'packet-too-large'
  topic?: string
  bytes: number
  detail: string
}

export interface LocalBroker {
  readonly url: string
  readonly embedded: boolean
  onPublish(listener: (message: LocalPublish) => void): void
  /** Drops and closed connections (the embedded broker only). */
  onDrop?(listener: (drop: BrokerDrop) => void): void
  republish(topic: string, payload: Uint8Array): void
  close(): Promise<void>
}

export interface EmbeddedBrokerOptions {
  port: number
  host?: string
  /** Plain aedes: no ingress reader, no fan-out (see above). */
  plain?: boolean
  messagesPerWrite?: number
}

/**
 * QoS 0 messages per TCP write to a subscriber at most (after the first of a turn, which goes at
 * once). Measured with bench:bridge, six runs of each alternating, once local clients' publishes
 * were read ahead of aedes: 4 beat 2 in the median of every column (64 B without Nagle 1.12
 * against 1.08 of mosquitto's rate, with Nagle 1.57 against 1.27). Before that, with a slower
 * sending peer, 8 had made clients that keep Nagle on about half as fast (their publishes
 * bunched up behind larger deliveries and then waited for delayed ACKs), and 4 had been no
 * better than 2.
 */
const DEFAULT_MESSAGES_PER_WRITE = 4

/**
 * The largest MQTT packet the embedded broker takes, fixed header included; a client that
 * announces a larger one is disconnected before it sends the body. Nothing larger than 4096
 * bytes wrapped crosses the bridge (the firmware's buffer), so the limit only has to leave room
 * for local use: SUBSCRIBEs with many filters, CONNECTs with a will, messages between local
 * clients. 64 KiB is sixteen times the bridge's largest message and keeps what a client can make
 * the broker hold to 64 KiB per connection.
 */
export const MAX_PACKET_BYTES = 64 * 1024

/**
 * The peer's messages that may be inside aedes at once. aedes waits for a slow subscriber to
 * drain before it completes a publish and queues the rest without bound; datagrams cannot be
 * paused, so beyond this many the peer's messages are dropped and counted (QoS 0).
 */
export const MAX_REPUBLISHES_IN_AEDES = 1000

export async function startEmbeddedBroker(options: EmbeddedBrokerOptions): Promise<LocalBroker> {
  const host = options.host ?? '127.0.0.1'
  const fastPaths = !options.plain && (await checkInternals()).broker
  const aedes = await Aedes.createBroker()
  const publishListeners = new Set<(message: LocalPublish) => void>()
  const dropListeners = new Set<(drop: BrokerDrop) => void>()
  const dropped = (drop: BrokerDrop) => {
    for (const listener of dropListeners) listener(drop)
  }
  /** The one door through which a local client's PUBLISH reaches the bridge. */
  const fromLocalClient = (message: LocalPublish) => {
    for (const listener of publishListeners) listener(message)
  }

  // No Nagle: MQTT messages are small, and delayed ACKs would hold them for up to 40 ms.
  const server: Server = createServer({ noDelay: true }, (socket) => {
    aedes.handle(socket)
    const from = `${socket.remoteAddress}:${socket.remotePort}`
    closeOnOversizedPacket(socket, MAX_PACKET_BYTES, (announced) =>
      dropped({ reason: 'packet-too-large', bytes: announced, detail: `the MQTT client at ${from} announced a ${announced}-byte packet; the broker takes at most ${MAX_PACKET_BYTES} bytes, so it closed the connection` }),
    )
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(new PairKitError('PORT_BUSY', `Cannot listen for MQTT on ${host}:${options.port}: ${error.code ?? error.message}`, { hint: 'Pick another local broker port, or stop the program using it.' })),
    )
    server.listen(options.port, host, () => resolve())
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : options.port

  aedes.on('publish', (packet, client) => {
    // Like the mosquitto hook: only PUBLISHes from clients; the broker's own ($SYS, our
    // republishes, which have no client) never cross. The re-publisher's id never crosses either.
    if (!client || client.id === SERVERLESS.LOCAL_CLIENT_ID) return
    // A Buffer is a Uint8Array: passed on as it is.
    const payload = typeof packet.payload === 'string' ? new TextEncoder().encode(packet.payload) : packet.payload
    fromLocalClient({ clientId: client.id, topic: packet.topic, payload, qos: packet.qos, retain: packet.retain })
  })

  const fanout = fastPaths
    ? new Qos0Fanout(aedes, options.messagesPerWrite ?? DEFAULT_MESSAGES_PER_WRITE, (client, topic, bytes, backlog) =>
        dropped({ reason: 'slow-subscriber', topic, bytes, detail: `the MQTT client "${client.id}" has ${backlog} bytes waiting unsent (it is not reading): QoS 0 messages to it are dropped until it catches up` }),
      )
    : undefined
  if (fanout) {
    readLocalQos0Directly(aedes, SERVERLESS.LOCAL_CLIENT_ID, MAX_PACKET_BYTES, (client, topic, payload) => {
      if (!fanout.deliver(topic, payload)) return false
      fromLocalClient({ clientId: client.id, topic, payload, qos: 0, retain: false })
      return true
    })
  }

  let republishesInAedes = 0
  const republishThroughAedes = (topic: string, payload: Uint8Array) => {
    if (republishesInAedes >= MAX_REPUBLISHES_IN_AEDES) {
      return dropped({ reason: 'broker-busy', topic, bytes: payload.length, detail: `${MAX_REPUBLISHES_IN_AEDES} messages from the peer are still waiting in the broker for a subscriber that is not reading` })
    }
    republishesInAedes++
    // A view, not a copy: each datagram arrives in its own buffer.
    aedes.publish({ cmd: 'publish', topic, payload: Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength), qos: 0, retain: false, dup: false }, () => {
      republishesInAedes--
    })
  }

  return {
    url: `mqtt://${host}:${port}`,
    embedded: true,
    onPublish: (listener) => void publishListeners.add(listener),
    onDrop: (listener) => void dropListeners.add(listener),
    republish(topic, payload) {
      if (!fanout?.deliver(topic, payload)) republishThroughAedes(topic, payload)
    },
    async close() {
      publishListeners.clear()
      dropListeners.clear()
      fanout?.close()
      await new Promise<void>((resolve) => aedes.close(() => resolve()))
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/**
 * Joins an existing broker with one MQTT 5 client: it subscribes to "#" with No Local, so its
 * own republishes never come back (the firmware's loop prevention by client id, which a client
 * cannot see), and with Retain Handling 2, so stored retained messages do not cross at start.
 * Assumption: the broker supports MQTT 5 (mosquitto ≥ 1.6, aedes does not).
 */
export async function connectExternalBroker(url: string, clientId: string = SERVERLESS.LOCAL_CLIENT_ID): Promise<LocalBroker> {
  const client: MqttClient = connect(url, { protocolVersion: 5, clientId, clean: true, reconnectPeriod: 1000, connectTimeout: 10_000 })
  client.on('error', () => undefined)
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new PairKitError('TIMEOUT', `The local broker ${maskUrlPassword(url)} did not answer within 10 s`)), 10_000)
    client.once('connect', () => {
      clearTimeout(timer)
      resolve()
    })
  })
  await client.subscribeAsync('#', { qos: 0, nl: true, rh: 2 })
  const listeners = new Set<(message: LocalPublish) => void>()
  client.on('message', (topic, payload, packet) => {
    const message: LocalPublish = { topic, payload: new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength), qos: packet.qos, retain: packet.retain }
    for (const listener of listeners) listener(message)
  })
  return {
    url,
    embedded: false,
    onPublish: (listener) => void listeners.add(listener),
    republish(topic, payload) {
      client.publish(topic, Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength), { qos: 0, retain: false })
    },
    async close() {
      listeners.clear()
      await client.endAsync(true)
    },
  }
}
