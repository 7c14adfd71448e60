// PairKit's own peer (`pairkit peer`, the twin's firmware) as a log source: its event stream
// (src/common/serverless/peer-events.ts) in the events a device's log gives, so a laptop standing
// in for one side feeds the same ICE model and diagnosis as a device. `hostTime` is the peer's
// `at`; `t` is null (the peer has no boot clock).
import type { PeerEvent } from '../serverless/peer-events'
import { candidateEvent } from './candidate'
import { parseEndpoint } from './endpoint'
import type { CandidateTypeName, IceStateName, LogEvent, LogEventBody } from './events'

const ICE_STATES: Readonly<Record<string, IceStateName>> = {
  gathering: 'gathering',
  checking: 'connecting',
  connected: 'connected',
  failed: 'failed',
  closed: 'disconnected',
}

const TYPES: ReadonlySet<string> = new Set(['host', 'srflx', 'prflx', 'relay'])

/** The peer's signalling failure texts (src/main/peer/signalling.ts) → the firmware's reasons. */
export function signallingFailureReason(detail: string): string {
  if (detail.startsWith('The other peer did not answer the sync handshake')) return 'sync-timeout'
  if (detail.startsWith("The other peer's description did not arrive")) return 'description-timeout'
  if (detail.startsWith('Failed to connect to the sync broker')) return 'broker-unreachable'
  if (detail.startsWith('The signalling broker closed the connection')) return 'sync-lost'
  return 'other'
}

export function peerEventToLogEvents(event: PeerEvent): LogEvent[] {
  const t = null
  const format = 'pairkit' as const
  const bodies: LogEventBody[] = []
  switch (event.type) {
    case 'broker': {
      const port = /:(\d+)(?:\/|$)/.exec(event.url)?.[1]
      bodies.push({ kind: 'broker', t, format, event: 'running', ...(port ? { port: Number(port) } : {}) })
      break
    }
    case 'signalling':
      switch (event.step) {
        case 'connecting':
          bodies.push({ kind: 'signalling', t, format, event: 'connecting', ...(event.detail ? { url: event.detail } : {}) })
          break
        case 'subscribed':
          bodies.push({ kind: 'signalling', t, format, event: 'waiting' })
          break
        case 'sync-done':
        case 'description-sent':
        case 'description-received':
          bodies.push({ kind: 'signalling', t, format, event: event.step })
          break
        case 'failed':
          bodies.push({ kind: 'signalling', t, format, event: 'failed', reason: signallingFailureReason(event.detail ?? ''), ...(event.detail ? { detail: event.detail } : {}) })
          break
        // sync-ping, sync-ack and finished have no line of their own in a device's log.
      }
      break
    case 'ice-state': {
      const state = ICE_STATES[event.state]
      if (state) bodies.push({ kind: 'ice-state', t, format, state, controlling: event.controlling })
      break
    }
    case 'local-candidate':
    case 'remote-candidate': {
      const candidate = candidateEvent(event.candidate, event.type === 'local-candidate' ? 'local' : 'remote', t, format)
      if (candidate) bodies.push(candidate)
      break
    }
    case 'selected-pair': {
      // "host 1.2.3.4:5" (src/main/peer/ice-link.ts)
      const local = typedEndpoint(event.local)
      const remote = typedEndpoint(event.remote)
      if (remote) {
        bodies.push({
          kind: 'selected-pair', t, format, remote: remote.endpoint,
          ...(remote.type ? { remoteType: remote.type } : {}),
          ...(local ? { local: local.endpoint, ...(local.type ? { localType: local.type } : {}) } : {}),
        })
      }
      break
    }
    case 'linked':
      bodies.push({ kind: 'peer', t, format, event: 'connected' })
      break
    case 'unlinked':
      bodies.push({ kind: 'peer', t, format, event: 'disconnected' })
      break
    case 'message':
      if (event.direction !== 'local') bodies.push({ kind: 'forward', t, format, direction: event.direction, topic: event.topic })
      break
    case 'drop':
      bodies.push({ kind: 'drop', t, format, reason: event.reason, direction: event.direction, ...(event.topic === undefined ? {} : { topic: event.topic }), ...(event.count > 1 ? { count: event.count } : {}) })
      break
    case 'warning':
      if (event.code === 'stun-no-answer') bodies.push({ kind: 'stun', t, format, event: 'binding-failed', detail: event.message })
      else bodies.push({ kind: 'raw', t, format, text: `warning ${event.code}: ${event.message}` })
      break
    case 'error':
      bodies.push({ kind: 'error', t, format, tag: 'pairkit', message: `${event.code}: ${event.message}` })
      // "ICE found no working candidate pair within 40 s" (src/main/peer/ice-link.ts): libjuice's
      // connectivity timer expiring, in PairKit's words.
      if (event.message.startsWith('ICE ')) bodies.push({ kind: 'ice', t, format, event: 'timer-expired', detail: event.message })
      break
    case 'signalling-rejected':
      bodies.push({ kind: 'raw', t, format, text: `signalling message rejected (${event.reason}): ${event.detail}` })
      break
    // stats and closed: nothing a device's log would show.
  }
  return bodies.map((body) => ({ ...body, hostTime: event.at }) as LogEvent)
}

function typedEndpoint(text: string): { endpoint: { address: string; port: number }; type: CandidateTypeName | undefined } | undefined {
  const space = text.indexOf(' ')
  const typeText = space > 0 ? text.slice(0, space) : ''
  const endpoint = parseEndpoint(space > 0 ? text.slice(space + 1) : text)
  if (!endpoint) return undefined
  return { endpoint, type: TYPES.has(typeText) ? (typeText as CandidateTypeName) : undefined }
}
