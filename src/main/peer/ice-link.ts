// One ICE session on werift-ice, configured for libjuice (reference §10): IPv4 only, no mDNS,
// host candidates on the chosen address, srflx from the configured STUN server, optional TURN.
// Gathering happens before signalling, as the firmware does, so a slow STUN server never eats
// into the other side's 10-s wait for our description.
import { Candidate, Connection, type IceOptions, parseMessage } from 'werift-ice'
import { SERVERLESS } from '../../common/serverless/constants'
import { formatCandidateLine, formatIceDescription, type IceCandidate } from '../../common/serverless/ice-description'
import type { RemoteDescription } from '../../common/serverless/signal-message'
import { PairKitError } from '../../common/errors'
import { checkInternals, weriftConsentAllowsSending, weriftReceivers, weriftUdpSocket } from './dependency-internals'
import { answerIpv4LiteralLookupsAtOnce } from './udp-literal-lookup'

export interface HostPort {
  host: string
  port: number
}

export interface IceLinkOptions {
  controlling: boolean
  /** Pin the one IPv4 address to bind and advertise; otherwise every non-internal IPv4 address. */
  bind?: string
  stun?: HostPort
  turn?: HostPort & { username: string; password: string }
}

export interface SelectedPair {
  local: string
  remote: string
}

export type IceLinkState = 'checking' | 'connected' | 'failed' | 'closed'

export class IceLink {
  private readonly stateListeners = new Set<(state: IceLinkState) => void>()
  private readonly dataListeners = new Set<(datagram: Uint8Array) => void>()
  private readonly foreignListeners = new Set<(source: string, bytes: number) => void>()
  private closed = false

  private constructor(
    private readonly connection: Connection,
    /** libjuice-form `a=candidate:` lines, host first. */
    readonly localCandidateLines: string[],
    /** werift's internals as expected (checkInternals): data on the pair's own socket, source check. */
    private readonly direct: boolean,
    /** Node's dgram internals as expected: the pair's socket answers IPv4 literals at once. */
    private readonly literalLookups: boolean,
  ) {
    if (direct) this.checkEveryDatagram()
    // Data that still takes werift's path (a TURN relay pair, or all of it without `direct`) arrives here.
    connection.onData.subscribe((data) => this.deliver(data))
    connection.stateChanged.subscribe((state) => {
      // werift reports "completed" when gathering ends, "connected" once a pair is nominated,
      // "failed" when consent expires; older versions also used "disconnected".
      if (state === 'connected') this.fireState('connected')
      else if (state === 'failed' || state === 'disconnected') this.fireState('failed')
      else if (state === 'closed') this.fireState('closed')
    })
  }

  static async gather(options: IceLinkOptions): Promise<IceLink> {
    const internals = await checkInternals()
    const iceOptions: Partial<IceOptions> = options.bind
      ? // werift filters advertised addresses only when the bind address is among the discovered
        // ones; this combination gives exactly one host candidate, bound to `bind` (§10.9 pitfall 2).
        { useIpv4: false, useIpv6: false, additionalHostAddresses: [options.bind], interfaceAddresses: { udp4: options.bind } }
      : { useIpv4: true, useIpv6: false }
    if (options.stun) iceOptions.stunServer = [options.stun.host, options.stun.port]
    if (options.turn) {
      iceOptions.turnServer = [options.turn.host, options.turn.port]
      iceOptions.turnUsername = options.turn.username
      iceOptions.turnPassword = options.turn.password
    }
    const connection = new Connection(options.controlling, iceOptions)
    // werift falls back to stun.l.google.com whatever the options say (§10.9 pitfall 3).
    if (!options.stun) connection.stunServer = undefined
    if (!options.turn) connection.turnServer = undefined
    await connection.gatherCandidates()
    const lines = connection.localCandidates
      .filter((candidate) => candidate.transport.toLowerCase() === 'udp' && isAdvertisable(candidate))
      .sort((a, b) => b.priority - a.priority)
      .map((candidate) => formatCandidateLine(toIceCandidate(candidate)))
    if (lines.length === 0) {
      await connection.close()
      throw new PairKitError('UNAVAILABLE', 'No IPv4 address to gather ICE candidates on', { hint: 'Connect to a network, or choose which of this computer\'s IPv4 addresses to use.' })
    }
    return new IceLink(connection, lines, internals.ice, internals.udpLookup)
  }

  /** The "desc" value: ufrag, pwd and options as libjuice writes them. */
  get description(): string {
    return formatIceDescription({ ufrag: this.connection.localUsername, pwd: this.connection.localPassword }, SERVERLESS.ICE_OPTIONS)
  }

  /** The current role; RFC 8445 role-conflict repair may change it during the checks. */
  get controlling(): boolean {
    return this.connection.iceControlling
  }

  /** Sets the role before connect(); werift keeps the negotiated role once a pair is nominated. */
  setControlling(controlling: boolean): void {
    this.connection.iceControlling = controlling
  }

  get isConnected(): boolean {
    return !this.closed && this.connection.state === 'connected'
  }

  get selectedPair(): SelectedPair | undefined {
    const pair = this.connection.nominated
    if (!pair) return undefined
    return { local: describe(pair.localCandidate), remote: describe(pair.remoteCandidate) }
  }

  onState(listener: (state: IceLinkState) => void): () => void {
    this.stateListeners.add(listener)
    return () => this.stateListeners.delete(listener)
  }

  /** Data datagrams from an address other than the selected pair's remote, which are dropped. */
  onForeignDatagram(listener: (source: string, bytes: number) => void): () => void {
    this.foreignListeners.add(listener)
    return () => this.foreignListeners.delete(listener)
  }

  onData(listener: (datagram: Uint8Array) => void): () => void {
    this.dataListeners.add(listener)
    return () => this.dataListeners.delete(listener)
  }

  /**
   * Applies the remote description and runs the checks. werift's connect() never rejects when no
   * pair succeeds (§10.9 pitfall 5), so this races it against libjuice's own 39.5-s timer; a
   * nomination that arrives later within that time is still accepted.
   */
  async connect(remote: RemoteDescription, timeoutMs: number, signal?: AbortSignal): Promise<SelectedPair> {
    const { connection } = this
    connection.setRemoteParams({ iceLite: remote.description.iceLite, usernameFragment: remote.description.ufrag, password: remote.description.pwd })
    for (const candidate of remote.candidates) await connection.addRemoteCandidate(toWeriftCandidate(candidate))
    await connection.addRemoteCandidate(undefined)
    this.fireState('checking')
    const connected = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => finish(new PairKitError('TIMEOUT', `ICE found no working candidate pair within ${Math.round(timeoutMs / 1000)} s`, { hint: 'Check that both sides reach the STUN server and that UDP is not blocked between them.' })), timeoutMs)
      const unsubscribe = this.onState((state) => {
        if (state === 'connected') finish()
        else if (state === 'failed' || state === 'closed') finish(new PairKitError('TIMEOUT', `ICE ${state} before a pair was selected`))
      })
      const onAbort = () => finish(new PairKitError('CANCELLED', 'stopped while ICE was checking'))
      signal?.addEventListener('abort', onAbort, { once: true })
      function finish(error?: Error) {
        clearTimeout(timer)
        unsubscribe()
        signal?.removeEventListener('abort', onAbort)
        if (error) reject(error)
        else resolve()
      }
    })
    connection.connect().catch(() => undefined)
    if (connection.state === 'connected') this.fireState('connected')
    await connected
    return this.selectedPair ?? { local: '?', remote: '?' }
  }

  /**
   * Sends one data datagram on the selected pair; does nothing when no pair is nominated or
   * consent has expired (werift semantics). On a direct UDP pair it goes straight to the pair's
   * socket: werift's send() costs an async call and a promise per datagram for the same syscall.
   * `datagram` may come in parts (header, payload), sent as one datagram without joining them.
   * onError hears of failures werift reports (TURN); a lost UDP datagram is not reported.
   */
  send(datagram: Uint8Array | readonly Uint8Array[], onError?: (error: unknown) => void): void {
    const pair = this.connection.nominated
    if (!pair) return
    const socket = this.direct ? weriftUdpSocket(pair.protocol) : undefined
    if (socket) {
      if (!weriftConsentAllowsSending(this.connection)) return
      const [host, port] = pair.remoteAddr
      if (this.literalLookups) answerIpv4LiteralLookupsAtOnce(socket)
      // No callback: a failed UDP send is a lost datagram, which the wrap protocol tolerates.
      // Parts go out through sendmsg's scatter-gather list, as one datagram.
      socket.send(datagram, port, host)
      pair.packetsSent++
      pair.bytesSent += byteLength(datagram)
    } else {
      // werift checks consent itself, and drops the datagram without it.
      const whole = isParts(datagram) ? Buffer.concat(datagram) : Buffer.from(datagram.buffer, datagram.byteOffset, datagram.byteLength)
      this.connection.send(whole).catch(onError ?? (() => undefined))
    }
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await this.connection.close().catch(() => undefined)
    this.stateListeners.clear()
    this.dataListeners.clear()
  }

  /**
   * werift hands every datagram it cannot parse as STUN to onData whatever its source. libjuice
   * accepts data only from a candidate pair's remote ("Received a datagram from unknown address,
   * ignoring"), so a stranger on the network cannot inject messages into the broker or drops into
   * its counters. This takes werift's per-socket receive hook (internal, see
   * dependency-internals.ts) to do the same with the selected pair, for every datagram that is
   * not a STUN message: also those that look like STUN by libjuice's test (§4.7) but do not parse
   * as STUN, which werift would hand to onData.
   */
  private checkEveryDatagram(): void {
    for (const receiver of weriftReceivers(this.connection)) {
      const { protocol, original } = receiver
      receiver.replace((data, addr) => {
        // Checks, consent and their answers: werift's. Parsed twice (here and by werift), but STUN
        // comes a few times a second, data thousands of times.
        if (looksLikeStun(data) && parseMessage(data) !== undefined) return original(data, addr)
        const pair = this.connection.nominated
        const [host, port] = pair ? pair.remoteAddr : []
        if (!pair || host !== addr[0] || port !== addr[1]) {
          for (const listener of this.foreignListeners) listener(`${addr[0]}:${addr[1]}`, data.length)
          return
        }
        // Data on the selected pair's own socket goes straight to the bridge. werift would try
        // to parse it as STUN and pass it through two Event dispatches, each starting an async
        // loop (a promise) per datagram.
        if (pair.protocol === protocol && weriftUdpSocket(protocol)) {
          pair.packetsReceived++
          pair.bytesReceived += data.length
          this.deliver(data)
          return
        }
        original(data, addr)
      })
    }
  }

  private deliver(data: Buffer): void {
    const datagram = new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
    for (const listener of this.dataListeners) listener(datagram)
  }

  private fireState(state: IceLinkState): void {
    for (const listener of [...this.stateListeners]) listener(state)
  }
}

function isParts(datagram: Uint8Array | readonly Uint8Array[]): datagram is readonly Uint8Array[] {
  return Array.isArray(datagram)
}

function byteLength(datagram: Uint8Array | readonly Uint8Array[]): number {
  if (!isParts(datagram)) return datagram.length
  let length = 0
  for (const part of datagram) length += part.length
  return length
}

/** libjuice's test (§4.7): top two bits zero and the magic cookie at bytes 4–7. */
function looksLikeStun(data: Uint8Array): boolean {
  return data.length >= 20 && ((data[0] as number) & 0xc0) === 0 && data[4] === 0x21 && data[5] === 0x12 && data[6] === 0xa4 && data[7] === 0x42
}

function isAdvertisable(candidate: Candidate): boolean {
  // libjuice cannot use mDNS names, IPv6 (the firmware is IPv4 only) or prflx candidates.
  return /^\d+\.\d+\.\d+\.\d+$/.test(candidate.host) && (candidate.type === 'host' || candidate.type === 'srflx' || candidate.type === 'relay')
}

function toIceCandidate(candidate: Candidate): IceCandidate {
  return {
    foundation: candidate.foundation.slice(0, 32),
    component: candidate.component,
    priority: candidate.priority,
    address: candidate.host,
    port: candidate.port,
    type: candidate.type as IceCandidate['type'],
  }
}

function toWeriftCandidate(candidate: IceCandidate): Candidate {
  return new Candidate(candidate.foundation, candidate.component, 'udp', candidate.priority, candidate.address, candidate.port, candidate.type, candidate.relatedAddress, candidate.relatedPort)
}

function describe(candidate: Candidate): string {
  return `${candidate.type} ${candidate.host}:${candidate.port}`
}
