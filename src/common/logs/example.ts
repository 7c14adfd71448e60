// The serverless_mqtt example's own ESP_LOG lines (reference §8.2), by tag: serverless_mqtt (the
// bridge), serverless_mqtt1/2 (libjuice signalling and ICE), serverless_wifi, esp_netif_handlers
// (ESP-IDF's "sta ip:" line) and serverless_mqtt_webrtc (the esp-peer variant).
import { Continuation, type Parsed, type Verdict } from './continuation'
import { isWholeJsonObject, jsonDescriptionEvents, JsonBlock, SdpBlock } from './description'
import { parseEspRecord, splitFuncLine, type EspRecord } from './esp-idf'
import type { IceStateName, LogEventBody, LogEventOf } from './events'
import { startsLikeJuiceRecord } from './libjuice'
import { startsLikeMosquittoRecord } from './mosquitto'
import type { ParserState } from './parser-state'

/** Reads one ESP-IDF record of a known tag; undefined leaves it to the generic raw/error event. */
export type EspHandler = (record: EspRecord, state: ParserState) => Parsed | undefined

const BRIDGE_TAG = 'serverless_mqtt'
const NON_RECOVERABLE = /^Non recoverable error, going to sleep for some time(?: \(random, max 20s\))?$/
const QOS_RETAIN = /^handle_message qos=(\d+), retain=(\d+)$/
/** A payload that contains line breaks goes on for at most this many lines. */
const MAX_PAYLOAD_LINES = 16

export const bridgeLines: EspHandler = (record, state) => {
  const m = record.message
  const t = record.t
  switch (m.charCodeAt(0)) {
    case 104 /* h */:
      if (m.startsWith('handle_message topic:')) return new LocalPublish(t, m.slice(21), state.linked !== false)
      return undefined
    case 102 /* f */:
      if (m.startsWith('forwarding remote message: topic:')) return new RemoteMessage(t, m.slice(33))
      return undefined
    case 82 /* R */:
      return m === 'Received invalid message' ? { kind: 'drop', t, format: 'esp-idf', reason: 'invalid-message', direction: 'from-peer' } : undefined
    case 70 /* F */:
      return m === 'Fail to forward, message too long' ? { kind: 'drop', t, format: 'esp-idf', reason: 'too-long', direction: 'to-peer' } : undefined
    case 108 /* l */:
      if (m === 'local client connected') return { kind: 'bridge', t, format: 'esp-idf', event: 'local-client-connected' }
      if (m === 'local client disconnected') return { kind: 'bridge', t, format: 'esp-idf', event: 'local-client-disconnected' }
      if (m === 'local client error') return { kind: 'bridge', t, format: 'esp-idf', event: 'local-client-error' }
      return undefined
    case 69 /* E */:
      return m === 'Everything is ready, exiting main task' ? { kind: 'bridge', t, format: 'esp-idf', event: 'ready' } : undefined
    case 78 /* N */:
      if (!NON_RECOVERABLE.test(m)) return undefined
      // esp_deep_sleep(0–19 s), then the chip boots again (reference §2.1).
      state.linked = false
      return { kind: 'reboot', t, format: 'esp-idf', cause: 'deep-sleep', announced: true }
    default:
      // app_main(N): … (also the pre-refactor "Failed to sync with the ohter peer").
      return syncFailure(record)
  }
}

/** handle_message's three lines: topic, data (which may hold line breaks), qos and retain. */
class LocalPublish extends Continuation {
  private data: string[] | undefined
  private qos: number | undefined
  private retain: boolean | undefined

  constructor(
    private readonly t: number,
    private readonly topic: string,
    /** Before "Peer is connected!" the example forwards nothing (s_local_mqtt is NULL, §2.6). */
    private readonly linked: boolean,
  ) {
    super()
  }

  next(text: string): Verdict {
    const record = parseEspRecord(text)
    if (this.data === undefined) {
      if (record?.tag !== BRIDGE_TAG || !record.message.startsWith('handle_message data:')) return 'not-mine'
      this.data = [record.message.slice(20)]
      return 'more'
    }
    if (record) {
      const match = record.tag === BRIDGE_TAG ? QOS_RETAIN.exec(record.message) : null
      if (!match) return 'not-mine'
      this.qos = Number(match[1])
      this.retain = match[2] !== '0'
      return 'last'
    }
    if (this.data.length < MAX_PAYLOAD_LINES && !startsLikeJuiceRecord(text) && !startsLikeMosquittoRecord(text)) {
      this.data.push(text)
      return 'more'
    }
    return 'not-mine'
  }

  finish(): LogEventBody[] {
    if (!this.linked) return [{ kind: 'drop', t: this.t, format: 'esp-idf', reason: 'not-linked', direction: 'to-peer', topic: this.topic }]
    const event: LogEventOf<'forward'> = { kind: 'forward', t: this.t, format: 'esp-idf', direction: 'to-peer', topic: this.topic }
    if (this.data !== undefined) event.payload = this.data.join('\n')
    if (this.qos !== undefined) event.qos = this.qos
    if (this.retain !== undefined) event.retain = this.retain
    return [event]
  }
}

/** peer_recv's two lines: topic, then payload. */
class RemoteMessage extends Continuation {
  private payload: string | undefined

  constructor(
    private readonly t: number,
    private readonly topic: string,
  ) {
    super()
  }

  next(text: string): Verdict {
    const record = parseEspRecord(text)
    if (record?.tag !== BRIDGE_TAG || !record.message.startsWith('forwarding remote message: payload:')) return 'not-mine'
    this.payload = record.message.slice(35)
    return 'last'
  }

  finish(): LogEventBody[] {
    const event: LogEventOf<'forward'> = { kind: 'forward', t: this.t, format: 'esp-idf', direction: 'from-peer', topic: this.topic }
    if (this.payload !== undefined) event.payload = this.payload
    return [event]
  }
}

const JUICE_STATES: ReadonlySet<string> = new Set(['disconnected', 'gathering', 'connecting', 'connected', 'completed', 'failed'])

/** esp_check texts of sync_peers (and the pre-refactor app_main) → signalling failure reasons. */
const SYNC_FAILURES: readonly [RegExp, string][] = [
  [/^Failed to connect to the sync broker/, 'broker-unreachable'],
  [/^Failed to sync after \d+ seconds/, 'sync-timeout'],
  [/^Failed to sync with the (?:other|ohter) peer/, 'sync-lost'],
  [/^Timeout in waiting for the other peer candidates/, 'description-timeout'],
  [/^Failed to publish/, 'publish-failed'],
  [/^Failed to (?:create mqtt client|register mqtt event handler|start mqtt client)/, 'client-failed'],
]

/** serverless_mqtt1 / serverless_mqtt2: signalling and ICE of the libjuice variant. */
export const juicePeerLines: EspHandler = (record, state) => {
  const m = record.message
  const t = record.t
  const format = 'esp-idf' as const
  switch (m.charCodeAt(0)) {
    case 100 /* d */: {
      if (!m.startsWith('desc: ')) return undefined
      const body = m.slice(6)
      if (body.charCodeAt(0) !== 123 /* { */) return new SdpBlock('local', t, format, body)
      if (isWholeJsonObject(body)) return jsonDescriptionEvents(body, 'local', t, format)
      return new JsonBlock(body, (json) => jsonDescriptionEvents(json, 'local', t, format))
    }
    case 74 /* J */: {
      if (!m.startsWith('JUICE state change: ')) return undefined
      const name = m.slice(20)
      if (!JUICE_STATES.has(name)) return undefined
      const event: LogEventOf<'ice-state'> = { kind: 'ice-state', t, format, state: name as IceStateName }
      if (name !== 'failed' && name !== 'disconnected') return event
      // The example calls esp_restart() on failed or disconnected (reference §2.7).
      state.linked = false
      return [event, { kind: 'reboot', t, format, cause: 'ice-failure', announced: true }]
    }
    case 71 /* G */:
      return m === 'Gathering done' ? { kind: 'ice', t, format, event: 'gathering-done' } : undefined
    case 77 /* M */:
      if (m === 'MQTT_EVENT_CONNECTED') return { kind: 'signalling', t, format, event: 'connected' }
      if (m === 'MQTT_EVENT_DISCONNECTED') return { kind: 'signalling', t, format, event: 'disconnected' }
      if (m === 'MQTT_EVENT_ERROR') return { kind: 'signalling', t, format, event: 'error' }
      return undefined
    case 87 /* W */:
      if (m === 'Waiting for the other peer...') return { kind: 'signalling', t, format, event: 'waiting' }
      if (m === 'Waiting for the other peer description and candidates...') return { kind: 'signalling', t, format, event: 'waiting-description' }
      return undefined
    case 83 /* S */:
      return m === 'Sync done' ? { kind: 'signalling', t, format, event: 'sync-done' } : undefined
    case 80 /* P */:
      if (m !== 'Peer is connected!') return undefined
      state.linked = true
      return { kind: 'peer', t, format, event: 'connected' }
    case 78 /* N */:
      // The stock firmware's receive bug: one line per received datagram (reference §9 item 1).
      return m === 'No local mqtt client, dropping data' ? { kind: 'drop', t, format, reason: 'no-local-client', direction: 'from-peer' } : undefined
    case 70 /* F */:
      return m === 'Failed to subscribe to the sync topic' ? { kind: 'signalling', t, format, event: 'failed', reason: 'subscribe-failed' } : undefined
    default:
      return syncFailure(record)
  }
}

function syncFailure(record: EspRecord): LogEventBody | undefined {
  const split = splitFuncLine(record.message)
  if (!split) return undefined
  if (split.func === 'create_candidates') {
    // The 30-s gathering timeout, misleadingly worded (reference §9 item 11).
    return split.message.startsWith('Failed to connect to the sync broker') ? { kind: 'signalling', t: record.t, format: 'esp-idf', event: 'failed', reason: 'gathering-timeout' } : undefined
  }
  if (split.func !== 'sync_peers' && split.func !== 'app_main') return undefined
  for (const [pattern, reason] of SYNC_FAILURES) {
    if (pattern.test(split.message)) return { kind: 'signalling', t: record.t, format: 'esp-idf', event: 'failed', reason: split.func === 'app_main' && reason === 'sync-lost' ? 'sync-failed' : reason }
  }
  return undefined
}

const STATION = /^station ([0-9a-fA-F:]{17}) (join|leave), AID=(\d+)$/
const STA_IP = /^sta ip: ([^,\s]+), mask: ([^,\s]+), gw: (\S+)$/

/** serverless_wifi (wifi_connect.c). */
export const wifiLines: EspHandler = (record) => {
  const m = record.message
  const t = record.t
  const format = 'esp-idf' as const
  if (m.startsWith('station ')) {
    const match = STATION.exec(m)
    if (match) return { kind: 'wifi', t, format, event: match[2] === 'join' ? 'sta-join' : 'sta-leave', mac: (match[1] as string).toLowerCase(), aid: Number(match[3]) }
    return undefined
  }
  if (m === 'retry to connect to the AP') return { kind: 'wifi', t, format, event: 'retry' }
  if (m === 'Connect to the AP fail') return { kind: 'wifi', t, format, event: 'fail', reason: 'retries-exhausted' }
  if (m.startsWith('Got ip:')) return { kind: 'wifi', t, format, event: 'got-ip', ip: m.slice(7).trim() }
  const split = splitFuncLine(m)
  if (split?.func === 'wifi_connect' && split.message.startsWith('Failed to obtain IP address')) return { kind: 'wifi', t, format, event: 'fail', reason: 'no-ip' }
  return undefined
}

/** ESP-IDF's own "sta ip: A, mask: M, gw: G" (esp_netif_handlers). */
export const netifLines: EspHandler = (record) => {
  if (!record.message.startsWith('sta ip: ')) return undefined
  const match = STA_IP.exec(record.message)
  if (!match) return undefined
  return { kind: 'wifi', t: record.t, format: 'esp-idf', event: 'got-ip', ip: match[1] as string, mask: match[2] as string, gateway: match[3] as string }
}

/**
 * esp_peer_state_t (reference §6.3) on libjuice's state names: NEW_CONNECTION is gathering,
 * PAIRING connecting, PAIRED and CONNECTING (DTLS) connected, CONNECTED (DTLS done) and the data
 * channel states completed, CONNECT_FAILED failed, CLOSED, DISCONNECTED and the data channel's
 * closing states disconnected.
 */
export const ESP_PEER_STATES: readonly IceStateName[] = [
  'disconnected', 'disconnected', 'gathering', 'connecting', 'connected', 'connected',
  'completed', 'failed', 'completed', 'completed', 'disconnected', 'disconnected',
]

/** serverless_mqtt_webrtc (peer_impl_webrtc.c). */
export const webrtcLines: EspHandler = (record, state) => {
  const m = record.message
  const t = record.t
  if (m.startsWith('Peer state: ')) {
    const value = Number(m.slice(12))
    const mapped = Number.isInteger(value) ? ESP_PEER_STATES[value] : undefined
    return mapped ? { kind: 'ice-state', t, format: 'esp-idf', state: mapped, peerState: value } : undefined
  }
  if (m === 'Peer is connected!') {
    state.linked = true
    return { kind: 'peer', t, format: 'esp-idf', event: 'connected' }
  }
  if (m === 'Waiting for peer to connect') return { kind: 'signalling', t, format: 'esp-idf', event: 'waiting' }
  return undefined
}
