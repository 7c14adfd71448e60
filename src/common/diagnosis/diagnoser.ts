// Diagnosis of one device (or PairKit's own peer) from its events, as they come: the monitor
// pushes each event and reads the findings whenever it redraws; the CLI pushes a whole file.
// Memory stays small whatever the log's length (counters and the first few events as evidence).
import { describeEvent } from '../logs/describe'
import type { LogEvent } from '../logs/events'
import type { Evidence, Finding } from './finding'
import { createRules, type Rule } from './rules'

export interface DiagnosisOptions {
  /** A reboot loop: this many reboots (power-on resets not counted) within this many minutes. */
  rebootLoop?: { reboots: number; minutes: number }
  /** Wi-Fi retries before a successful join that are worth a warning. */
  wifiRetries?: number
}

export const DEFAULT_DIAGNOSIS_OPTIONS: Required<DiagnosisOptions> = {
  rebootLoop: { reboots: 3, minutes: 5 },
  wifiRetries: 5,
}

/** Most evidence entries kept per finding. */
export const MAX_EVIDENCE = 8

/**
 * What the rules share: the attempt (a boot, or a round of PairKit's peer) an event belongs to,
 * and a clock for it. The clock is the host's time where the monitor stamped the events;
 * otherwise the device's uptime added up over boots, which leaves out time in deep sleep, so
 * time-based rules err towards firing.
 */
export class RuleContext {
  attempt = 0
  /** The current event's time on the diagnosis clock (ms). */
  now = 0
  private bootOffset = 0
  private lastT = 0
  private lastRebootAnnounced = false
  private onlyBootLinesSinceReboot = false
  private icePastGathering = false

  constructor(
    readonly options: Required<DiagnosisOptions>,
    readonly device: string | undefined,
  ) {}

  evidence(event: LogEvent): Evidence {
    const item: Evidence = { t: event.t, kind: event.kind, summary: describeEvent(event) }
    if (this.device !== undefined) item.device = this.device
    if (event.sourceLine !== undefined) item.sourceLine = event.sourceLine
    if (event.hostTime !== undefined) item.hostTime = event.hostTime
    return item
  }

  /** Advances attempt and clock; returns whether `event` is a new reboot (not the ROM line of an announced one). */
  observe(event: LogEvent): boolean {
    if (event.t !== null) {
      // A device time far below the last one: the device booted without a reset line in the log.
      if (event.t + 1000 < this.lastT) this.bootOffset += this.lastT
      this.lastT = event.t
    }
    this.now = event.hostTime ?? this.bootOffset + this.lastT
    if (event.kind === 'reboot') {
      const sameReboot = this.lastRebootAnnounced && this.onlyBootLinesSinceReboot && !event.announced
      this.lastRebootAnnounced = event.announced === true
      this.onlyBootLinesSinceReboot = true
      if (sameReboot) return false
      this.attempt++
      this.icePastGathering = false
      this.bootOffset += this.lastT
      this.lastT = 0
      return true
    }
    if (event.kind !== 'raw' && event.kind !== 'boot' && event.format !== 'panic' && event.format !== 'rom') this.onlyBootLinesSinceReboot = false
    if (event.kind === 'ice-state') {
      // PairKit's peer gathers again without a reboot: a new attempt.
      if (event.state === 'gathering' && this.icePastGathering) this.attempt++
      this.icePastGathering = event.state !== 'gathering'
    }
    return false
  }
}

export class Diagnoser {
  private readonly context: RuleContext
  private readonly rules: Rule[]

  constructor(options: DiagnosisOptions = {}, device?: string) {
    this.context = new RuleContext({ ...DEFAULT_DIAGNOSIS_OPTIONS, ...options }, device)
    this.rules = createRules()
  }

  push(event: LogEvent): void {
    const reboot = this.context.observe(event)
    for (const rule of this.rules) rule.observe(event, this.context, reboot)
  }

  pushAll(events: Iterable<LogEvent>): this {
    for (const event of events) this.push(event)
    return this
  }

  /** The findings so far, errors first. */
  findings(): Finding[] {
    const findings = this.rules.flatMap((rule) => rule.findings(this.context))
    if (this.context.device !== undefined) for (const finding of findings) finding.device = this.context.device
    const rank = { error: 0, warning: 1, info: 2 } as const
    return findings.sort((a, b) => rank[a.severity] - rank[b.severity])
  }
}

/** The findings of one device's whole event list. */
export function diagnose(events: Iterable<LogEvent>, options?: DiagnosisOptions, device?: string): Finding[] {
  return new Diagnoser(options, device).pushAll(events).findings()
}

/** Both devices of a pair, each finding labelled with its device's name. */
export function diagnosePair(a: { name: string; events: Iterable<LogEvent> }, b: { name: string; events: Iterable<LogEvent> }, options?: DiagnosisOptions): Finding[] {
  const rank = { error: 0, warning: 1, info: 2 } as const
  return [...diagnose(a.events, options, a.name), ...diagnose(b.events, options, b.name)].sort((x, y) => rank[x.severity] - rank[y.severity])
}
