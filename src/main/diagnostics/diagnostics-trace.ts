// One source's live diagnostics: every parsed event of a device's console (or of PairKit's own
// peer) folded into an ICE model and a diagnoser as it comes. Both keep only what they show
// (tables, counters, the first few events as evidence), so a trace stays small however long the
// console runs. Snapshots are cut to the newest entries the contract carries.
import { DIAGNOSTICS_LIMITS, type IceSource } from '../../common/contract/ice'
import { Diagnoser, LinkTally, type DiagnosisOptions, type Finding } from '../../common/diagnosis'
import { IceModel, type IceDeviceModel } from '../../common/ice'
import type { LogEvent } from '../../common/logs'

export class DiagnosticsTrace {
  private readonly model = new IceModel()
  private readonly diagnoser: Diagnoser
  /** Its side of the link, compared with the other device's in a pair (link loss). */
  readonly link = new LinkTally()
  private events = 0
  private sessionId: string | undefined

  constructor(
    /** The device id (or the peer's name) the findings name. */
    readonly name: string,
    readonly kind: IceSource['kind'],
    readonly since: number,
    options?: DiagnosisOptions,
  ) {
    this.diagnoser = new Diagnoser(options, name)
  }

  push(event: LogEvent): void {
    this.events++
    this.model.apply(event)
    this.diagnoser.push(event)
    this.link.observe(event)
  }

  /** The monitor session that feeds this trace. */
  attach(sessionId: string): void {
    this.sessionId = sessionId
  }

  get source(): IceSource {
    return { kind: this.kind, ...(this.sessionId ? { sessionId: this.sessionId } : {}), since: this.since, events: this.events }
  }

  snapshot(): IceDeviceModel {
    return trimModel(this.model.snapshot())
  }

  findings(): Finding[] {
    return this.diagnoser.findings()
  }
}

/** The newest sessions and state changes, the older ones counted as dropped. */
export function trimModel(model: IceDeviceModel): IceDeviceModel {
  const sessions = model.sessions.slice(-DIAGNOSTICS_LIMITS.sessions)
  const timeline = model.timeline.slice(-DIAGNOSTICS_LIMITS.timelineEntries)
  return {
    ...model,
    sessions,
    timeline,
    droppedSessions: model.droppedSessions + (model.sessions.length - sessions.length),
    droppedTimeline: model.droppedTimeline + (model.timeline.length - timeline.length),
  }
}

/** The model of a device nothing feeds yet. */
export const EMPTY_MODEL: IceDeviceModel = { sessions: [], timeline: [], reboots: [], droppedSessions: 0, droppedTimeline: 0 }
