// startPeer: a serverless-MQTT peer wire-compatible with the ESP32 firmware (libjuice variant).
// It keeps one local broker for its whole life and loops: gather → signal → ICE → bridge; when
// ICE fails or consent expires it goes back to signalling, as the firmware does by rebooting,
// but without losing the local broker or its clients' sessions.
import { Emitter, type Event } from '../../common/event'
import { serializeError } from '../../common/errors'
import type { PeerRole } from '../../common/serverless/constants'
import { FIRMWARE_MESSAGES, JUICE_MESSAGES } from '../../common/serverless/firmware-log'
import { parseCandidateLine, type IceCandidate } from '../../common/serverless/ice-description'
import { chooseIceRole } from '../../common/serverless/ice-role'
import { emptyPeerStats, type PeerEvent, type PeerEventInput, type PeerStats } from '../../common/serverless/peer-events'
import { SERVERLESS } from '../../common/serverless/constants'
import { maskUrlPassword } from '../../common/url-userinfo'
import { checkInternals } from './dependency-internals'
import { FirmwareConsole, type FirmwareLineSink } from './firmware-console'
import { type HostPort, IceLink } from './ice-link'
import { connectExternalBroker, type LocalBroker, startEmbeddedBroker } from './local-broker'
import { MessageBridge, type ReceiveCheck } from './message-bridge'
import { runSignalling, type SignallingTiming } from './signalling'
import { sleepUnlessAborted } from '../time-limits'

export interface PeerOptions {
  role: PeerRole
  /** Signalling broker, e.g. mqtt://broker.example:1883. */
  signalUrl: string
  /** Topic prefix (the firmware's CONFIG_EXAMPLE_MQTT_SYNC_TOPIC); the role digit is appended. */
  topicPrefix: string
  stun?: HostPort
  turn?: HostPort & { username: string; password: string }
  /**
   * Embedded aedes broker (default: port 1883 on 127.0.0.1; `plain`: aedes without the fast
   * paths, see local-broker.ts), an existing broker's URL, or a broker the caller runs itself
   * (the twin's own "mosquitto") behind a LocalBroker adapter, whose close() the peer calls on closing.
   */
  broker?: { kind: 'embedded'; port: number; host?: string; plain?: boolean } | { kind: 'external'; url: string } | { kind: 'provided'; broker: LocalBroker }
  /** The one IPv4 address to bind ICE to and advertise. */
  bind?: string
  /**
   * Force the ICE role. Default (see common/serverless/ice-role.ts): controlled against a
   * libjuice peer (an ESP); against another PairKit peer, PEER1 controlling and PEER2 controlled.
   */
  iceControlling?: boolean
  /** Receives the firmware's own console lines (ESP-IDF and libjuice formats), for the twin. */
  firmwareLog?: FirmwareLineSink
  receiveCheck?: ReceiveCheck
  /** Fault injection (the twin's datagram-drop): a received datagram is lost, unseen, when this returns true. */
  datagramLoss?: () => boolean
  /** Fire a "message" event per message crossing (default true); off for busy bridges. */
  messageEvents?: boolean
  /** Pause before signalling again after a failure (the firmware deep-sleeps 0–19 s). */
  retryDelayMs?: number
  iceTimeoutMs?: number
  signallingTiming?: Partial<SignallingTiming>
}

export interface PeerHandle {
  readonly events: Event<PeerEvent>
  /** A snapshot of the counters. */
  stats(): PeerStats
  readonly brokerUrl: string
  readonly isLinked: boolean
  close(): Promise<void>
}

export async function startPeer(options: PeerOptions): Promise<PeerHandle> {
  const emitter = new Emitter<PeerEvent>()
  const stats = emptyPeerStats()
  const fw = new FirmwareConsole(options.role, options.firmwareLog)
  const emit = (event: PeerEventInput) => {
    if (event.type === 'signalling-rejected') stats.signallingRejected++
    if (event.type === 'error') stats.lastError = event.message
    emitter.fire({ ...event, at: Date.now() } as PeerEvent)
  }
  const brokerOption = options.broker ?? { kind: 'embedded', port: 1883 }
  // Once, before anything uses them: which fast paths may read their dependencies' internals.
  const internals = await checkInternals()
  const broker: LocalBroker =
    brokerOption.kind === 'embedded' ? await startEmbeddedBroker(brokerOption) : brokerOption.kind === 'external' ? await connectExternalBroker(brokerOption.url) : brokerOption.broker
  const bridge = new MessageBridge(broker, stats, emit, fw, options.receiveCheck, options.messageEvents ?? true, options.datagramLoss)
  const controller = new AbortController()
  let currentLink: IceLink | undefined
  const running = runLoop()

  async function runLoop(): Promise<void> {
    // Let the caller subscribe to events before the first one.
    await new Promise((resolve) => setImmediate(resolve))
    const fastBroker = brokerOption.kind === 'embedded' && !brokerOption.plain
    for (const { path, message } of internals.warnings) if (path !== 'broker' || fastBroker) emit({ type: 'warning', code: 'dependency-internals', message })
    emit({ type: 'broker', url: maskUrlPassword(broker.url), embedded: broker.embedded })
    for (let attempt = 1; !controller.signal.aborted; attempt++) {
      try {
        await pairOnce(attempt)
      } catch (error) {
        if (controller.signal.aborted) break
        const serialized = serializeError(error)
        emit({ type: 'error', code: serialized.code, message: serialized.message, ...(serialized.hint ? { hint: serialized.hint } : {}) })
      } finally {
        bridge.attach(undefined)
        await currentLink?.close()
        currentLink = undefined
      }
      if (!controller.signal.aborted) await sleepUnlessAborted(options.retryDelayMs ?? 1000, controller.signal)
    }
  }

  /** A STUN or TURN server that gave nothing is a setup fault the technician must hear of. */
  function reportMissingServerCandidates(lines: readonly string[]): void {
    const types = new Set<IceCandidate['type']>(lines.map(parseCandidateLine).flatMap((parsed) => (parsed.ok ? [parsed.candidate.type] : [])))
    if (options.stun && !types.has('srflx')) {
      emit({ type: 'warning', code: 'stun-no-answer', message: `The STUN server ${options.stun.host}:${options.stun.port} did not answer: only host candidates were gathered, so the other peer must reach this computer's own address directly` })
    }
    if (options.turn && !types.has('relay')) {
      emit({ type: 'warning', code: 'turn-no-relay', message: `The TURN server ${options.turn.host}:${options.turn.port} gave no relay address (unreachable, or it refused user "${options.turn.username}" and its password): pairing goes on without a relay` })
    }
  }

  async function pairOnce(attempt: number): Promise<void> {
    // Gather as controlled: early checks from a controlling ESP then never meet a role conflict.
    const initialControlling = options.iceControlling ?? false
    emit({ type: 'ice-state', state: 'gathering', controlling: initialControlling })
    if (options.stun) fw.juice('INFO', JUICE_MESSAGES.stunServer, `${options.stun.host}:${options.stun.port}`)
    const link = await IceLink.gather({ controlling: initialControlling, bind: options.bind, stun: options.stun, turn: options.turn })
    currentLink = link
    if (controller.signal.aborted) return
    fw.peer('I', FIRMWARE_MESSAGES.desc(link.description))
    for (const line of link.localCandidateLines) emit({ type: 'local-candidate', candidate: line })
    reportMissingServerCandidates(link.localCandidateLines)
    fw.juice('INFO', JUICE_MESSAGES.gatheringDone)
    fw.peer('I', FIRMWARE_MESSAGES.gatheringDone)

    const remote = await runSignalling({
      url: options.signalUrl,
      prefix: options.topicPrefix,
      role: options.role,
      description: link.description,
      candidateLines: link.localCandidateLines,
      attempt,
      signal: controller.signal,
      emit,
      console: fw,
      timing: options.signallingTiming,
    })
    const role = options.iceControlling === undefined ? chooseIceRole(options.role, remote) : { controlling: options.iceControlling, reason: 'forced' }
    link.setControlling(role.controlling)
    emit({ type: 'ice-state', state: 'checking', controlling: role.controlling, reason: role.reason })
    fw.peer('I', FIRMWARE_MESSAGES.juiceState('connecting'))
    const ended = new Promise<string>((resolve) => link.onState((state) => (state === 'failed' || state === 'closed') && resolve(state)))
    const pair = await link.connect(remote, options.iceTimeoutMs ?? SERVERLESS.ICE_CONNECT_TIMEOUT_MS, controller.signal)
    stats.pairings++
    emit({ type: 'ice-state', state: 'connected', controlling: link.controlling })
    emit({ type: 'selected-pair', local: pair.local, remote: pair.remote })
    fw.juice('INFO', JUICE_MESSAGES.changingState, 'connected')
    fw.peer('I', FIRMWARE_MESSAGES.juiceState('connected'))
    fw.peer('I', FIRMWARE_MESSAGES.peerConnected)
    bridge.attach(link)
    emit({ type: 'linked', attempt })

    const reason = await Promise.race([ended, abortReason(controller.signal)])
    bridge.attach(undefined)
    if (reason === 'failed') {
      fw.juice('WARN', JUICE_MESSAGES.lostConnectivity)
      fw.peer('I', FIRMWARE_MESSAGES.juiceState('failed'))
      emit({ type: 'ice-state', state: 'failed', controlling: link.controlling })
    }
    emit({ type: 'unlinked', reason: reason === 'failed' ? 'consent expired or the link failed; signalling again' : reason })
  }

  return {
    events: emitter.event,
    stats: () => structuredClone(stats),
    brokerUrl: broker.url,
    get isLinked() {
      return currentLink?.isConnected ?? false
    },
    async close() {
      if (controller.signal.aborted) return
      controller.abort()
      await running.catch(() => undefined)
      bridge.close()
      await broker.close()
      emit({ type: 'closed' })
      emitter.dispose()
    },
  }
}

function abortReason(signal: AbortSignal): Promise<string> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve('closed')
    else signal.addEventListener('abort', () => resolve('closed'), { once: true })
  })
}

