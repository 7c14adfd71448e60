// What every traffic source is to a session: it delivers observations (and drop and link
// evidence) into the session's sink and keeps a status the Traffic view shows beside its label.
import type { DropEvidence } from '../../common/traffic/correlator'
import type { Site, SourceKind, SourceState, TrafficSourceStatus } from '../../common/traffic/model'
import type { ObservationInput } from '../../common/traffic/traffic-store'

export interface SourceSink {
  observe(input: ObservationInput): void
  drop(evidence: DropEvidence): void
  link(site: Site, t: number, linked: boolean): void
  /** The source can (true) or can no longer (false) see messages on its site. */
  watching(site: Site, kind: SourceKind, watching: boolean): void
  status(status: TrafficSourceStatus): void
}

export interface TrafficSource {
  readonly id: string
  status(): TrafficSourceStatus
  start(sink: SourceSink): void
  stop(): Promise<void>
}

/** Keeps a source's status and tells the sink of every change. */
export class SourceStatusKeeper {
  private current: TrafficSourceStatus
  private sink: SourceSink | undefined

  constructor(init: { id: string; site: Site | null; kind: SourceKind; label: string }) {
    this.current = { ...init, state: 'connecting', since: Date.now(), messages: 0 }
  }

  get value(): TrafficSourceStatus {
    return { ...this.current }
  }

  attach(sink: SourceSink): void {
    this.sink = sink
  }

  set(state: SourceState, message?: string, hint?: string): void {
    const { message: _m, hint: _h, ...rest } = this.current
    const changed = state !== this.current.state || message !== this.current.message || hint !== this.current.hint
    this.current = { ...rest, state, ...(state !== this.current.state ? { since: Date.now() } : {}), ...(message ? { message } : {}), ...(hint ? { hint } : {}) }
    if (changed) this.sink?.status(this.value)
  }

  counted(): void {
    this.current.messages++
  }
}
