// Groups the observations of one message into a crossing and decides its direction and fate.
//
// A message published on site X is seen by X's MQTT subscriber (the origin) and, once the
// bridge has republished it, by Y's (the arrival), with the same topic and payload; the consoles
// and PairKit's peer say so too ("handle_message" = sent by X's bridge, "forwarding remote
// message" = received by Y's). An observation joins the oldest open crossing on its topic whose
// content matches (byte hash, console text hash or exact size, see payload-hash.ts), whose
// first observation is within the window, which does not have an observation from the same
// source on the same site yet, and whose origin the observation does not contradict. Otherwise
// it starts a crossing.
//
// The origin is what the consoles or the peer say. Without them (MQTT on both sites): the site
// where it had the higher QoS, as the firmware republishes everything at QoS 0 (§2.4); else the
// site that saw it first by the host's clock, as both subscribers run on this host and the
// republish cannot come before the publish. Arrival order does not matter.
//
// windowMs after its first observation a crossing is settled: seen on both sites, it crossed;
// seen only where it arrived, it crossed (its publish was not seen); seen only at its origin, it
// is lost if the other site is watched (with the reason the evidence gives, see settleLost),
// a duplicate if it repeats an arrival of a crossing that already crossed, and unseen if
// nobody watches the other site. A crossing stays open to late observations for another
// window: a late arrival turns lost into crossed.
//
// Memory is bounded by the window: crossings are forgotten windowMs after they settle; at most
// MAX_OPEN are open (beyond that the oldest settle early).
import { directionFrom, otherSite, type LostReason, type Site, type SourceKind, type TrafficDirection } from './model'
import { exceedsWrapLimit, isShortPayload, lostDetail } from './lost-reasons'

/** What an observation says about where the message came from. */
export type ObservationRole =
  | 'unknown' // an MQTT subscriber: a publish or a republish
  | 'sent' // this site's bridge sent it to the other site (handle_message, peer to-peer)
  | 'received' // this site's bridge received it from the other site (forwarding remote message, peer from-peer)

export interface Observation {
  site: Site
  source: SourceKind
  /** Host clock (ms). */
  t: number
  topic: string
  size: number
  /** Whether `size` is the payload's exact size (MQTT, peer), not a console text's. */
  exactSize: boolean
  hash?: number
  textHash?: number
  /** As delivered to PairKit's subscriber (MQTT). */
  qos?: number
  role: ObservationRole
}

export type CrossingFate = 'pending' | 'crossed' | 'lost' | 'duplicate' | 'unseen'

/** The counter a crossing counts in now. */
export type CrossingCategory =
  | { kind: 'pending' | 'crossed' | 'lost' | 'duplicate'; direction: 'a-to-b' | 'b-to-a'; bytes: number; reason?: LostReason }
  | { kind: 'unseen'; site: Site }

export interface Crossing<R> {
  readonly id: number
  readonly topic: string
  /** The rows of its observations, in arrival order. */
  readonly rows: R[]
  readonly origin: Site
  /** What its rows show: unknown while neither the evidence nor the other site tells. */
  readonly direction: TrafficDirection
  /** Whether the origin is known (from the evidence, or from seeing both sites), not guessed. */
  readonly originKnown: boolean
  readonly fate: CrossingFate
  readonly latencyMs: number | undefined
  readonly lostReason: LostReason | undefined
  readonly detail: string | undefined
  readonly category: CrossingCategory
}

/** A firmware or peer log line saying a message was dropped (they carry no payload). */
export interface DropEvidence {
  site: Site
  t: number
  /** no-local-client, invalid-message, too-long, not-linked, or a peer DropReason. */
  reason: string
  direction: 'to-peer' | 'from-peer' | 'local'
  topic?: string
  /** How many messages it stands for (PairKit's peer reports drops in aggregate). */
  count: number
}

export interface CorrelatorOptions<R> {
  windowMs: number
  /** Whether any source watches the site now (otherwise a message there cannot be seen to arrive). */
  isWatched(site: Site): boolean
  /** Whether a source without payloads (PairKit's peer) is watching: then crossings are also found by topic and size. */
  matchBySize(): boolean
  /** Whether the site's console has shown handle_message lines lately (so a missing one means something). */
  consoleShowsForwards(site: Site, t: number): boolean
  /**
   * A crossing changed: `added` joined it (a new observation), or it settled. `before` is the
   * category it counted in until now (undefined for a new crossing).
   */
  onChange(crossing: Crossing<R>, before: CrossingCategory | undefined, added: R | undefined): void
}

/** Beyond this many open crossings the oldest settle early, so a flood cannot exhaust memory. */
export const MAX_OPEN = 200_000
/** Entries of one key list looked at per observation (a hot topic repeating one payload). */
const SCAN_LIMIT = 256
/** Link-state changes remembered per site. */
const MAX_LINK_CHANGES = 64

const SOURCE_BIT: Record<SourceKind, number> = { mqtt: 1, console: 2, peer: 4, signalling: 8 }

interface SitePresence {
  /** SOURCE_BIT of the sources that saw it here. */
  sources: number
  first: number
  /** First MQTT observation here: the time that best compares across sites. */
  firstMqtt: number | undefined
  /** The highest QoS an MQTT subscriber saw it with here. */
  mqttQos: number | undefined
}

class CrossingRecord<R> implements Crossing<R> {
  readonly rows: R[] = []
  readonly keys: string[] = []
  A: SitePresence | undefined
  B: SitePresence | undefined
  size: number
  exactSize: boolean
  hash: number | undefined
  textHash: number | undefined
  first: number
  readonly settleAt: number
  /** The origin the evidence gives (a console or peer line), if any. */
  evidenceOrigin: Site | undefined
  /** The origin site's bridge is known to have sent it. */
  sentEvidence = false
  settled = false
  /** A crossing that already crossed to this one's site with the same content. */
  duplicateOf: CrossingRecord<R> | undefined
  fateValue: CrossingFate = 'pending'
  lostReason: LostReason | undefined
  detail: string | undefined
  category: CrossingCategory

  constructor(
    readonly id: number,
    readonly topic: string,
    observation: Observation,
    windowMs: number,
  ) {
    this.size = observation.size
    this.exactSize = observation.exactSize
    this.hash = observation.hash
    this.textHash = observation.textHash
    this.first = observation.t
    this.settleAt = observation.t + windowMs
    this.category = { kind: 'pending', direction: directionFrom(observation.site), bytes: 0 }
  }

  presence(site: Site): SitePresence | undefined {
    return site === 'A' ? this.A : this.B
  }

  get both(): boolean {
    return this.A !== undefined && this.B !== undefined
  }

  get origin(): Site {
    if (this.evidenceOrigin) return this.evidenceOrigin
    const a = this.A
    const b = this.B
    if (a && b) {
      if (a.mqttQos !== undefined && b.mqttQos !== undefined && a.mqttQos !== b.mqttQos) return a.mqttQos > b.mqttQos ? 'A' : 'B'
      const ta = a.firstMqtt !== undefined && b.firstMqtt !== undefined ? a.firstMqtt : a.first
      const tb = a.firstMqtt !== undefined && b.firstMqtt !== undefined ? b.firstMqtt : b.first
      return tb < ta ? 'B' : 'A'
    }
    return a ? 'A' : 'B'
  }

  get originKnown(): boolean {
    return this.evidenceOrigin !== undefined || this.both
  }

  get direction(): TrafficDirection {
    const fate = this.fate
    if (fate === 'duplicate' && this.duplicateOf) return directionFrom(this.duplicateOf.origin)
    if (fate === 'lost') return directionFrom(this.origin)
    return this.originKnown ? directionFrom(this.origin) : 'unknown'
  }

  get fate(): CrossingFate {
    if (this.settled) return this.fateValue
    return this.both ? 'crossed' : 'pending'
  }

  get latencyMs(): number | undefined {
    const a = this.A
    const b = this.B
    if (!a || !b) return undefined
    const useMqtt = a.firstMqtt !== undefined && b.firstMqtt !== undefined
    const from = this.origin === 'A' ? a : b
    const to = this.origin === 'A' ? b : a
    return Math.max(0, (useMqtt ? (to.firstMqtt as number) : to.first) - (useMqtt ? (from.firstMqtt as number) : from.first))
  }
}

interface KeyList<R> {
  items: CrossingRecord<R>[]
  head: number
  /** Per site and source: items before this index already have an observation from it. */
  cursors: Map<number, number>
}

interface HeldDrop extends DropEvidence {
  left: number
}

export class Correlator<R> {
  private readonly open: CrossingRecord<R>[] = []
  private openHead = 0
  /** Settled crossings still accepting late observations, in settling order. */
  private readonly lingering: CrossingRecord<R>[] = []
  private lingerHead = 0
  private readonly index = new Map<string, KeyList<R>>()
  private readonly drops: Record<Site, HeldDrop[]> = { A: [], B: [] }
  private readonly links: Record<Site, { t: number; linked: boolean }[]> = { A: [], B: [] }
  private nextId = 0

  constructor(private readonly options: CorrelatorOptions<R>) {}

  get windowMs(): number {
    return this.options.windowMs
  }

  /** Crossings not yet settled. */
  get openCount(): number {
    return this.open.length - this.openHead
  }

  /** Adds an observation (whose row is `row`) and returns its crossing. */
  observe(observation: Observation, row: R): Crossing<R> {
    let crossing = this.find(observation)
    const before = crossing?.category
    if (crossing) this.join(crossing, observation)
    else {
      crossing = new CrossingRecord<R>(this.nextId++, observation.topic, observation, this.options.windowMs)
      this.join(crossing, observation)
      this.open.push(crossing)
      if (this.openCount > MAX_OPEN) this.settleRecord(this.open[this.openHead++] as CrossingRecord<R>)
    }
    crossing.rows.push(row)
    if (crossing.settled) this.decideSettled(crossing)
    else crossing.category = this.categorize(crossing)
    this.options.onChange(crossing, before, row)
    return crossing
  }

  drop(evidence: DropEvidence): void {
    this.drops[evidence.site].push({ ...evidence, left: Math.max(1, evidence.count) })
  }

  link(site: Site, t: number, linked: boolean): void {
    const changes = this.links[site]
    if (changes.length > 0 && changes[changes.length - 1]?.linked === linked) return
    changes.push({ t, linked })
    if (changes.length > MAX_LINK_CHANGES) changes.shift()
  }

  /** Settles what is due at `now` (host clock) and forgets what has lingered long enough. */
  settle(now: number): void {
    while (this.openHead < this.open.length) {
      const next = this.open[this.openHead] as CrossingRecord<R>
      if (next.settleAt > now) break
      this.openHead++
      this.settleRecord(next)
    }
    if (this.openHead > 1024 && this.openHead * 2 > this.open.length) {
      this.open.splice(0, this.openHead)
      this.openHead = 0
    }
    const forgetBefore = now - this.options.windowMs
    while (this.lingerHead < this.lingering.length) {
      const next = this.lingering[this.lingerHead] as CrossingRecord<R>
      if (next.settleAt > forgetBefore) break
      this.lingerHead++
      this.unindex(next)
    }
    if (this.lingerHead > 1024 && this.lingerHead * 2 > this.lingering.length) {
      this.lingering.splice(0, this.lingerHead)
      this.lingerHead = 0
    }
    const keepDropsAfter = now - 3 * this.options.windowMs
    for (const site of ['A', 'B'] as const) {
      const held = this.drops[site]
      let stale = 0
      while (stale < held.length && ((held[stale] as HeldDrop).t < keepDropsAfter || (held[stale] as HeldDrop).left === 0)) stale++
      if (stale > 0) held.splice(0, stale)
    }
  }

  /** Settles everything at once (the session stops). */
  settleAll(): void {
    this.settle(Number.POSITIVE_INFINITY)
  }

  /** Forgets everything (the view was cleared); nothing is reported. */
  clear(): void {
    this.open.length = 0
    this.openHead = 0
    this.lingering.length = 0
    this.lingerHead = 0
    this.index.clear()
    this.drops.A.length = 0
    this.drops.B.length = 0
  }

  private find(o: Observation): CrossingRecord<R> | undefined {
    if (o.hash !== undefined) {
      const found = this.scan(byteKey(o.topic, o.size, o.hash), o)
      if (found) return found
    }
    if (o.textHash !== undefined) {
      const found = this.scan(textKey(o.topic, o.textHash), o)
      if (found) return found
    }
    // Peer observations carry no payload: they and the crossings they started match by topic and
    // exact size (oldest first), after any match by content.
    if (o.exactSize && this.options.matchBySize()) return this.scan(sizeKey(o.topic, o.size), o)
    return undefined
  }

  private scan(key: string, o: Observation): CrossingRecord<R> | undefined {
    const list = this.index.get(key)
    if (!list) return undefined
    const slot = slotCode(o.site, o.source)
    const bit = SOURCE_BIT[o.source]
    const start = Math.max(list.head, list.cursors.get(slot) ?? 0)
    let filledRun = true
    const end = Math.min(list.items.length, start + SCAN_LIMIT)
    for (let i = start; i < end; i++) {
      const crossing = list.items[i] as CrossingRecord<R>
      const filled = ((crossing.presence(o.site)?.sources ?? 0) & bit) !== 0
      if (filled) {
        if (filledRun) list.cursors.set(slot, i + 1)
        continue
      }
      filledRun = false
      if (this.compatible(crossing, o)) return crossing
    }
    return undefined
  }

  private compatible(c: CrossingRecord<R>, o: Observation): boolean {
    // A settled crossing still takes a late arrival for another window.
    if (Math.abs(o.t - c.first) > (c.settled ? 2 : 1) * this.options.windowMs) return false
    if (o.hash !== undefined && c.hash !== undefined && (o.hash !== c.hash || o.size !== c.size)) return false
    if (o.textHash !== undefined && c.textHash !== undefined && o.textHash !== c.textHash) return false
    if (o.exactSize && c.exactSize && o.size !== c.size) return false
    const implied = impliedOrigin(o)
    return !(implied && c.evidenceOrigin && implied !== c.evidenceOrigin)
  }

  private join(c: CrossingRecord<R>, o: Observation): void {
    const presence = c.presence(o.site) ?? { sources: 0, first: o.t, firstMqtt: undefined, mqttQos: undefined }
    presence.sources |= SOURCE_BIT[o.source]
    presence.first = Math.min(presence.first, o.t)
    if (o.source === 'mqtt') {
      presence.firstMqtt = Math.min(presence.firstMqtt ?? o.t, o.t)
      if (o.qos !== undefined) presence.mqttQos = Math.max(presence.mqttQos ?? 0, o.qos)
    }
    if (o.site === 'A') c.A = presence
    else c.B = presence
    c.first = Math.min(c.first, o.t)
    const implied = impliedOrigin(o)
    if (implied) c.evidenceOrigin = implied
    if (o.role === 'sent') c.sentEvidence = true
    if (o.exactSize && !c.exactSize) {
      c.exactSize = true
      c.size = o.size
    }
    if (o.hash !== undefined) {
      c.hash ??= o.hash
      this.addKey(c, byteKey(o.topic, o.size, o.hash))
    }
    if (o.textHash !== undefined) {
      c.textHash ??= o.textHash
      this.addKey(c, textKey(o.topic, o.textHash))
    }
    // Peer observations carry no payload: they find their crossing by topic and exact size.
    if (o.exactSize && this.options.matchBySize()) this.addKey(c, sizeKey(o.topic, o.size))
  }

  private addKey(c: CrossingRecord<R>, key: string): void {
    if (c.keys.includes(key)) return
    c.keys.push(key)
    let list = this.index.get(key)
    if (!list) {
      list = { items: [], head: 0, cursors: new Map() }
      this.index.set(key, list)
    }
    list.items.push(c)
  }

  private unindex(c: CrossingRecord<R>): void {
    for (const key of c.keys) {
      const list = this.index.get(key)
      if (!list) continue
      // Lists are in about the order crossings start; drop what has been forgotten from the front.
      while (list.head < list.items.length && this.forgotten(list.items[list.head] as CrossingRecord<R>, c)) list.head++
      if (list.head >= list.items.length) this.index.delete(key)
      else if (list.head * 2 >= list.items.length) {
        list.items.splice(0, list.head)
        for (const [slot, cursor] of list.cursors) list.cursors.set(slot, Math.max(0, cursor - list.head))
        list.head = 0
      }
    }
  }

  /** Whether `item` is no longer open to observations, given that `current` is being forgotten now. */
  private forgotten(item: CrossingRecord<R>, current: CrossingRecord<R>): boolean {
    return item === current || (item.settled && item.settleAt <= current.settleAt)
  }

  /**
   * For a crossing seen on one site only, by MQTT only: another crossing with the same payload
   * that already arrived on that site from the other one (this one is then a second delivery).
   */
  private repeatedArrival(c: CrossingRecord<R>, site: Site): CrossingRecord<R> | undefined {
    const presence = c.presence(site)
    if (c.hash === undefined || !presence) return undefined
    const list = this.index.get(byteKey(c.topic, c.size, c.hash))
    if (!list) return undefined
    for (let i = list.items.length - 1; i >= list.head && i >= list.items.length - SCAN_LIMIT; i--) {
      const other = list.items[i] as CrossingRecord<R>
      if (other === c || !other.both || other.origin === site) continue
      if (((other.presence(site)?.sources ?? 0) & presence.sources) !== 0 && Math.abs(other.first - c.first) <= this.options.windowMs) return other
    }
    return undefined
  }

  private settleRecord(c: CrossingRecord<R>): void {
    if (c.settled) return
    const before = c.category
    c.settled = true
    this.decideSettled(c)
    this.lingering.push(c)
    this.options.onChange(c, before, undefined)
  }

  /** The fate of a settled crossing from what it has now (also when a late observation joins). */
  private decideSettled(c: CrossingRecord<R>): void {
    c.lostReason = undefined
    c.detail = undefined
    const only: Site | undefined = c.both ? undefined : c.A ? 'A' : 'B'
    c.duplicateOf = only !== undefined && !c.evidenceOrigin ? this.repeatedArrival(c, only) : undefined
    if (only === undefined) c.fateValue = 'crossed'
    else if (c.evidenceOrigin && c.evidenceOrigin !== only) c.fateValue = 'crossed'
    else if (c.duplicateOf) c.fateValue = 'duplicate'
    else if (!this.options.isWatched(otherSite(only))) c.fateValue = 'unseen'
    else {
      c.fateValue = 'lost'
      this.settleLost(c, only)
    }
    c.category = this.categorize(c)
  }

  /** The reason, from the firmware's limits, the logs' drops, the link state and what was seen. */
  private settleLost(c: CrossingRecord<R>, from: Site): void {
    const to = otherSite(from)
    const context = { from, to, topic: c.topic, size: c.size }
    const set = (reason: LostReason, extra: { likely?: boolean; peerReason?: string } = {}) => {
      c.lostReason = reason
      c.detail = lostDetail(reason, { ...context, ...extra })
    }
    if (c.exactSize && exceedsWrapLimit(c.topic, c.size)) {
      this.takeDrop(from, 'to-peer', c, ['too-long'])
      return set('too-long')
    }
    const sending = this.takeDrop(from, 'to-peer', c)
    if (sending) {
      if (sending.reason === 'not-linked') return set('not-linked')
      if (sending.reason === 'too-long') return set('too-long')
      return set('peer-drop', { peerReason: sending.reason })
    }
    const receiving = this.takeDrop(to, 'from-peer', c)
    if (receiving) {
      if (receiving.reason === 'no-local-client') return set('stock-receive-bug')
      if (receiving.reason === 'invalid-message' || receiving.reason === 'malformed') return set(isShortPayload(c.topic, c.size) ? 'short-payload' : 'invalid-message')
      return set('peer-drop', { peerReason: receiving.reason })
    }
    if (this.linkedAt(from, c.first) === false || this.linkedAt(to, c.first) === false) return set('not-linked')
    if (c.sentEvidence) return set('link-loss')
    if (this.options.consoleShowsForwards(from, c.first)) return set('not-forwarded')
    if (isShortPayload(c.topic, c.size)) return set('short-payload', { likely: true })
    return set('unknown')
  }

  /** Takes one drop of `site` in `direction` that fits the crossing (topic, time), oldest first. */
  private takeDrop(site: Site, direction: 'to-peer' | 'from-peer', c: CrossingRecord<R>, reasons?: string[]): HeldDrop | undefined {
    const window = this.options.windowMs
    for (const held of this.drops[site]) {
      if (held.left === 0 || held.direction !== direction) continue
      if (reasons && !reasons.includes(held.reason)) continue
      if (held.topic !== undefined && held.topic !== c.topic) continue
      if (held.t < c.first - window || held.t > c.first + 2 * window) continue
      held.left--
      return held
    }
    return undefined
  }

  private linkedAt(site: Site, t: number): boolean | undefined {
    let state: boolean | undefined
    for (const change of this.links[site]) {
      if (change.t > t) break
      state = change.linked
    }
    return state
  }

  private categorize(c: CrossingRecord<R>): CrossingCategory {
    const direction = directionFrom(c.origin)
    const bytes = c.size
    if (!c.settled) return c.both ? { kind: 'crossed', direction, bytes } : { kind: 'pending', direction, bytes }
    switch (c.fateValue) {
      case 'crossed':
      case 'duplicate':
        return { kind: c.fateValue, direction: c.fateValue === 'duplicate' && c.duplicateOf ? directionFrom(c.duplicateOf.origin) : direction, bytes }
      case 'lost':
        return { kind: 'lost', direction, bytes, reason: c.lostReason ?? 'unknown' }
      default:
        return { kind: 'unseen', site: c.A ? 'A' : 'B' }
    }
  }
}

function impliedOrigin(o: Observation): Site | undefined {
  if (o.role === 'sent') return o.site
  if (o.role === 'received') return otherSite(o.site)
  return undefined
}

function slotCode(site: Site, source: SourceKind): number {
  return (site === 'A' ? 0 : 16) + SOURCE_BIT[source]
}

function byteKey(topic: string, size: number, hash: number): string {
  return `${topic}\u0000b${size}:${hash}`
}

function textKey(topic: string, hash: number): string {
  return `${topic}\u0000t${hash}`
}

function sizeKey(topic: string, size: number): string {
  return `${topic}\u0000s${size}`
}
