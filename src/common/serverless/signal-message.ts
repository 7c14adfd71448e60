// Signalling payloads on <prefix>1 / <prefix>2: the one-character handshake ("0", "1", "2")
// and the JSON description {"desc", "cand0".."cand9"} (reference §3.3–§3.5). Incoming
// payloads are classified without ever throwing: hostile input yields a reason.
import { SERVERLESS } from './constants'
import { type CandidateParseError, type IceCandidate, parseCandidateLine, parseIceDescription, type ParsedIceDescription } from './ice-description'

export type HandshakeStep = '0' | '1' | '2'

export interface RejectedCandidate {
  key: string
  reason: CandidateParseError | 'not-a-string' | 'over-limit'
  detail: string
}

export interface RemoteDescription {
  /** The "desc" text as received. */
  desc: string
  description: ParsedIceDescription
  candidates: IceCandidate[]
  /** The accepted lines, verbatim, for events and logs. */
  candidateLines: string[]
  rejected: RejectedCandidate[]
  /** cand keys past libjuice's 20-candidate limit, or after a gap in the numbering. */
  ignoredKeys: number
}

export type SignalRejectReason =
  | 'too-large'
  | 'not-utf8'
  | 'not-json'
  | 'not-an-object'
  | 'desc-missing'
  | 'desc-not-a-string'
  | 'desc-invalid'
  | 'end-of-candidates'
  | 'unexpected-character'
  | 'empty'

export type SignalMessage =
  | { kind: 'handshake'; step: HandshakeStep }
  | { kind: 'description'; remote: RemoteDescription }
  | { kind: 'rejected'; reason: SignalRejectReason; detail: string }

const decoder = new TextDecoder('utf-8', { fatal: true })
const encoder = new TextEncoder()

/**
 * Largest payload the firmware can read on `topic`. Assumption: esp-mqtt's 1024-byte input
 * buffer must hold the whole QoS 1 PUBLISH: 1 byte fixed header, 2 bytes remaining length,
 * 2 + topic bytes, 2 bytes packet id, then the payload (about 990 bytes for the default topic).
 */
export function maxDescriptionBytes(topic: string): number {
  return SERVERLESS.SIGNAL_RX_BUFFER_BYTES - 1 - 2 - 2 - encoder.encode(topic).length - 2
}

/** Compact JSON; drops the last candidates (lowest preference) until it fits the firmware's buffer. */
export function encodeDescription(desc: string, candidateLines: readonly string[], topic: string): { json: string; dropped: string[] } {
  const budget = maxDescriptionBytes(topic)
  const kept = candidateLines.slice(0, SERVERLESS.MAX_SENT_CANDIDATES)
  const dropped = candidateLines.slice(SERVERLESS.MAX_SENT_CANDIDATES)
  for (;;) {
    const object: Record<string, string> = { desc }
    kept.forEach((line, index) => (object[`cand${index}`] = line))
    const json = JSON.stringify(object)
    if (encoder.encode(json).length <= budget || kept.length === 0) return { json, dropped }
    dropped.unshift(kept.pop() as string)
  }
}

/** Classifies one payload received on the subscribe topic. */
export function classifySignal(payload: Uint8Array, topic: string): SignalMessage {
  if (payload.length === 0) return reject('empty', 'an empty payload')
  if (payload.length === 1) {
    const char = String.fromCharCode(payload[0] as number)
    if (char === '0' || char === '1' || char === '2') return { kind: 'handshake', step: char }
    return reject('unexpected-character', `"${char}" is not a handshake step`)
  }
  const budget = maxDescriptionBytes(topic)
  if (payload.length > budget) return reject('too-large', `${payload.length} bytes; the firmware reads at most ${budget} on this topic`)
  let text: string
  try {
    text = decoder.decode(payload)
  } catch {
    return reject('not-utf8', 'the payload is not UTF-8 text')
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    return reject('not-json', error instanceof Error ? error.message : 'unparseable')
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return reject('not-an-object', 'the description must be a JSON object')
  const object = value as Record<string, unknown>
  if (!('desc' in object)) return reject('desc-missing', 'no "desc" key (the firmware ignores such messages)')
  if (typeof object.desc !== 'string') return reject('desc-not-a-string', `"desc" is ${typeof object.desc}`)
  const description = parseIceDescription(object.desc)
  if (!description.ok) return reject('desc-invalid', description.detail)
  // libjuice would refuse every candidate added after it (reference §3.5).
  if (description.endOfCandidates) return reject('end-of-candidates', 'desc contains a=end-of-candidates')
  return { kind: 'description', remote: collectCandidates(object.desc, description, object) }
}

function collectCandidates(desc: string, description: ParsedIceDescription, object: Record<string, unknown>): RemoteDescription {
  const candidates: IceCandidate[] = []
  const candidateLines: string[] = []
  const rejected: RejectedCandidate[] = []
  const accept = (key: string, line: unknown) => {
    if (typeof line !== 'string') {
      rejected.push({ key, reason: 'not-a-string', detail: `${key} is ${line === null ? 'null' : typeof line}` })
      return
    }
    const parsed = parseCandidateLine(line)
    if (!parsed.ok) rejected.push({ key, reason: parsed.reason, detail: parsed.detail })
    else if (candidates.length >= SERVERLESS.MAX_REMOTE_CANDIDATES) rejected.push({ key, reason: 'over-limit', detail: 'past libjuice\'s 20-candidate limit' })
    else {
      candidates.push(parsed.candidate)
      candidateLines.push(line)
    }
  }
  description.candidateLines.forEach((line, index) => accept(`desc[${index}]`, line))
  // Like the firmware: cand0, cand1, ... until the first missing key.
  let index = 0
  for (; `cand${index}` in object; index++) {
    if (index >= SERVERLESS.MAX_REMOTE_CANDIDATES) break
    accept(`cand${index}`, object[`cand${index}`])
  }
  const candKeys = Object.keys(object).filter((key) => /^cand\d+$/.test(key)).length
  return { desc, description, candidates, candidateLines, rejected, ignoredKeys: Math.max(0, candKeys - index) }
}

function reject(reason: SignalRejectReason, detail: string): SignalMessage {
  return { kind: 'rejected', reason, detail: detail.length > 200 ? `${detail.slice(0, 200)}…` : detail }
}

