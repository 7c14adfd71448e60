// One device's ICE, built from its events (a device's log through LogParser, or PairKit's own peer
// through peerEventsToLogEvents): the state timeline, and per ICE session (one attempt: a boot of
// the firmware, or one round of PairKit's peer) the local and remote candidates, the candidate
// pairs with the selected one marked, the role and the STUN result. `apply` folds one event in;
// `snapshot` gives plain JSON. Bounded: old sessions and timeline entries are dropped on long streams.
import type { Endpoint, IceStateName, LogEvent, LogEventOf } from '../logs/events'
import type { IceDeviceModel, IceSession, IceStateEntry, IceVariant, ModelCandidate, ModelPair } from './model'
import { formPairs } from './pairing'

export interface IceModelOptions {
  maxSessions?: number
  maxTimeline?: number
  maxReboots?: number
}

interface SessionBuilder {
  index: number
  variant: IceVariant
  firstLine: number | undefined
  role: 'controlling' | 'controlled' | undefined
  roleConflict: boolean
  localUfrag: string | undefined
  remoteUfrag: string | undefined
  state: IceStateName | null
  connected: boolean
  local: Map<string, ModelCandidate>
  remote: Map<string, ModelCandidate>
  loggedPairs: Map<number, LogEventOf<'candidate-pair'>>
  checksSent: Map<string, number>
  selected: IceSession['selected']
  stun: IceSession['stun']
}

/** ICE-related kinds: one of these after a reboot starts a new session. */
const ICE_KINDS: ReadonlySet<LogEvent['kind']> = new Set(['ice-state', 'ice', 'candidate', 'candidate-pair', 'selected-pair', 'description', 'stun'])
/** States after which "gathering" means a new attempt. */
const PAST_GATHERING: ReadonlySet<IceStateName> = new Set(['connecting', 'connected', 'completed', 'failed', 'disconnected'])

export class IceModel {
  private readonly sessions: SessionBuilder[] = []
  private readonly timeline: IceStateEntry[] = []
  private readonly reboots: (IceDeviceModel['reboots'][number] & { announced: boolean })[] = []
  /** No ICE event since the last reboot event (for merging an announced reboot with its reset). */
  private rebootIsLatest = false
  private sessionCount = 0
  private droppedSessions = 0
  private droppedTimeline = 0
  /** The next ICE event starts a new session (at the start, and after a reboot). */
  private fresh = true
  private readonly maxSessions: number
  private readonly maxTimeline: number
  private readonly maxReboots: number

  constructor(options: IceModelOptions = {}) {
    this.maxSessions = options.maxSessions ?? 32
    this.maxTimeline = options.maxTimeline ?? 2000
    this.maxReboots = options.maxReboots ?? 1000
  }

  /** Folds every event of `events` in; returns this. */
  applyAll(events: Iterable<LogEvent>): this {
    for (const event of events) this.apply(event)
    return this
  }

  apply(event: LogEvent): void {
    if (event.kind === 'reboot') {
      this.fresh = true
      // An announced reboot and the ROM's reset line after it are one reboot.
      const last = this.reboots.at(-1)
      if (!(last && last.announced && !event.announced && this.rebootIsLatest)) {
        push(this.reboots, { t: event.t, ...(event.hostTime === undefined ? {} : { hostTime: event.hostTime }), cause: event.cause, ...(event.sourceLine === undefined ? {} : { sourceLine: event.sourceLine }), announced: event.announced === true }, this.maxReboots)
      }
      this.rebootIsLatest = true
      return
    }
    if (!ICE_KINDS.has(event.kind)) return
    this.rebootIsLatest = false
    if (event.kind === 'ice-state' && event.state === 'gathering') {
      const current = this.sessions.at(-1)
      if (current?.state && PAST_GATHERING.has(current.state)) this.fresh = true
    }
    const session = this.session(event)
    noteVariant(session, event)
    switch (event.kind) {
      case 'ice-state':
        this.state(session, event)
        break
      case 'candidate':
        addCandidate(event.side === 'local' ? session.local : session.remote, candidateOf(event))
        break
      case 'candidate-pair':
        session.loggedPairs.set(event.index, event)
        addCandidate(session.local, { ...event.local, type: event.type ?? 'unknown', component: 1, transport: 'UDP', priority: null, foundation: null, inferred: true, ...lineOf(event) })
        break
      case 'selected-pair':
        session.selected = { remote: { ...event.remote }, ...(event.local ? { local: { ...event.local } } : {}), ...lineOf(event) }
        break
      case 'description':
        if (event.side === 'local' && event.ufrag) session.localUfrag = event.ufrag
        if (event.side === 'remote' && event.ufrag) session.remoteUfrag = event.ufrag
        break
      case 'stun':
        if (event.event === 'server' && event.host) session.stun.server = `${event.host}:${event.port ?? ''}`
        else if (event.event === 'mapped' && event.address !== undefined && event.port !== undefined) session.stun.mapped = { address: event.address, port: event.port }
        else if (event.event === 'binding-failed') session.stun.failed = true
        break
      case 'ice':
        if (event.event === 'role' && event.controlling !== undefined) {
          session.role = event.controlling ? 'controlling' : 'controlled'
        } else if (event.event === 'role-conflict') session.roleConflict = true
        else if (event.event === 'check-sent' && event.local && event.remote) {
          const key = pairKey(event.local, event.remote)
          session.checksSent.set(key, (session.checksSent.get(key) ?? 0) + 1)
        }
        break
    }
  }

  snapshot(): IceDeviceModel {
    return {
      sessions: this.sessions.map(snapshotSession),
      timeline: this.timeline.map((entry) => ({ ...entry })),
      reboots: this.reboots.map(({ announced: _announced, ...reboot }) => reboot),
      droppedSessions: this.droppedSessions,
      droppedTimeline: this.droppedTimeline,
    }
  }

  /** The latest session, or undefined before any ICE event. */
  latest(): IceSession | undefined {
    const session = this.sessions.at(-1)
    return session ? snapshotSession(session) : undefined
  }

  private session(event: LogEvent): SessionBuilder {
    const current = this.sessions.at(-1)
    if (current && !this.fresh) return current
    this.fresh = false
    const session: SessionBuilder = {
      index: this.sessionCount++,
      variant: 'unknown',
      firstLine: event.sourceLine,
      role: undefined,
      roleConflict: false,
      localUfrag: undefined,
      remoteUfrag: undefined,
      state: null,
      connected: false,
      local: new Map(),
      remote: new Map(),
      loggedPairs: new Map(),
      checksSent: new Map(),
      selected: undefined,
      stun: { failed: false },
    }
    this.sessions.push(session)
    if (this.sessions.length > this.maxSessions) {
      this.sessions.shift()
      this.droppedSessions++
    }
    return session
  }

  private state(session: SessionBuilder, event: LogEventOf<'ice-state'>): void {
    if (event.controlling !== undefined) session.role = event.controlling ? 'controlling' : 'controlled'
    if (event.state === 'connected' || event.state === 'completed') session.connected = true
    const last = this.timeline.at(-1)
    session.state = event.state
    // libjuice's "Changing state to X" and the example's "JUICE state change: X" are one change.
    if (last && last.session === session.index && last.state === event.state) {
      if (last.t === null && event.t !== null) last.t = event.t
      if (last.hostTime === undefined && event.hostTime !== undefined) last.hostTime = event.hostTime
      return
    }
    const entry: IceStateEntry = { t: event.t, state: event.state, session: session.index }
    if (event.hostTime !== undefined) entry.hostTime = event.hostTime
    if (event.sourceLine !== undefined) entry.sourceLine = event.sourceLine
    if (this.timeline.push(entry) > this.maxTimeline) {
      this.timeline.shift()
      this.droppedTimeline++
    }
  }
}

function push<T>(list: T[], item: T, max: number): void {
  list.push(item)
  if (list.length > max) list.shift()
}

function lineOf(event: LogEvent): { sourceLine?: number } {
  return event.sourceLine === undefined ? {} : { sourceLine: event.sourceLine }
}

function noteVariant(session: SessionBuilder, event: LogEvent): void {
  if (session.variant !== 'unknown') return
  if (event.format === 'pairkit') session.variant = 'pairkit'
  else if (event.format === 'esp-peer' || (event.kind === 'ice-state' && event.peerState !== undefined) || (event.kind === 'ice' && event.event === 'role')) session.variant = 'esp-peer'
  else if (event.format === 'libjuice' || (event.kind === 'ice-state' && event.format === 'esp-idf') || (event.kind === 'description' && event.format === 'esp-idf')) session.variant = 'libjuice'
}

function candidateOf(event: LogEventOf<'candidate'>): ModelCandidate {
  const candidate: ModelCandidate = {
    address: event.address,
    port: event.port,
    type: event.type,
    component: event.component,
    transport: event.transport,
    priority: event.priority,
    foundation: event.foundation,
  }
  if (event.relatedAddress !== undefined) candidate.relatedAddress = event.relatedAddress
  if (event.relatedPort !== undefined) candidate.relatedPort = event.relatedPort
  if (event.key !== undefined) candidate.key = event.key
  if (event.unusable !== undefined) candidate.unusable = event.unusable
  if (event.sourceLine !== undefined) candidate.sourceLine = event.sourceLine
  return candidate
}

/** The same candidate logged twice (the JSON and a DEBUG line, or a pair) is kept once; a fuller entry wins. */
function addCandidate(table: Map<string, ModelCandidate>, candidate: ModelCandidate): void {
  // The type is part of the key: a srflx candidate at its host's own address (no NAT) is announced as well.
  const key = `${candidate.address}|${candidate.port}|${candidate.component}|${candidate.type}`
  const existing = table.get(key)
  if (!existing || (existing.inferred && !candidate.inferred) || (existing.priority === null && candidate.priority !== null)) table.set(key, candidate)
}

function pairKey(local: Endpoint, remote: Endpoint): string {
  return `${local.address}|${local.port}|${remote.address}|${remote.port}`
}

function sameEndpoint(a: Endpoint | undefined, b: Endpoint): boolean {
  return a !== undefined && a.address === b.address && a.port === b.port
}

function snapshotSession(session: SessionBuilder): IceSession {
  const local = [...session.local.values()].map((candidate) => ({ ...candidate }))
  const remote = [...session.remote.values()].map((candidate) => ({ ...candidate }))
  const roleLogged = session.role !== undefined
  // libjuice in the example always starts controlling; werift and esp-peer log their role.
  const role = session.role ?? 'controlling'
  let pairs: ModelPair[]
  if (session.loggedPairs.size > 0) {
    pairs = [...session.loggedPairs.values()]
      .sort((a, b) => a.index - b.index)
      .map((pair) => ({
        local: { ...pair.local, ...(pair.type ? { type: pair.type } : {}) },
        remote: { ...pair.remote, ...typeOf(session.remote, pair.remote) },
        priority: null,
        origin: 'logged' as const,
        index: pair.index,
        selected: false,
        checksSent: session.checksSent.get(pairKey(pair.local, pair.remote)) ?? 0,
      }))
  } else {
    // libjuice ignores remote candidates it cannot use (prflx, names, IPv6 in this firmware).
    const usable = session.variant === 'libjuice' ? remote.filter((candidate) => candidate.unusable === undefined) : remote
    pairs = formPairs(local, usable, role === 'controlling').map((pair) => ({
      local: { address: pair.local.address, port: pair.local.port, type: pair.local.type },
      remote: { address: pair.remote.address, port: pair.remote.port, type: pair.remote.type },
      priority: pair.priority === null ? null : pair.priority.toString(),
      origin: 'formed' as const,
      selected: false,
      checksSent: session.checksSent.get(pairKey(pair.local, pair.remote)) ?? 0,
    }))
  }
  const selected = session.selected
  if (selected) {
    const match = pairs.find((pair) => sameEndpoint(pair.remote, selected.remote) && (!selected.local || sameEndpoint(pair.local, selected.local)))
      ?? pairs.find((pair) => sameEndpoint(pair.remote, selected.remote))
    if (match) match.selected = true
  }
  const snapshot: IceSession = {
    index: session.index,
    variant: session.variant,
    role,
    roleLogged,
    roleConflict: session.roleConflict,
    state: session.state,
    connected: session.connected,
    local,
    remote,
    pairs,
    stun: { ...session.stun },
  }
  if (session.firstLine !== undefined) snapshot.firstLine = session.firstLine
  if (session.localUfrag !== undefined) snapshot.localUfrag = session.localUfrag
  if (session.remoteUfrag !== undefined) snapshot.remoteUfrag = session.remoteUfrag
  if (selected) snapshot.selected = { ...selected }
  return snapshot
}

function typeOf(table: Map<string, ModelCandidate>, endpoint: Endpoint): { type?: ModelCandidate['type'] } {
  for (const candidate of table.values()) if (sameEndpoint(candidate, endpoint)) return { type: candidate.type }
  return {}
}

/** The model of a whole event list. */
export function buildIceModel(events: Iterable<LogEvent>, options?: IceModelOptions): IceDeviceModel {
  return new IceModel(options).applyAll(events).snapshot()
}
