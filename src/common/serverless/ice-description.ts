// The ICE description ("desc") and candidate lines in the exact text form libjuice
// reads and writes (reference §3.5, §4.1, §4.2). Parsing mirrors libjuice's acceptance
// rules so that PairKit refuses what the firmware would refuse, with a reason.

export interface IceCredentials {
  ufrag: string
  pwd: string
}

export interface ParsedIceDescription extends IceCredentials {
  iceLite: boolean
  endOfCandidates: boolean
  /** `a=candidate:` lines found inside desc (libjuice's SDP parser accepts them there). */
  candidateLines: string[]
}

export type CandidateType = 'host' | 'srflx' | 'relay'

export interface IceCandidate {
  foundation: string
  component: number
  priority: number
  address: string
  port: number
  type: CandidateType
  relatedAddress?: string
  relatedPort?: number
}

export type CandidateParseError =
  | 'no-prefix'
  | 'too-few-fields'
  | 'field-too-long'
  | 'bad-number'
  | 'not-udp'
  | 'prflx-ignored'
  | 'unknown-type'
  | 'not-numeric-ipv4'

export type ParseResult<T, E extends string> = ({ ok: true } & T) | { ok: false; reason: E; detail: string }

export const CANDIDATE_PREFIX = 'a=candidate:'
/** libjuice reads foundation/transport/type with %32s and the address with %256s. */
const MAX_TOKEN = 32
const MAX_ADDRESS = 256
/** Longest candidate line worth parsing; libjuice's own lines are < 120 characters. */
export const MAX_CANDIDATE_LINE = 512

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/

export function parseIceDescription(text: string): ParseResult<ParsedIceDescription, 'missing-ufrag' | 'missing-pwd' | 'field-too-long'> {
  let ufrag: string | undefined
  let pwd: string | undefined
  let iceLite = false
  let endOfCandidates = false
  const candidateLines: string[] = []
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r/g, '')
    if (line.startsWith('a=ice-ufrag:')) ufrag = firstToken(line.slice('a=ice-ufrag:'.length))
    else if (line.startsWith('a=ice-pwd:')) pwd = firstToken(line.slice('a=ice-pwd:'.length))
    else if (line.startsWith('a=ice-lite')) iceLite = true
    else if (line.startsWith('a=end-of-candidates')) endOfCandidates = true
    else if (line.startsWith(CANDIDATE_PREFIX)) candidateLines.push(line)
  }
  if (!ufrag) return { ok: false, reason: 'missing-ufrag', detail: 'desc has no a=ice-ufrag: line' }
  if (!pwd) return { ok: false, reason: 'missing-pwd', detail: 'desc has no a=ice-pwd: line' }
  if (ufrag.length > MAX_ADDRESS || pwd.length > MAX_ADDRESS) return { ok: false, reason: 'field-too-long', detail: 'ufrag or pwd longer than 256 characters' }
  return { ok: true, ufrag, pwd, iceLite, endOfCandidates, candidateLines }
}

/** The three CRLF lines libjuice's juice_get_local_description() produces; never a=end-of-candidates. */
export function formatIceDescription({ ufrag, pwd }: IceCredentials, iceOptions = 'ice2,trickle'): string {
  return `a=ice-ufrag:${ufrag}\r\na=ice-pwd:${pwd}\r\na=ice-options:${iceOptions}\r\n`
}

export function parseCandidateLine(line: string): ParseResult<{ candidate: IceCandidate }, CandidateParseError> {
  const fail = (reason: CandidateParseError, detail: string) => ({ ok: false as const, reason, detail })
  if (line.length > MAX_CANDIDATE_LINE) return fail('field-too-long', `${line.length} characters`)
  if (!line.startsWith(CANDIDATE_PREFIX)) return fail('no-prefix', 'libjuice requires the a=candidate: prefix')
  const tokens = line.slice(CANDIDATE_PREFIX.length).trim().split(/\s+/)
  if (tokens.length < 8 || tokens[6] !== 'typ') return fail('too-few-fields', 'expected "<foundation> <component> UDP <priority> <ip> <port> typ <type>"')
  const [foundation, componentText, transport, priorityText, address, portText, , type] = tokens as [string, string, string, string, string, string, string, string]
  if (foundation.length > MAX_TOKEN || transport.length > MAX_TOKEN || type.length > MAX_TOKEN || address.length > MAX_ADDRESS) {
    return fail('field-too-long', 'a field is longer than libjuice reads')
  }
  const component = parseDecimal(componentText, 256)
  const priority = parseDecimal(priorityText, 0xffffffff)
  const port = parseDecimal(portText, 65535)
  if (component === undefined || priority === undefined || port === undefined || port === 0) {
    return fail('bad-number', `component "${componentText}", priority "${priorityText}" or port "${portText}" is not a valid number`)
  }
  if (transport.toLowerCase() !== 'udp') return fail('not-udp', `transport "${transport}"`)
  if (type === 'prflx') return fail('prflx-ignored', 'libjuice ignores peer-reflexive candidates')
  if (type !== 'host' && type !== 'srflx' && type !== 'relay') return fail('unknown-type', `type "${type}"`)
  // libjuice resolves with AI_NUMERICHOST and the firmware is IPv4 only: no mDNS names, no IPv6.
  if (!IPV4.test(address)) return fail('not-numeric-ipv4', `address "${address}"`)
  const candidate: IceCandidate = { foundation, component, priority, address, port, type }
  for (let i = 8; i + 1 < tokens.length; i += 2) {
    if (tokens[i] === 'raddr') candidate.relatedAddress = tokens[i + 1]
    else if (tokens[i] === 'rport') candidate.relatedPort = parseDecimal(tokens[i + 1] as string, 65535)
  }
  return { ok: true, candidate }
}

/** libjuice's own form: srflx/relay always end in "raddr 0.0.0.0 rport 0"; no generation or ufrag. */
export function formatCandidateLine(candidate: IceCandidate): string {
  const base = `${CANDIDATE_PREFIX}${candidate.foundation} ${candidate.component} UDP ${candidate.priority} ${candidate.address} ${candidate.port} typ ${candidate.type}`
  return candidate.type === 'host' ? base : `${base} raddr 0.0.0.0 rport 0`
}

function firstToken(text: string): string | undefined {
  const token = text.trim().split(/\s+/)[0]
  return token ? token : undefined
}

function parseDecimal(text: string, max: number): number | undefined {
  if (!/^\d{1,10}$/.test(text)) return undefined
  const value = Number(text)
  return value <= max ? value : undefined
}
