// Both devices of a pair on one view: A's local candidates are what B should have received as
// remote ones, and the other way round. Sessions are matched by ICE ufrag where the logs show it
// (A's local ufrag is the remote ufrag B was given), so a view never joins two different rounds.
import type { Endpoint } from '../logs/events'
import type { IceDeviceModel, IceSession, ModelCandidate, ModelPair } from './model'

export interface CandidateDelivery {
  candidate: ModelCandidate
  /** The other device lists it among its remote candidates. */
  received: boolean
}

export interface PairViewPair extends ModelPair {
  /** Which device's log marks this pair selected: A's own, or B's selected pair seen from A. */
  selectedBy: ('a' | 'b')[]
}

export interface IcePairView {
  a: { name: string; session: IceSession | undefined }
  b: { name: string; session: IceSession | undefined }
  /** Each side's ufrags match the other's: the two sessions are one round of signalling. */
  sameRound: boolean
  /** A's local candidates, and whether B received each; then B's. */
  aToB: CandidateDelivery[]
  bToA: CandidateDelivery[]
  /** Remote candidates a device lists that the other never logged as its own. */
  unknownAtA: ModelCandidate[]
  unknownAtB: ModelCandidate[]
  /** A's candidate pairs (its own table), with the selection of either side marked. */
  pairs: PairViewPair[]
}

export function joinPair(a: { name: string; model: IceDeviceModel }, b: { name: string; model: IceDeviceModel }): IcePairView {
  const aSession = a.model.sessions.at(-1)
  const bSession = matchingSession(b.model, aSession) ?? b.model.sessions.at(-1)
  const aLocal = aSession?.local ?? []
  const bLocal = bSession?.local ?? []
  const aRemote = aSession?.remote ?? []
  const bRemote = bSession?.remote ?? []
  const pairs: PairViewPair[] = (aSession?.pairs ?? []).map((pair) => ({ ...pair, selectedBy: pair.selected ? ['a'] : [] }))
  // B's selected pair is (B's local → A's address); from A that is a pair whose remote is B's local.
  const bSelected = bSession?.selected
  if (bSelected?.local) {
    const mirror = pairs.find((pair) => same(pair.remote, bSelected.local as Endpoint))
    if (mirror) mirror.selectedBy.push('b')
  }
  return {
    a: { name: a.name, session: aSession },
    b: { name: b.name, session: bSession },
    sameRound: aSession !== undefined && bSession !== undefined && aSession.localUfrag !== undefined && aSession.localUfrag === bSession.remoteUfrag && bSession.localUfrag === aSession.remoteUfrag,
    aToB: aLocal.map((candidate) => ({ candidate, received: bRemote.some((other) => same(other, candidate)) })),
    bToA: bLocal.map((candidate) => ({ candidate, received: aRemote.some((other) => same(other, candidate)) })),
    unknownAtA: aRemote.filter((candidate) => !bLocal.some((other) => same(other, candidate))),
    unknownAtB: bRemote.filter((candidate) => !aLocal.some((other) => same(other, candidate))),
    pairs,
  }
}

/** The latest session of `model` that was given `session`'s local ufrag. */
function matchingSession(model: IceDeviceModel, session: IceSession | undefined): IceSession | undefined {
  if (!session?.localUfrag) return undefined
  for (let i = model.sessions.length - 1; i >= 0; i--) {
    const candidate = model.sessions[i] as IceSession
    if (candidate.remoteUfrag === session.localUfrag) return candidate
  }
  return undefined
}

function same(a: Endpoint, b: Endpoint): boolean {
  return a.address === b.address && a.port === b.port
}
