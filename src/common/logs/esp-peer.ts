// esp-peer (the WebRTC/AppRTC variant, reference §6, §8.5): its ESP_LOG tags AGENT, PEER_DEF,
// DTLS, SCTP and APPRTC_SIG, and its prefix-less printf lines. The library is closed source; the
// formats are those of the example README's sample output.
import { parseEndpoint } from './endpoint'
import type { EspRecord } from './esp-idf'
import type { CandidateTypeName, Endpoint, LogEventBody } from './events'
import type { EspHandler } from './example'

/** esp-peer's candidate type numbers, as the README sample shows them (inferred, §8.5). */
const TYPE_NUMBERS: Readonly<Record<string, CandidateTypeName>> = { '1': 'host', '2': 'srflx', '3': 'prflx', '4': 'relay' }

const ADD_REMOTE = /^\d+ Add remote type:(\d+) (\S+)$/
const LOCAL_REMOTE = /^\d+ (Send binding request \(cand:\d+\)|PeerBinding recv|Send binding response|PeerIndication recv) local:(\S+) remote:(\S+)/
const SELECT_PAIR = /^\d+ Select pair(\S+)$/
const CONNECTION_OK = /^\d+ Connection OK (\S+)$/
const SORTED_PAIR = /^\d+ Sorted pair (\d+) type: (\d+) local:(\S+) Remote:(\S+)$/
const GOT_URL = /^Got url:(\S+) user_name: (\S*)/
const DCEP = /^Get DCEP (\S+) event:/

const CHECK_EVENTS = {
  'PeerBinding recv': 'check-received',
  'Send binding response': 'response-sent',
  'PeerIndication recv': 'indication-received',
} as const

export const agentLines: EspHandler = (record) => {
  const m = record.message
  const t = record.t
  const format = 'esp-idf' as const
  if (m.startsWith('Start agent as ')) return { kind: 'ice', t, format, event: 'role', controlling: m.slice(15) === 'Controlling' }
  const remote = ADD_REMOTE.exec(m)
  if (remote) {
    const endpoint = parseEndpoint(remote[2] as string)
    if (!endpoint) return undefined
    return { kind: 'candidate', t, format, side: 'remote', foundation: null, component: 1, transport: 'UDP', priority: null, ...endpoint, type: TYPE_NUMBERS[remote[1] as string] ?? 'unknown' }
  }
  const check = LOCAL_REMOTE.exec(m)
  if (check) {
    const local = parseEndpoint(check[2] as string)
    const far = parseEndpoint(check[3] as string)
    if (!local || !far) return undefined
    const name = check[1] as string
    const event = name.startsWith('Send binding request') ? 'check-sent' : CHECK_EVENTS[name as keyof typeof CHECK_EVENTS]
    return { kind: 'ice', t, format, event, local, remote: far }
  }
  if (/^\d+ Candidate responsed$/.test(m)) return { kind: 'ice', t, format, event: 'check-succeeded' }
  const select = SELECT_PAIR.exec(m)
  if (select) {
    const endpoint = parseEndpoint(select[1] as string)
    return endpoint ? { kind: 'selected-pair', t, format, remote: endpoint } : undefined
  }
  const ok = CONNECTION_OK.exec(m)
  if (ok) {
    const endpoint = parseEndpoint(ok[1] as string)
    return endpoint ? { kind: 'ice', t, format, event: 'connection-ok', remote: endpoint } : undefined
  }
  return undefined
}

export const peerDefaultLines: EspHandler = (record) =>
  record.message === 'DTLS handshake success' ? { kind: 'peer', t: record.t, format: 'esp-idf', event: 'dtls-connected' } : undefined

export const sctpLines: EspHandler = (record) => {
  const dcep = DCEP.exec(record.message)
  return dcep ? { kind: 'peer', t: record.t, format: 'esp-idf', event: 'data-channel-open', label: dcep[1] as string } : undefined
}

export const apprtcLines: EspHandler = (record: EspRecord) => {
  const m = record.message
  const t = record.t
  const format = 'esp-idf' as const
  if (m === 'result SUCCESS') return { kind: 'signalling', t, format, event: 'joined' }
  if (m === 'WEBSOCKET_EVENT_CONNECTED') return { kind: 'signalling', t, format, event: 'connected' }
  if (m.startsWith('Connecting to ') && m.endsWith('...')) return { kind: 'signalling', t, format, event: 'connecting', url: m.slice(14, -3) }
  if (m.startsWith('Begin to send offer to ')) return { kind: 'signalling', t, format, event: 'description-sent', url: m.slice(23) }
  return undefined
}

/** esp-peer's printf lines (no prefix); undefined when the line is none of them. */
export function espPeerPrintf(text: string): LogEventBody | undefined {
  const t = null
  const c = text.charCodeAt(0)
  if (c >= 48 && c <= 57) {
    const pair = SORTED_PAIR.exec(text)
    if (!pair) return undefined
    const local = parseEndpoint(pair[3] as string)
    const remote = parseEndpoint(pair[4] as string)
    if (!local || !remote) return undefined
    return { kind: 'candidate-pair', t, format: 'esp-peer', index: Number(pair[1]), local: endpointOnly(local), remote: endpointOnly(remote), type: TYPE_NUMBERS[pair[2] as string] ?? 'unknown' }
  }
  if (text.startsWith('Got url:')) {
    const match = GOT_URL.exec(text)
    if (match) return { kind: 'signalling', t, format: 'esp-peer', event: 'ice-servers', url: match[1] as string }
  }
  if (text.startsWith('Initials set to ') || text.startsWith('Got error code ') || text.startsWith('Works as ') || text.startsWith('on_close code ')) {
    return { kind: 'raw', t, format: 'esp-peer', text }
  }
  return undefined
}

function endpointOnly(endpoint: Endpoint): Endpoint {
  return { address: endpoint.address, port: endpoint.port }
}

/** esp-peer prints its TURN password ("psw:…"); PairKit never shows a TURN password. */
export function redactSecrets(text: string): string {
  return text.replace(/psw:\s*\S+/g, 'psw:***')
}
