// Every private part of a dependency that the peer reads or replaces, in one place. Each fast
// path that needs one has a plain path through public APIs only; checkInternals() runs once at
// start-up and says which fast paths may run. package.json pins these packages to exactly the
// versions below, so the check fails only when someone changes them.
//
// | package                          | internal read or replaced                                   | used by (fast path)                              |
// |----------------------------------|-------------------------------------------------------------|--------------------------------------------------|
// | aedes 1.2.0                      | Client#_parser; Client#_keepaliveInterval, #_keepaliveTimer | qos0-ingress.ts: local QoS 0 PUBLISHes read      |
// |                                  | Aedes#maxTopicLevels                                        |   ahead of aedes's parser                        |
// |                                  | Client#subscriptions (filter → subscription)                | qos0-fanout.ts: QoS 0 written to subscribers     |
// | mqtt-packet 9.0.2 (aedes's)      | Parser#parse (replaced), #_list.length, #_stateCounter,     | qos0-ingress.ts                                  |
// |                                  | #error                                                      |                                                  |
// | werift-ice 0.2.3                 | Connection#protocols, #canSendApplicationData;              | ice-link.ts: data straight to and from the       |
// |                                  | StunProtocol#transport: UdpTransport#type, #closed,         |   selected pair's socket, and the source check   |
// |                                  | #socket, #onData (replaced)                                 |   on every datagram                              |
// | Node.js (20.19 and later) dgram  | socket[Symbol(state symbol)].handle.lookup (replaced)       | udp-literal-lookup.ts: IPv4 literals answered    |
// |                                  |                                                             |   without dns.lookup                             |
import { createSocket } from 'node:dgram'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { Duplex } from 'node:stream'
import { Aedes, type Client } from 'aedes'
import { Connection } from 'werift-ice'

/** The versions the fast paths were written against and tested with. */
export const WRITTEN_AGAINST = { aedes: '1.2.0', 'mqtt-packet': '9.0.2', 'werift-ice': '0.2.3' } as const

export interface InternalsCheck {
  /** aedes and its mqtt-packet parser: the ingress reader and the QoS 0 fan-out. */
  broker: boolean
  /** werift-ice: data datagrams on the pair's own socket, and the source-address check. */
  ice: boolean
  /** Node's dgram handle: the pair's socket answers IPv4 literal lookups at once. */
  udpLookup: boolean
  /** Per fast path that is off: what differs, what runs instead and why. */
  warnings: { path: 'broker' | 'ice' | 'udpLookup'; message: string }[]
}

let checked: Promise<InternalsCheck> | undefined

type Versions = Record<keyof typeof WRITTEN_AGAINST, string>

/** Checks versions and shapes once per process; later calls get the same answer. */
export function checkInternals(): Promise<InternalsCheck> {
  checked ??= checkInternalsAgainst(WRITTEN_AGAINST)
  return checked
}

/** The check itself, against the given versions (WRITTEN_AGAINST but in its own test). */
export async function checkInternalsAgainst(expected: Versions): Promise<InternalsCheck> {
  const warnings: InternalsCheck['warnings'] = []
  const found = installedVersions()
  const versionProblem = (names: (keyof Versions)[]): string | undefined => {
    const wrong = names.filter((name) => found[name] !== expected[name])
    return wrong.length === 0 ? undefined : wrong.map((name) => `${name} ${found[name] ?? '(version unreadable)'} is installed, the fast path was written for ${expected[name]}`).join('; ')
  }
  const brokerProblem = versionProblem(['aedes', 'mqtt-packet']) ?? (await probe(aedesShapeProblem))
  if (brokerProblem) warnings.push({ path: 'broker', message: `The embedded broker runs plain aedes (slower; every delivery through aedes): ${brokerProblem}. Run "npm ci" to install the pinned versions.` })
  const iceProblem = versionProblem(['werift-ice']) ?? (await probe(weriftShapeProblem))
  if (iceProblem) warnings.push({ path: 'ice', message: `ICE data goes through werift's own send and receive (slower), and datagrams from addresses other than the selected pair's are no longer told apart: ${iceProblem}. Run "npm ci" to install the pinned versions.` })
  const udpLookupProblem = await probe(dgramShapeProblem)
  if (udpLookupProblem) warnings.push({ path: 'udpLookup', message: `UDP sends look up their address through dns.lookup (about 1 µs more per message): ${udpLookupProblem}.` })
  return { broker: !brokerProblem, ice: !iceProblem, udpLookup: !udpLookupProblem, warnings }
}

/** A probe that throws has found a problem too: the plain path is taken, never a failed start. */
async function probe(look: () => string | undefined | Promise<string | undefined>): Promise<string | undefined> {
  try {
    return await look()
  } catch (error) {
    return `looking at it failed (${error instanceof Error ? error.message : String(error)})`
  }
}

function installedVersions(): Partial<Versions> {
  const found: Partial<Versions> = {}
  try {
    const require = createRequire(import.meta.url)
    // aedes's "exports" hides its package.json; its entry point sits next to it.
    const aedesMain = require.resolve('aedes')
    found.aedes = versionIn(path.join(path.dirname(aedesMain), 'package.json'))
    // The parser aedes itself loads, wherever npm placed it.
    found['mqtt-packet'] = versionIn(createRequire(aedesMain).resolve('mqtt-packet/package.json'))
    found['werift-ice'] = versionIn(require.resolve('werift-ice/package.json'))
  } catch {
    // Left out: reported as unreadable.
  }
  return found
}

function versionIn(packageJson: string): string | undefined {
  const version = (JSON.parse(readFileSync(packageJson, 'utf8')) as { version?: unknown }).version
  return typeof version === 'string' ? version : undefined
}

// ---- aedes and mqtt-packet -------------------------------------------------------------------

type Parse = (chunk: Buffer) => number

interface ParserShape {
  parse: Parse
  _list: { length: number }
  _stateCounter: number
  error: unknown
}

interface ClientShape {
  _parser?: Partial<ParserShape>
  _keepaliveInterval?: unknown
  _keepaliveTimer?: { refresh?: unknown } | null
  subscriptions?: unknown
}

/** mqtt-packet's parser of one aedes client, as the ingress reader uses it. */
export interface ClientParser {
  /** The parser's own parse(). */
  readonly parse: Parse
  /** Between packets: nothing held of a partial packet, waiting for a fixed header, no error. */
  idle(): boolean
  /** Puts `parse` in the parser's place; aedes calls it with each chunk read from the connection. */
  replaceParse(parse: Parse): void
}

export function aedesClientParser(client: Client): ClientParser | undefined {
  const parser = (client as unknown as ClientShape)._parser
  if (!parser || typeof parser.parse !== 'function' || typeof parser._list?.length !== 'number' || typeof parser._stateCounter !== 'number' || !('error' in parser)) return undefined
  const shaped = parser as ParserShape
  return {
    parse: shaped.parse.bind(shaped),
    idle: () => shaped._list.length === 0 && shaped._stateCounter === 0 && !shaped.error,
    replaceParse(parse) {
      shaped.parse = parse
    },
  }
}

/** What aedes does for every packet it handles: the client is alive (its keepalive restarts). */
export function refreshAedesKeepalive(client: Client): void {
  const shaped = client as unknown as ClientShape
  const timer = shaped._keepaliveTimer
  if (typeof shaped._keepaliveInterval === 'number' && shaped._keepaliveInterval > 0 && typeof timer?.refresh === 'function') (timer.refresh as () => void).call(timer)
}

/** The client's subscriptions, filter → subscription; aedes keeps the object up to date. */
export function aedesClientSubscriptions(client: Client): Record<string, unknown> | undefined {
  const subscriptions = (client as unknown as ClientShape).subscriptions
  return subscriptions && typeof subscriptions === 'object' ? (subscriptions as Record<string, unknown>) : undefined
}

/** The broker's limit on topic levels (its option, clamped), which aedes checks on every PUBLISH. */
export function aedesMaxTopicLevels(aedes: Aedes): number | undefined {
  const levels = (aedes as unknown as { maxTopicLevels?: unknown }).maxTopicLevels
  return typeof levels === 'number' ? levels : undefined
}

/** Looks at a client aedes makes for a connection that never sends anything. */
async function aedesShapeProblem(): Promise<string | undefined> {
  const aedes = await Aedes.createBroker()
  const silent = new Duplex({ read() {}, write(_chunk, _encoding, done) { done() } })
  try {
    const client = aedes.handle(silent) as unknown as Client
    const shaped = client as unknown as ClientShape
    if (!aedesClientParser(client)) return 'an aedes client\'s parser (_parser) is not the mqtt-packet parser the ingress reads'
    if (shaped._parser?._stateCounter !== 0) return 'a new parser is not in its "fixed header" state (_stateCounter 0)'
    if (!('_keepaliveTimer' in shaped) || shaped._keepaliveInterval !== -1) return 'an aedes client keeps its keepalive elsewhere than _keepaliveTimer/_keepaliveInterval'
    if (!aedesClientSubscriptions(client)) return 'an aedes client keeps its subscriptions elsewhere than in "subscriptions"'
    if (aedesMaxTopicLevels(aedes) === undefined) return 'aedes keeps its topic-level limit elsewhere than maxTopicLevels'
    await new Promise<void>((resolve) => client.close(() => resolve()))
    return undefined
  } finally {
    silent.destroy()
    await new Promise<void>((resolve) => aedes.close(() => resolve()))
  }
}

// ---- werift-ice ----------------------------------------------------------------------------

type Address = [string, number]
export type ReceiveHook = (data: Buffer, addr: Address) => void

export interface DatagramSocket {
  send(message: Uint8Array | readonly Uint8Array[], port: number, address: string): void
}

interface TransportShape {
  type?: unknown
  closed?: unknown
  socket?: { send?: unknown }
  onData?: unknown
}

/** One of werift's sockets and its per-datagram receive hook (werift's StunProtocol over UDP). */
export interface WeriftReceiver {
  readonly protocol: unknown
  /** werift's own handling: parses STUN, passes anything else to its onData. */
  readonly original: ReceiveHook
  replace(hook: ReceiveHook): void
}

export function weriftReceivers(connection: Connection): WeriftReceiver[] {
  const protocols = (connection as unknown as { protocols?: unknown }).protocols
  if (!Array.isArray(protocols)) return []
  const receivers: WeriftReceiver[] = []
  for (const protocol of protocols as { transport?: TransportShape }[]) {
    const transport = protocol.transport
    if (!transport || typeof transport.onData !== 'function') continue
    const original = transport.onData as ReceiveHook
    receivers.push({ protocol, original, replace: (hook) => void (transport.onData = hook) })
  }
  return receivers
}

/**
 * The UDP socket behind a werift protocol when datagrams to the pair's remote go out on it as
 * they are: a StunProtocol over UDP. TURN relays (which wrap data) and TCP give undefined.
 */
export function weriftUdpSocket(protocol: unknown): DatagramSocket | undefined {
  const shaped = protocol as { type?: unknown; transport?: TransportShape } | undefined
  const transport = shaped?.transport
  if (shaped?.type !== 'stun' || transport?.type !== 'udp' || transport.closed === true) return undefined
  return typeof transport.socket?.send === 'function' ? (transport.socket as DatagramSocket) : undefined
}

/** werift's consent-to-send check (RFC 7675), private in its typings. */
export function weriftConsentAllowsSending(connection: Connection): boolean {
  return (connection as unknown as { canSendApplicationData(): boolean }).canSendApplicationData()
}

function weriftShapeProblem(): string | undefined {
  const connection = new Connection(false, { useIpv4: true, useIpv6: false })
  const shaped = connection as unknown as { protocols?: unknown; canSendApplicationData?: unknown }
  if (!Array.isArray(shaped.protocols)) return 'a werift Connection keeps its sockets elsewhere than "protocols"'
  if (typeof shaped.canSendApplicationData !== 'function') return 'a werift Connection has no canSendApplicationData()'
  return undefined
}

// ---- Node's dgram ----------------------------------------------------------------------------

type LookupCallback = (error: Error | null, address: string, family: number) => void
export type HandleLookup = (address: string, callback: LookupCallback) => void

/** The native handle of a dgram socket, whose `lookup` each unconnected send() calls. */
export function dgramHandle(socket: object): { lookup: HandleLookup } | undefined {
  const stateKey = Object.getOwnPropertySymbols(socket).find((symbol) => symbol.description === 'state symbol')
  const handle = stateKey ? ((socket as Record<symbol, unknown>)[stateKey] as { handle?: { lookup?: unknown } } | undefined)?.handle : undefined
  return handle && typeof handle.lookup === 'function' ? (handle as { lookup: HandleLookup }) : undefined
}

function dgramShapeProblem(): string | undefined {
  const socket = createSocket('udp4')
  try {
    return dgramHandle(socket) ? undefined : `Node ${process.version} keeps a dgram socket's lookup elsewhere`
  } finally {
    socket.close()
  }
}
