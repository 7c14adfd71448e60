// MonitorService: the serial consoles, one session per device, any number of devices at once,
// each independent (its link, its lines, its spool folder). The backend serves it as the
// monitor.* requests; the CLI's `pairkit monitor` runs one session of it.
//
// Lines reach the UI in batches: a session's new lines go out at most every 50 ms as one
// monitor.lines event. Nothing here waits for the UI: the ring keeps the newest lines for
// monitor.read, a connection that is behind misses batches (counted, see event-shedder.ts),
// and the spool keeps every byte whatever the UI does.
import { randomBytes } from 'node:crypto'
import { rm } from 'node:fs/promises'
import path from 'node:path'
import type { ContractEvent, PortInfo } from '../../common/contract'
import { MONITOR_LIMITS, type MonitorEventItem, type MonitorLine, type MonitorNotice, type MonitorSession as MonitorSessionInfo, type MonitorSpoolSettings } from '../../common/contract/monitor'
import type { LogEvent } from '../../common/logs'
import { deviceIdOf, sameDevice } from '../../common/devices/device-id'
import { PairKitError } from '../../common/errors'
import { Emitter, type Event } from '../../common/event'
import { Disposable, toDisposable } from '../../common/lifecycle'
import { busyError, type DeviceLocks } from '../devices/device-locks'
import { MonitorSession } from './monitor-session'
import type { SessionSpool } from './session-spool'
import { SPOOL_FOLDER } from './spool-format'
import { resolveSpoolLimit, SPOOL_LIMIT_ENV, storeSpoolLimit, type SpoolLimit } from './spool-settings'
import { SpoolStore } from './spool-store'

export const DEFAULT_MONITOR_BAUD = 115200
/** A session's new lines go to the UI at most this often. */
export const MONITOR_BATCH_MS = 50
/** Closed sessions stay listed (with their recent lines) until this many newer ones have ended. */
const KEPT_FINISHED_SESSIONS = 8

export type MonitorEvent = Extract<ContractEvent, { name: 'monitor.lines' | 'monitor.status' }>

export interface MonitorServiceOptions {
  locks: DeviceLocks
  /** The data folder: the spool is its monitor/ folder. None keeps nothing on disk. */
  dataDir?: string
  /** The spool limit in MiB as given on the command line; beats the environment and the setting. */
  spoolLimitMb?: string
  env?: NodeJS.ProcessEnv
  /** The system's serial ports whenever they change: a local session waiting for its port resumes. */
  ports?: Event<PortInfo[]>
  batchIntervalMs?: number
}

export interface OpenMonitorInput {
  deviceId: string
  baud?: number
  reset?: boolean
  autoResume?: boolean
}

export class MonitorService extends Disposable {
  private readonly sessions = new Map<string, MonitorSession>()
  /** Sessions shown to the UI (a session whose first open fails never is). */
  private readonly announced = new Set<MonitorSession>()
  private readonly dirty = new Set<MonitorSession>()
  private readonly early = new Map<MonitorSession, MonitorNotice[]>()
  private batchTimer: ReturnType<typeof setTimeout> | undefined
  private readonly _onEvent = this.register(new Emitter<MonitorEvent>())
  /** monitor.lines and monitor.status, for the transports (and the CLI). */
  readonly onEvent: Event<MonitorEvent> = this._onEvent.event
  private readonly _onNotice = this.register(new Emitter<string>())
  /** About the spool as a whole (the sessions still running hold more than its limit). */
  readonly onNotice: Event<string> = this._onNotice.event
  private readonly _onParsedEvents = this.register(new Emitter<{ deviceId: string; sessionId: string; event: LogEvent }>())
  /**
   * Every event any session's parser finds, none shed: for services that need the whole stream
   * of a device's console (the Traffic view's console source), whoever opened the session.
   */
  readonly onParsedEvent: Event<{ deviceId: string; sessionId: string; event: LogEvent }> = this._onParsedEvents.event
  private readonly spool: SpoolStore | undefined
  private limit: SpoolLimit

  constructor(private readonly options: MonitorServiceOptions) {
    super()
    const root = options.dataDir ? path.join(options.dataDir, SPOOL_FOLDER) : undefined
    this.limit = resolveSpoolLimit(root, options.spoolLimitMb, options.env)
    this.spool = root ? new SpoolStore(root, this.limit.bytes, { onNotice: (message) => this._onNotice.fire(message) }) : undefined
    if (options.ports) this.register(options.ports((ports) => this.portsChanged(ports)))
    this.register(toDisposable(() => clearTimeout(this.batchTimer)))
  }

  /**
   * Opens a device's console; resolves once the port is open (and the chip reset, when asked).
   * `listeners` hear every line as it is cut and every event the parser finds (the CLI prints them).
   */
  async open(input: OpenMonitorInput, listeners: { onLine?: (line: MonitorLine) => void; onEvent?: (event: LogEvent) => void } = {}): Promise<{ sessionId: string }> {
    const deviceId = deviceIdOf(input.deviceId)
    // Refused before a spool folder is made for nothing (the lock refuses again, atomically).
    const busy = this.options.locks.busy(deviceId)
    if (busy) throw busyError(deviceId, busy)
    const baud = input.baud ?? DEFAULT_MONITOR_BAUD
    const reset = input.reset ?? false
    const sessionId = `mon-${randomBytes(5).toString('hex')}`
    // The spool's notices name the session, which needs the spool first.
    const made: { session?: MonitorSession } = {}
    const spool = await this.spool?.createSession(
      { sessionId, deviceId, baud, reset, startedAtMs: Date.now() },
      { onNotice: (level, message) => made.session && this.emitStatus(made.session, { level, message }) },
    )
    const session = new MonitorSession({
      sessionId,
      deviceId,
      baud,
      reset,
      autoResume: input.autoResume ?? true,
      locks: this.options.locks,
      ...(spool ? { spool } : {}),
      onStatus: (changed, notice) => this.emitStatus(changed, notice),
      onLines: (changed) => this.linesArrived(changed),
      ...listeners,
      onEvent: (event) => {
        listeners.onEvent?.(event)
        this._onParsedEvents.fire({ deviceId, sessionId, event })
      },
      onSpoolClosed: () => spool && this.spool?.release(spool.dir),
    })
    made.session = session
    this.sessions.set(sessionId, session)
    try {
      await session.start()
    } catch (error) {
      this.sessions.delete(sessionId)
      this.early.delete(session)
      if (spool) await this.discard(spool)
      throw error
    }
    this.announced.add(session)
    const early = this.early.get(session) ?? []
    this.early.delete(session)
    this.emitStatus(session)
    for (const notice of early) this.emitStatus(session, notice)
    this.forgetOldSessions()
    return { sessionId }
  }

  async close(sessionId: string): Promise<void> {
    await this.session(sessionId).close()
    this.forgetOldSessions()
  }

  async resume(sessionId: string): Promise<void> {
    await this.session(sessionId).resumeEnded()
  }

  list(): MonitorSessionInfo[] {
    return [...this.sessions.values()].filter((session) => this.announced.has(session)).map((session) => session.info())
  }

  read(sessionId: string, fromSeq?: number, limit: number = MONITOR_LIMITS.linesPerMessage): { lines: MonitorLine[]; firstSeq: number; nextSeq: number } {
    const ring = this.session(sessionId).ring
    return { lines: ring.read(fromSeq ?? ring.firstSeq, limit), firstSeq: ring.firstSeq, nextSeq: ring.nextSeq }
  }

  events(sessionId: string, fromSeq?: number, limit: number = MONITOR_LIMITS.linesPerMessage): { events: MonitorEventItem[]; firstSeq: number; nextSeq: number } {
    const ring = this.session(sessionId).events
    return { events: ring.read(fromSeq ?? ring.firstSeq, limit), firstSeq: ring.firstSeq, nextSeq: ring.nextSeq }
  }

  settings(): MonitorSpoolSettings {
    return {
      spoolLimitBytes: this.limit.bytes,
      source: this.limit.source,
      ...(this.spool ? { spoolDir: this.spool.root } : {}),
      spoolBytes: this.spool?.totalBytes ?? 0,
    }
  }

  /** Stores a new limit (in the data folder) and applies it at once. */
  async setSpoolLimit(bytes: number): Promise<MonitorSpoolSettings> {
    if (this.limit.source === 'environment') {
      throw new PairKitError('BAD_INPUT', `the spool limit is set by ${SPOOL_LIMIT_ENV} for this run`, { hint: `Change ${SPOOL_LIMIT_ENV} and start PairKit again, or start it without it to set the limit here.` })
    }
    if (!this.spool) throw new PairKitError('UNAVAILABLE', 'this PairKit keeps nothing on disk, so the monitor has no spool', { hint: 'Start PairKit with a data folder to keep the monitor sessions.' })
    storeSpoolLimit(this.spool.root, bytes)
    this.limit = { bytes, source: 'setting' }
    await this.spool.setLimit(bytes)
    return this.settings()
  }

  /** Closes every session (their links and spools); the service can be dropped afterwards. */
  async shutdown(): Promise<void> {
    await Promise.all([...this.sessions.values()].map((session) => session.close('shutdown')))
    this.flushBatches()
  }

  override dispose(): void {
    void this.shutdown().finally(() => super.dispose())
  }

  private session(sessionId: string): MonitorSession {
    const session = this.sessions.get(sessionId)
    if (!session || !this.announced.has(session)) {
      throw new PairKitError('NOT_FOUND', `there is no monitor session ${sessionId}`, { hint: 'Open the monitor on the device again.' })
    }
    return session
  }

  private emitStatus(session: MonitorSession, notice?: MonitorNotice): void {
    if (!this.announced.has(session)) {
      // Said while the port opens (the chip was not reset …): told once the session is announced.
      if (notice) this.early.set(session, [...(this.early.get(session) ?? []), notice])
      return
    }
    // Lines before the change go out first, so the page sees them in the order they happened.
    if (this.dirty.has(session)) this.flushBatches()
    this._onEvent.fire({ name: 'monitor.status', payload: { session: session.info(), ...(notice ? { notice } : {}) } })
  }

  private linesArrived(session: MonitorSession): void {
    this.dirty.add(session)
    this.batchTimer ??= setTimeout(() => this.flushBatches(), this.options.batchIntervalMs ?? MONITOR_BATCH_MS)
  }

  private flushBatches(): void {
    clearTimeout(this.batchTimer)
    this.batchTimer = undefined
    for (const session of [...this.dirty]) {
      this.dirty.delete(session)
      if (!this.announced.has(session)) continue
      const { ring, events } = session
      // Items that left a ring before a batch took them (a burst beyond its size) are counted.
      let dropped = Math.max(0, ring.firstSeq - session.sentSeq)
      let droppedEvents = Math.max(0, events.firstSeq - session.sentEventSeq)
      let from = Math.max(session.sentSeq, ring.firstSeq)
      let fromEvent = Math.max(session.sentEventSeq, events.firstSeq)
      const { bytes, lines } = session.counters
      while (from < ring.nextSeq || fromEvent < events.nextSeq) {
        const batch = ring.read(from, MONITOR_LIMITS.linesPerMessage)
        const found = events.read(fromEvent, MONITOR_LIMITS.linesPerMessage)
        this._onEvent.fire({
          name: 'monitor.lines',
          payload: { sessionId: session.sessionId, fromSeq: from, lines: batch, dropped, events: found, droppedEvents, totals: { bytes, lines } },
        })
        dropped = 0
        droppedEvents = 0
        from += batch.length
        fromEvent += found.length
      }
      session.sentSeq = ring.nextSeq
      session.sentEventSeq = events.nextSeq
    }
  }

  private portsChanged(ports: PortInfo[]): void {
    for (const session of this.sessions.values()) {
      if (!session.waitingForPort || !ports.some((port) => sameDevice(port.path, session.deviceId))) continue
      // Failing quietly: the port may not be ready yet; the next change tries again.
      void session.resumeEnded({ auto: true }).catch(() => undefined)
    }
  }

  private forgetOldSessions(): void {
    const finished = [...this.sessions.values()].filter((session) => session.finished)
    for (const session of finished.slice(0, Math.max(0, finished.length - KEPT_FINISHED_SESSIONS))) {
      this.sessions.delete(session.sessionId)
      this.announced.delete(session)
    }
  }

  /** A session that never opened leaves no folder behind. */
  private async discard(spool: SessionSpool): Promise<void> {
    await spool.close({ at: Date.now(), reason: 'failed' })
    await rm(spool.dir, { recursive: true, force: true }).catch(() => undefined)
    this.spool?.release(spool.dir)
  }
}
