// The firmware's "IoT network" broker. On the chip it is mosquitto on the soft-AP address;
// in the twin it is a real MQTT broker (aedes) on loopback, logging mosquitto's lines
// (`N: message`, N = seconds since boot without SNTP) so log parsers see the real shapes.
import { createServer, type Server, type Socket } from 'node:net'
import { Aedes } from 'aedes'

/** The version string of the ESP-IDF mosquitto port the example uses (reference §8.3). */
export const MOSQUITTO_VERSION = 'v2.0.20~9'

export interface BrokerEvents {
  /** One mosquitto log record, without the `N: ` prefix. */
  log(message: string): void
  /** Every PUBLISH from a client (the firmware's handle_message hook). */
  publish(message: { clientId: string; topic: string; payload: Uint8Array; qos: number; retain: boolean }): void
}

export interface FirmwareBroker {
  readonly host: string
  readonly port: number
  close(): Promise<void>
}

export async function startFirmwareBroker(host: string, port: number, events: BrokerEvents): Promise<FirmwareBroker> {
  events.log(`mosquitto version ${MOSQUITTO_VERSION} starting`)
  events.log('Using default config.')
  const aedes = await Aedes.createBroker()
  const sockets = new Set<Socket>()
  const server: Server = createServer((socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
    events.log(`New connection from ${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0} on port ${listenPort()}.`)
    aedes.handle(socket)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve())
  })
  const listenPort = () => {
    const address = server.address()
    return typeof address === 'object' && address ? address.port : port
  }
  events.log(`Opening ipv4 listen socket on port ${listenPort()}.`)
  events.log(`mosquitto version ${MOSQUITTO_VERSION} running`)

  // 'client' fires when the session is registered, before CONNACK goes out: mosquitto too logs
  // the connection while handling CONNECT, so the line precedes the client's own "connected".
  aedes.on('client', (client) => {
    const conn = client.conn as Partial<Socket>
    // mosquitto's protocol numbers: 1 = MQTT 3.1, 2 = 3.1.1, 5 = 5.0.
    const protocol = client.version === 5 ? 5 : client.version === 4 ? 2 : 1
    // aedes keeps only its timer: interval = keepalive × 1.5 s + 1 ms.
    const interval = (client as unknown as { _keepaliveInterval?: number })._keepaliveInterval
    const keepalive = interval ? Math.round((interval - 1) / 1500) : 0
    events.log(`New client connected from ${conn.remoteAddress ?? '?'}:${conn.remotePort ?? 0} as ${client.id} (p${protocol}, c${client.clean ? 1 : 0}, k${keepalive}).`)
  })
  aedes.on('clientDisconnect', (client) => events.log(`Client ${client.id} disconnected.`))
  aedes.on('keepaliveTimeout', (client) => events.log(`Client ${client.id} has exceeded timeout, disconnecting.`))
  aedes.on('publish', (packet, client) => {
    if (!client) return
    const payload = typeof packet.payload === 'string' ? new TextEncoder().encode(packet.payload) : new Uint8Array(packet.payload)
    events.publish({ clientId: client.id, topic: packet.topic, payload, qos: packet.qos, retain: packet.retain })
  })

  return {
    host,
    port: listenPort(),
    async close() {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => aedes.close(() => resolve()))
      await new Promise<void>((resolve) => server.close(() => resolve()))
      events.log(`mosquitto version ${MOSQUITTO_VERSION} terminating`)
    },
  }
}
