// The local side of the bridge: an embedded aedes broker (like the ESP's own mosquitto), or an
// existing broker PairKit joins as a client. Either way it reports every PUBLISH from a local
// client and republishes what comes from the peer at QoS 0 without retain (reference §2.4).
import { createServer, type Server } from 'node:net'
import { Aedes, type Client, type PublishPacket } from 'aedes'
import { connect, type MqttClient } from 'mqtt'
import { PairKitError } from '../../common/errors'
import { SERVERLESS } from '../../common/serverless/constants'
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

export interface LocalBroker {
  readonly url: string
  readonly embedded: boolean
  onPublish(listener: (message: LocalPublish) => void): void
  republish(topic: string, payload: Uint8Array): void
  close(): Promise<void>
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

export async function startEmbeddedBroker(options: { port: number; host?: string; messagesPerWrite?: number }): Promise<LocalBroker> {
  const host = options.host ?? '127.0.0.1'
  const aedes = await Aedes.createBroker()
  const fanout = new Qos0Fanout(aedes, options.messagesPerWrite ?? DEFAULT_MESSAGES_PER_WRITE)
  // No Nagle: MQTT messages are small, and delayed ACKs would hold them for up to 40 ms.
  const server: Server = createServer({ noDelay: true }, aedes.handle)
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(new PairKitError('PORT_BUSY', `Cannot listen for MQTT on ${host}:${options.port}: ${error.code ?? error.message}`, { hint: 'Pick another local broker port, or stop the program using it.' })),
    )
    server.listen(options.port, host, () => resolve())
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : options.port
  const listeners = new Set<(message: LocalPublish) => void>()
  const notify = (message: LocalPublish) => {
    for (const listener of listeners) listener(message)
  }
  deliverLocalQos0Directly(aedes, fanout, notify)
  readLocalQos0Directly(aedes, SERVERLESS.LOCAL_CLIENT_ID, (client, topic, payload) => {
    if (!fanout.deliver(topic, payload)) return false
    notify({ clientId: client.id, topic, payload, qos: 0, retain: false })
    return true
  })
  aedes.on('publish', (packet, client) => {
    // Like the mosquitto hook: only PUBLISHes from clients; the broker's own ($SYS, our
    // republishes, which have no client) never cross. The re-publisher's id never crosses either.
    if (!client || client.id === SERVERLESS.LOCAL_CLIENT_ID) return
    // A Buffer is a Uint8Array: passed on as it is.
    const payload = typeof packet.payload === 'string' ? new TextEncoder().encode(packet.payload) : packet.payload
    notify({ clientId: client.id, topic: packet.topic, payload, qos: packet.qos, retain: packet.retain })
  })
  return {
    url: `mqtt://${host}:${port}`,
    embedded: true,
    onPublish: (listener) => void listeners.add(listener),
    republish(topic, payload) {
      if (fanout.deliver(topic, payload)) return
      // A view, not a copy: each datagram arrives in its own buffer.
      aedes.publish({ cmd: 'publish', topic, payload: Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength), qos: 0, retain: false, dup: false }, () => undefined)
    },
    async close() {
      listeners.clear()
      fanout.close()
      await new Promise<void>((resolve) => aedes.close(() => resolve()))
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** aedes's publish as its protocol handler calls it (the typings know only the API form). */
type AedesPublish = (packet: PublishPacket, client: Client | null | ((error?: Error) => void), done?: (error?: Error) => void) => void

/**
 * A local client's QoS 0 PUBLISH without retain goes to the peer and to the local subscribers
 * without aedes's publish pipeline: the fan-out writes it to them as it does the peer's messages,
 * and the listener that forwards it to the peer hears of it directly. Measured with bench:bridge
 * (five alternating runs each), this took the sending peer from 20.3 to 17.8 µs of CPU per
 * message: aedes copies the packet and runs it through a series of steps, a topic tree and an
 * event per message. Everything else keeps aedes's path and is heard through its 'publish'
 * event: QoS 1 and 2, retained messages, "$" topics, wills and the broker's own publishes, and
 * whatever the re-publisher's client id sends (delivered locally, never forwarded).
 * Assumption, as for the fan-out: nothing subscribes inside the process (aedes.subscribe), only
 * clients; such a listener would miss these messages.
 */
function deliverLocalQos0Directly(aedes: Aedes, fanout: Qos0Fanout, notify: (message: LocalPublish) => void): void {
  const broker = aedes as unknown as { publish: AedesPublish }
  const aedesPublish = broker.publish.bind(aedes)
  broker.publish = (packet, client, done) => {
    const { payload } = packet
    const fromLocalClient = typeof client === 'object' && client !== null && client.id !== SERVERLESS.LOCAL_CLIENT_ID
    // A plain QoS 0 message only; deliver() writes nothing and returns false for "$" topics and
    // for clients it cannot read.
    if (!fromLocalClient || packet.qos !== 0 || packet.retain || typeof payload === 'string' || !fanout.deliver(packet.topic, payload)) return aedesPublish(packet, client, done)
    notify({ clientId: client.id, topic: packet.topic, payload, qos: 0, retain: false })
    // aedes reads the client's next packets when this is called back; never from inside its parser.
    if (done) process.nextTick(done)
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
    const timer = setTimeout(() => reject(new PairKitError('TIMEOUT', `The local broker ${url} did not answer within 10 s`)), 10_000)
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
