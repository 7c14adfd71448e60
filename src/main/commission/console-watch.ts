// What the commissioning sees of one device's console: every event its monitor session parses,
// kept whole for the support bundle, and a fresh Diagnoser and ICE model from the last reset on,
// so a step judges the boot under way and not an earlier one.
import { Diagnoser, type Finding } from '../../common/diagnosis'
import { IceModel, type IceDeviceModel } from '../../common/ice'
import type { LogEvent } from '../../common/logs/events'

/** Events kept per device for the support bundle; a commissioning's console stays far below. */
const MAX_KEPT_EVENTS = 50_000

export class ConsoleWatch {
  /** Every event since the commissioning first opened the console (bounded). */
  readonly all: LogEvent[] = []
  /** Events since the last mark (the last reset). */
  current: LogEvent[] = []
  private diagnoser: Diagnoser
  private ice = new IceModel()
  private droppedEvents = 0

  constructor(readonly name: string) {
    this.diagnoser = new Diagnoser({}, name)
  }

  push(event: LogEvent): void {
    if (this.all.length >= MAX_KEPT_EVENTS) {
      this.all.shift()
      this.droppedEvents++
    }
    this.all.push(event)
    this.current.push(event)
    this.diagnoser.push(event)
    this.ice.apply(event)
  }

  /** A reset: what follows is a new boot. */
  mark(): void {
    this.current = []
    this.diagnoser = new Diagnoser({}, this.name)
    this.ice = new IceModel()
  }

  findings(): Finding[] {
    return this.diagnoser.findings()
  }

  iceModel(): IceDeviceModel {
    return this.ice.snapshot()
  }

  has(test: (event: LogEvent) => boolean): boolean {
    return this.current.some(test)
  }

  get dropped(): number {
    return this.droppedEvents
  }
}

/** The step each watch waits for, as a test on one device's events since its reset. */
export const BOOTED = (event: LogEvent): boolean => (event.kind === 'broker' && event.event === 'running') || (event.kind === 'boot' && event.event === 'app-main')
export const SYNCED = (event: LogEvent): boolean => event.kind === 'signalling' && event.event === 'sync-done'
export const BRIDGED = (event: LogEvent): boolean => event.kind === 'bridge' && event.event === 'local-client-connected'
