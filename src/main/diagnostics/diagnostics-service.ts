// DiagnosticsService: the ICE model and the diagnosis of every device whose console PairKit
// reads, and of every pair, computed here from every parsed event — not from what reaches a page,
// which may miss batches when it falls behind. The backend serves it as ice.device, ice.pair and
// diagnosis.list, and pushes ice.changed (at most every 250 ms per device or pair) so a view asks
// again only for what it shows.
//
// A device's model starts afresh with each monitor session on it (the session's lines are what
// the evidence points at) and stays after the session ends, until the next one opens. A pair is
// the two devices whose last probe found its settings: role 1 is site A, role 2 site B. PairKit's
// own peer can stand in for one side (addPeer), fed through the same events as a device.
import type { Device } from '../../common/contract/devices'
import type { DeviceIce, IceChanged, IcePairViewData, PairIce, PairSide } from '../../common/contract/ice'
import { deviceIdOf } from '../../common/devices/device-id'
import { linkLossFindings, type DiagnosisOptions, type Finding, type LinkSide } from '../../common/diagnosis'
import { PairKitError } from '../../common/errors'
import { Emitter, type Event } from '../../common/event'
import { joinPair } from '../../common/ice'
import { Disposable, toDisposable, type IDisposable } from '../../common/lifecycle'
import { peerEventToLogEvents, type LogEvent } from '../../common/logs'
import type { PeerEvent } from '../../common/serverless/peer-events'
import { DiagnosticsTrace, EMPTY_MODEL } from './diagnostics-trace'

/** ice.changed goes out at most this often for one device or pair. */
export const DIAGNOSTICS_PUSH_MS = 250
/** Traces of devices no longer monitored are kept until this many newer ones exist. */
const MAX_TRACES = 64

export interface DiagnosticsServiceOptions {
  /** The known devices with their probed facts (pair and role). */
  devices: { list(): Device[]; onDidChange: Event<Device[]> }
  pushIntervalMs?: number
  diagnosis?: DiagnosisOptions
  now?: () => number
}

/**
 * Feeds one monitor session's events. The trace replaces the device's once the session opened
 * (attach); a session that never opens leaves the device the trace it had.
 */
export interface MonitorTrace {
  push(event: LogEvent): void
  attach(sessionId: string): void
}

/** Where PairKit's own peer plays one side of a pair. */
export interface PeerSide {
  pairId: string
  role: 1 | 2
}

interface Members {
  a?: string
  b?: string
}

export class DiagnosticsService extends Disposable {
  private readonly traces = new Map<string, DiagnosticsTrace>()
  private readonly peers = new Map<string, PeerSide>()
  private members = new Map<string, Members>()
  private readonly dirtyDevices = new Set<string>()
  private readonly dirtyPairs = new Set<string>()
  private timer: ReturnType<typeof setTimeout> | undefined
  private lastPush = 0
  private readonly _onDidChange = this.register(new Emitter<IceChanged>())
  readonly onDidChange: Event<IceChanged> = this._onDidChange.event
  private readonly now: () => number

  constructor(private readonly options: DiagnosticsServiceOptions) {
    super()
    this.now = options.now ?? Date.now
    this.members = this.pairMembers(options.devices.list())
    this.register(options.devices.onDidChange((devices) => this.devicesChanged(devices)))
    this.register(toDisposable(() => clearTimeout(this.timer)))
  }

  /** A monitor session is opening on the device: its events start a fresh model. */
  traceMonitor(deviceRef: string): MonitorTrace {
    const deviceId = deviceIdOf(deviceRef)
    const trace = new DiagnosticsTrace(deviceId, 'monitor', this.now(), this.options.diagnosis)
    let current = false
    return {
      push: (event) => {
        trace.push(event)
        if (current) this.changed(deviceId)
      },
      attach: (sessionId) => {
        trace.attach(sessionId)
        current = true
        this.setTrace(deviceId, trace)
      },
    }
  }

  /**
   * PairKit's own peer as a source, named `name` (not a device link), optionally standing in for
   * one side of a pair. Its events go through the same adapter the CLI uses.
   */
  addPeer(name: string, events: Event<PeerEvent>, side?: PeerSide): IDisposable {
    const trace = new DiagnosticsTrace(name, 'peer', this.now(), this.options.diagnosis)
    this.setTrace(name, trace)
    if (side) {
      this.peers.set(name, side)
      this.devicesChanged(this.options.devices.list())
    }
    const subscription = events((event) => {
      for (const logEvent of peerEventToLogEvents(event)) trace.push(logEvent)
      this.changed(name)
    })
    return toDisposable(() => {
      subscription.dispose()
      if (this.peers.delete(name)) this.devicesChanged(this.options.devices.list())
    })
  }

  device(deviceRef: string): DeviceIce {
    const deviceId = this.keyOf(deviceRef)
    const trace = this.traces.get(deviceId)
    if (!trace) return { deviceId, model: EMPTY_MODEL, findings: [] }
    return { deviceId, source: trace.source, model: trace.snapshot(), findings: trace.findings() }
  }

  pair(pairId: string): PairIce {
    const members = this.members.get(pairId) ?? {}
    const a = this.side(members.a)
    const b = this.side(members.b)
    const view = joinPair({ name: members.a ?? 'site A', model: a.model }, { name: members.b ?? 'site B', model: b.model })
    const shown: IcePairViewData = {
      ...view,
      a: { name: view.a.name, ...(view.a.session ? { session: view.a.session } : {}) },
      b: { name: view.b.name, ...(view.b.session ? { session: view.b.session } : {}) },
    }
    const links = this.linkSides(members)
    const linkFindings = links ? linkLossFindings(links.a, links.b) : []
    return { pairId, a: a.side, b: b.side, view: shown, findings: sortFindings([...a.findings, ...b.findings, ...linkFindings]) }
  }

  /** Both sides' link tallies, when both are read. */
  private linkSides(members: Members): { a: LinkSide; b: LinkSide } | undefined {
    const a = members.a === undefined ? undefined : this.traces.get(members.a)
    const b = members.b === undefined ? undefined : this.traces.get(members.b)
    if (!a || !b) return undefined
    return { a: { name: a.name, site: 'site A', tally: a.link }, b: { name: b.name, site: 'site B', tally: b.link } }
  }

  findings(target: { deviceId: string } | { pairId: string }): Finding[] {
    if ('pairId' in target) return this.pair(target.pairId).findings
    return this.device(target.deviceId).findings
  }

  /** The pairs PairKit knows members of, with their devices (tests, the CLI). */
  pairsKnown(): Map<string, Members> {
    return new Map(this.members)
  }

  private side(deviceId: string | undefined): { side: PairSide; model: DeviceIce['model']; findings: Finding[] } {
    if (deviceId === undefined) return { side: { timeline: [], reboots: 0 }, model: EMPTY_MODEL, findings: [] }
    const { source, model, findings } = this.device(deviceId)
    return { side: { deviceId, ...(source ? { source } : {}), timeline: model.timeline, reboots: model.reboots.length }, model, findings }
  }

  /** A peer's name as given; anything else as the normalised device link. */
  private keyOf(ref: string): string {
    if (this.traces.has(ref)) return ref
    try {
      return deviceIdOf(ref)
    } catch {
      throw new PairKitError('BAD_INPUT', `"${ref}" is not a device PairKit knows`, { hint: 'Pick a device from the list of known devices.' })
    }
  }

  private setTrace(key: string, trace: DiagnosticsTrace): void {
    // Re-inserted so the map's order is the order of last use, oldest first.
    this.traces.delete(key)
    this.traces.set(key, trace)
    for (const old of [...this.traces.keys()].slice(0, Math.max(0, this.traces.size - MAX_TRACES))) this.traces.delete(old)
    this.changed(key)
  }

  private changed(key: string): void {
    this.dirtyDevices.add(key)
    this.schedule()
  }

  private devicesChanged(devices: Device[]): void {
    const next = this.pairMembers(devices)
    for (const pairId of new Set([...this.members.keys(), ...next.keys()])) {
      const before = this.members.get(pairId)
      const after = next.get(pairId)
      if (before?.a !== after?.a || before?.b !== after?.b) this.dirtyPairs.add(pairId)
    }
    this.members = next
    if (this.dirtyPairs.size > 0) this.schedule()
  }

  /** Per pair id: the device of role 1 and of role 2 (the latest probed, when two claim one); a peer standing in wins. */
  private pairMembers(devices: Device[]): Map<string, Members> {
    const members = new Map<string, Members>()
    const probedAt = new Map<string, number>()
    for (const device of devices) {
      const facts = device.facts
      if (!facts?.pairId || !facts.role) continue
      const entry = members.get(facts.pairId) ?? {}
      const key = facts.role === 1 ? 'a' : 'b'
      const holder = entry[key]
      if (holder === undefined || (probedAt.get(holder) ?? 0) < facts.probedAt) {
        entry[key] = device.id
        probedAt.set(device.id, facts.probedAt)
      }
      members.set(facts.pairId, entry)
    }
    for (const [name, side] of this.peers) {
      const entry = members.get(side.pairId) ?? {}
      entry[side.role === 1 ? 'a' : 'b'] = name
      members.set(side.pairId, entry)
    }
    return members
  }

  private schedule(): void {
    if (this.timer !== undefined) return
    const interval = this.options.pushIntervalMs ?? DIAGNOSTICS_PUSH_MS
    this.timer = setTimeout(() => this.push(), Math.max(0, this.lastPush + interval - this.now()))
  }

  private push(): void {
    this.timer = undefined
    this.lastPush = this.now()
    const devices = [...this.dirtyDevices]
    this.dirtyDevices.clear()
    for (const [pairId, members] of this.members) {
      if ((members.a !== undefined && devices.includes(members.a)) || (members.b !== undefined && devices.includes(members.b))) this.dirtyPairs.add(pairId)
    }
    const pairs = [...this.dirtyPairs]
    this.dirtyPairs.clear()
    for (const deviceId of devices) this._onDidChange.fire({ kind: 'device', deviceId })
    for (const pairId of pairs) this._onDidChange.fire({ kind: 'pair', pairId })
  }
}

function sortFindings(findings: Finding[]): Finding[] {
  const rank = { error: 0, warning: 1, info: 2 } as const
  return findings.sort((a, b) => rank[a.severity] - rank[b.severity])
}
