// Candidate lines as the logs carry them: libjuice's "a=candidate:…" form (the JSON description's
// candN values, the printf echo of the other side's), werift's form without the prefix, and
// lines libjuice itself would refuse (prflx, IPv6, host names), which a log still shows.
import { CANDIDATE_PREFIX, parseCandidateLine } from '../serverless/ice-description'
import type { CandidateTypeName, LogEventOf, LogFormat } from './events'

const TYPES: ReadonlySet<string> = new Set(['host', 'srflx', 'prflx', 'relay'])

export function candidateEvent(
  line: string,
  side: 'local' | 'remote',
  t: number | null,
  format: LogFormat,
  key?: string,
): LogEventOf<'candidate'> | undefined {
  const base = { kind: 'candidate' as const, t, format, side }
  let body = line.trim()
  const strict = parseCandidateLine(body)
  if (body.startsWith(CANDIDATE_PREFIX)) body = body.slice(CANDIDATE_PREFIX.length)
  else if (body.startsWith('candidate:')) body = body.slice('candidate:'.length)
  const tokens = body.split(/\s+/)
  if (strict.ok) {
    const { candidate } = strict
    return {
      ...base,
      foundation: candidate.foundation,
      component: candidate.component,
      transport: tokens[2] ?? 'UDP',
      priority: candidate.priority,
      address: candidate.address,
      port: candidate.port,
      type: candidate.type,
      ...(candidate.relatedAddress === undefined ? {} : { relatedAddress: candidate.relatedAddress }),
      ...(candidate.relatedPort === undefined ? {} : { relatedPort: candidate.relatedPort }),
      ...(key === undefined ? {} : { key }),
    }
  }
  // What libjuice refuses may still be a well-formed candidate worth showing.
  if (tokens.length < 8 || tokens[6] !== 'typ') return undefined
  const [foundation, componentText, transport, priorityText, address, portText, , typeText] = tokens as [string, string, string, string, string, string, string, string]
  const component = Number(componentText)
  const priority = Number(priorityText)
  const port = Number(portText)
  if (!/^\d{1,3}$/.test(componentText) || !/^\d{1,10}$/.test(priorityText) || !/^\d{1,5}$/.test(portText) || port > 65535) return undefined
  const type: CandidateTypeName = TYPES.has(typeText) ? (typeText as CandidateTypeName) : 'unknown'
  const event: LogEventOf<'candidate'> = {
    ...base,
    foundation,
    component,
    transport,
    priority,
    address,
    port,
    type,
    unusable: strict.reason === 'no-prefix' ? 'no a=candidate: prefix (libjuice drops it)' : strict.detail,
  }
  if (key !== undefined) event.key = key
  for (let i = 8; i + 1 < tokens.length; i += 2) {
    if (tokens[i] === 'raddr') event.relatedAddress = tokens[i + 1] as string
    else if (tokens[i] === 'rport' && /^\d{1,5}$/.test(tokens[i + 1] as string)) event.relatedPort = Number(tokens[i + 1])
  }
  return event
}
