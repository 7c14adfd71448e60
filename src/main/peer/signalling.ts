// The firmware's signalling round over an MQTT broker (reference §3.3, §10.7): subscribe to
// the other role's topic at QoS 1, run the "0"/"1"/"2" handshake, publish our compact JSON
// description, wait 10 s for theirs, then close the client (the firmware destroys its own).
import { randomBytes } from 'node:crypto'
import { connect, type MqttClient } from 'mqtt'
import { PairKitError } from '../../common/errors'
import { type PeerRole, SERVERLESS, signallingTopics } from '../../common/serverless/constants'
import { FIRMWARE_MESSAGES } from '../../common/serverless/firmware-log'
import type { PeerEventInput } from '../../common/serverless/peer-events'
import { classifySignal, encodeDescription, type RemoteDescription } from '../../common/serverless/signal-message'
import { maskUrlPassword } from '../../common/url-userinfo'
import type { FirmwareConsole } from './firmware-console'

export interface SignallingOptions {
  url: string
  prefix: string
  role: PeerRole
  /** Our "desc" and candidate lines. */
  description: string
  candidateLines: readonly string[]
  attempt: number
  signal: AbortSignal
  emit: (event: PeerEventInput) => void
  console: FirmwareConsole
  timing?: Partial<SignallingTiming>
}

export interface SignallingTiming {
  connectTimeoutMs: number
  syncIntervalMs: number
  syncMaxRetries: number
  descriptionTimeoutMs: number
}

export const FIRMWARE_TIMING: SignallingTiming = {
  connectTimeoutMs: SERVERLESS.SIGNAL_CONNECT_TIMEOUT_MS,
  syncIntervalMs: SERVERLESS.SYNC_INTERVAL_MS,
  syncMaxRetries: SERVERLESS.SYNC_MAX_RETRIES,
  descriptionTimeoutMs: SERVERLESS.DESCRIPTION_TIMEOUT_MS,
}

export async function runSignalling(options: SignallingOptions): Promise<RemoteDescription> {
  const timing = { ...FIRMWARE_TIMING, ...options.timing }
  const { role, attempt, emit, console: fw } = options
  const topics = signallingTopics(options.prefix, role)
  const step = (s: Extract<PeerEventInput, { type: 'signalling' }>['step'], detail?: string) =>
    emit({ type: 'signalling', step: s, attempt, ...(detail ? { detail } : {}) })

  const { json, dropped } = encodeDescription(options.description, options.candidateLines, topics.publish)
  if (dropped.length > 0) emit({ type: 'warning', code: 'candidates-dropped', message: `${dropped.length} candidate(s) left out so the description fits the firmware's 1024-byte buffer` })

  fw.peer('I', FIRMWARE_MESSAGES.desc(cjsonPrint(json)))
  step('connecting', maskUrlPassword(options.url))
  // Like esp-mqtt's default id ESP32_%02x%02X%02X: unique per round, clean session, keepalive 120 s.
  const client = connect(options.url, {
    protocolVersion: 4,
    clean: true,
    keepalive: 120,
    reconnectPeriod: 0,
    connectTimeout: timing.connectTimeoutMs,
    clientId: `PairKit_${randomBytes(3).toString('hex')}`,
  })
  client.on('error', () => undefined)
  try {
    await waitConnected(client, timing.connectTimeoutMs, options.signal)
    fw.peer('I', 'MQTT_EVENT_CONNECTED')
    await client.subscribeAsync(topics.subscribe, { qos: 1 })
    step('subscribed', topics.subscribe)
    fw.peer('I', FIRMWARE_MESSAGES.waitingForPeer)
    return await handshake(client, topics, json, timing, options, step)
  } catch (error) {
    step('failed', error instanceof Error ? error.message : String(error))
    throw error
  } finally {
    client.end(true)
    step('finished')
  }
}

function handshake(
  client: MqttClient,
  topics: { publish: string; subscribe: string },
  json: string,
  timing: SignallingTiming,
  options: SignallingOptions,
  step: (s: Extract<PeerEventInput, { type: 'signalling' }>['step'], detail?: string) => void,
): Promise<RemoteDescription> {
  const { role, emit, console: fw } = options
  const publish = (payload: string) => client.publishAsync(topics.publish, payload, { qos: 1, retain: false })
  return new Promise<RemoteDescription>((resolve, reject) => {
    let remote: RemoteDescription | undefined
    let synced = false
    let progressed = false
    let retries = 0
    let descriptionTimer: ReturnType<typeof setTimeout> | undefined
    let sent: Promise<void> = Promise.resolve()
    const fail = (error: Error) => finish(error)
    const tick = setInterval(() => {
      if (synced) return
      if (progressed) progressed = false
      else if (++retries > timing.syncMaxRetries) {
        const seconds = Math.round((timing.syncMaxRetries * timing.syncIntervalMs) / 1000) + 1
        fw.peer('E', FIRMWARE_MESSAGES.syncFailed(seconds))
        return fail(new PairKitError('TIMEOUT', `The other peer did not answer the sync handshake within ${seconds} s`, { hint: 'Start the other peer with the other role, the same signalling broker and the same topic prefix.' }))
      }
      // PEER1 pings on every empty wait; PEER2 never initiates.
      if (role === 1) {
        publish(SERVERLESS.SYNC_PING).catch(fail)
        step('sync-ping')
      }
    }, timing.syncIntervalMs)

    const onSyncDone = () => {
      synced = true
      fw.peer('I', FIRMWARE_MESSAGES.syncDone)
      step('sync-done')
      sent = publish(json).then(() => step('description-sent', `${json.length} bytes`))
      sent.catch(fail)
      fw.peer('I', FIRMWARE_MESSAGES.waitingForDescription)
      descriptionTimer = setTimeout(() => {
        fw.peer('E', FIRMWARE_MESSAGES.descriptionTimeout)
        fail(new PairKitError('TIMEOUT', `The other peer's description did not arrive within ${timing.descriptionTimeoutMs / 1000} s of the sync`, { hint: 'Check that the other peer is not a stale process on the same topic prefix.' }))
      }, timing.descriptionTimeoutMs)
    }

    const onMessage = (topic: string, payload: Buffer) => {
      if (topic !== topics.subscribe) return
      if (fw.enabled) {
        // The firmware echoes every DATA event with printf, without a log prefix (§3.3).
        fw.peer('I', 'MQTT_EVENT_DATA')
        fw.raw(`TOPIC=${topic}`)
        fw.raw(`DATA=${payload.toString('latin1')}`)
      }
      const message = classifySignal(new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength), topic)
      if (message.kind === 'rejected') {
        emit({ type: 'signalling-rejected', reason: message.reason, detail: message.detail })
        return
      }
      if (message.kind === 'description') {
        // The firmware parses a description whenever one arrives; PairKit takes it only after the
        // sync, which loses nothing (the other side publishes it after "2", in order on the same
        // topic) and keeps a stray or hostile early description from taking the round.
        if (!synced) {
          emit({ type: 'signalling-rejected', reason: 'early-description', detail: 'a description before the sync handshake finished is ignored' })
          return
        }
        // libjuice rejects a second remote description (no ICE restart), so only the first counts.
        if (remote) {
          emit({ type: 'signalling-rejected', reason: 'duplicate-description', detail: 'a second description in the same round is ignored' })
          return
        }
        remote = message.remote
        if (fw.enabled) {
          fw.raw(`desc->valuestring:${remote.desc}`)
          remote.candidateLines.forEach((line, index) => fw.raw(`cand${index}: cand->valuestring:${line}`))
        }
        for (const rejected of remote.rejected) emit({ type: 'signalling-rejected', reason: `candidate-${rejected.reason}`, detail: rejected.detail, key: rejected.key })
        if (remote.ignoredKeys > 0) emit({ type: 'signalling-rejected', reason: 'candidates-ignored', detail: `${remote.ignoredKeys} cand key(s) past a gap or the 20-candidate limit` })
        for (const line of remote.candidateLines) emit({ type: 'remote-candidate', candidate: line })
        step('description-received', `${remote.candidates.length} candidate(s)`)
        finish()
        return
      }
      if (synced) return
      progressed = true
      if (role === 2 && message.step === SERVERLESS.SYNC_PING) {
        publish(SERVERLESS.SYNC_ACK).catch(fail)
        step('sync-ack')
      } else if (role === 2 && message.step === SERVERLESS.SYNC_DONE) {
        onSyncDone()
      } else if (role === 1 && message.step === SERVERLESS.SYNC_ACK) {
        publish(SERVERLESS.SYNC_DONE).catch(fail)
        onSyncDone()
      }
    }

    const onClose = () => fail(new PairKitError('PORT_DISCONNECTED', 'The signalling broker closed the connection during the handshake', { hint: 'Check the signalling broker and retry.' }))
    const onAbort = () => fail(new PairKitError('CANCELLED', 'signalling stopped'))
    client.on('message', onMessage)
    client.on('close', onClose)
    options.signal.addEventListener('abort', onAbort, { once: true })
    let done = false
    function finish(error?: Error) {
      if (done) return
      done = true
      clearInterval(tick)
      clearTimeout(descriptionTimer)
      client.off('message', onMessage)
      client.off('close', onClose)
      options.signal.removeEventListener('abort', onAbort)
      if (error) reject(error)
      // Our own description's PUBACK must arrive before the caller closes the client.
      else if (remote) sent.then(() => resolve(remote as RemoteDescription), reject)
      else reject(new PairKitError('INTERNAL', 'signalling finished without a description'))
    }
  })
}

function waitConnected(client: MqttClient, timeoutMs: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new PairKitError('TIMEOUT', `Failed to connect to the sync broker within ${timeoutMs / 1000} s`, { hint: 'Check the signalling broker address and that the broker is reachable.' })), timeoutMs)
    const onConnect = () => done()
    const onError = (error: Error) => done(new PairKitError('NOT_FOUND', `Failed to connect to the sync broker: ${error.message}`, { hint: 'Check the signalling broker address and that the broker is reachable.' }))
    const onClose = () => done(new PairKitError('NOT_FOUND', 'Failed to connect to the sync broker: the connection closed', { hint: 'Check the signalling broker address and that the broker is reachable.' }))
    const onAbort = () => done(new PairKitError('CANCELLED', 'signalling stopped'))
    client.once('connect', onConnect)
    client.once('error', onError)
    client.once('close', onClose)
    signal.addEventListener('abort', onAbort, { once: true })
    function done(error?: Error) {
      clearTimeout(timer)
      client.off('connect', onConnect)
      client.off('error', onError)
      client.off('close', onClose)
      signal.removeEventListener('abort', onAbort)
      if (error) reject(error)
      else resolve()
    }
  })
}

/** cJSON_Print's layout of a flat object of strings: tab indentation and ":\t" separators. */
function cjsonPrint(json: string): string {
  const object = JSON.parse(json) as Record<string, string>
  return `{\n${Object.entries(object).map(([key, value]) => `\t${JSON.stringify(key)}:\t${JSON.stringify(value)}`).join(',\n')}\n}`
}
