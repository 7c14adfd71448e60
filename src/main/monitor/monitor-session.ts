// One device's console: its link, the lines cut from it, the ring of recent lines, the spool.
//
//   connecting ─► open ─(a job asks for the device)─► yielded ─(the job ends)─► connecting ─► open
//        │          └─(the link goes away)─► ended: port-lost, resumable ─(resume)─► connecting
//        └─(close)─► ended: closed
//
// Every change of the link runs in one queue (open, step aside, resume, close), so a job that
// arrives while the monitor opens the port waits for the open and then the close, and a resume
// never overtakes the step aside it follows. What PairKit says in the stream (handed over, back,
// gone, reset) is a marker line, and a marker in session.json at its raw.bin offset.
import {
  MONITOR_LIMITS,
  type MonitorCounters,
  type MonitorEventItem,
  type MonitorLine,
  type MonitorNotice,
  type MonitorSession as MonitorSessionInfo,
  type MonitorStatus,
} from '../../common/contract/monitor'
import type { DeviceBusy } from '../../common/contract/devices'
import { parseDeviceLink } from '../../common/devices/device-id'
import { PairKitError } from '../../common/errors'
import { LineSplitter, LogParser, type LineSink, type LogEvent } from '../../common/logs'
import type { DeviceLocks, YieldingHolder, YieldingLease } from '../devices/device-locks'
import { chooseReset, hardReset } from '../flasher/reset'
import { openLink, type SerialLink } from '../serial/link'
import type { SessionSpool } from './session-spool'
import { SeqRing } from './seq-ring'
import type { MarkerKind } from './spool-format'

/** 10 000 lines of up to 4096 characters would be 80 MB per session; the text budget keeps it near 8 MB. */
export const RING_TEXT_BUDGET = 4 << 20
/** Marker positions kept to place parsed events (events refer to lines at most a record back). */
const KEPT_MARKER_POSITIONS = 64

export const MARKERS = {
  handedOver: (operation: string) => `— port handed to the flasher (${operation}) —`,
  resumed: '— port back: monitoring resumed —',
  reset: '— reset into the app (DTR/RTS) —',
  lostLocal: '— the port went away: check the cable —',
  lostRemote: '— the connection went away: check the serial server and the network —',
  notReopened: (why: string) => `— the port did not open again: ${why} —`,
} as const

export interface MonitorSessionOptions {
  sessionId: string
  deviceId: string
  baud: number
  reset: boolean
  autoResume: boolean
  locks: DeviceLocks
  spool?: SessionSpool
  /** The session changed state, or has something to say. */
  onStatus(session: MonitorSession, notice?: MonitorNotice): void
  /** New lines are in the ring (for the batches to the UI). */
  onLines(session: MonitorSession): void
  /** Every line as it enters the ring, markers included (the CLI prints here). */
  onLine?(line: MonitorLine): void
  /** Every event the parser finds, raw lines included (the CLI's --json prints here). */
  onEvent?(event: LogEvent): void
  /** The spool's folder will not be written again (closed or shut down). */
  onSpoolClosed?(session: MonitorSession): void
  now?: () => number
}

export class MonitorSession implements YieldingHolder {
  readonly sessionId: string
  readonly deviceId: string
  readonly startedAt: number
  readonly ring = new SeqRing<MonitorLine>(MONITOR_LIMITS.ringLines, RING_TEXT_BUDGET, (line) => line.text.length)
  /** The parser's events (raw lines excepted: they are the lines). */
  readonly events = new SeqRing<MonitorEventItem>(MONITOR_LIMITS.ringEvents)
  /** The first line and event not yet sent to the UI in a monitor.lines batch. */
  sentSeq = 1
  sentEventSeq = 1
  private statusValue: MonitorStatus
  /**
   * Lines for the ring and the parser's lines, cut by the same rule at the same places, so the
   * parser's line numbers are the session's device lines (see lineSeqOf).
   */
  private readonly splitter = new LineSplitter(MONITOR_LIMITS.lineChars)
  private readonly parser = new LogParser({ lineCap: MONITOR_LIMITS.lineChars })
  /** Device lines before each of the latest markers, and how many markers came before those. */
  private markerPositions: number[] = []
  private olderMarkers = 0
  private readonly local: boolean
  private bytes = 0
  private lines = 0
  private lease: YieldingLease | undefined
  private link: SerialLink | undefined
  /** Bumped whenever the link changes hands: data of an older link is not this session's any more. */
  private generation = 0
  private queue: Promise<void> = Promise.resolve()
  private announce: string | undefined
  private readonly now: () => number

  constructor(private readonly options: MonitorSessionOptions) {
    this.sessionId = options.sessionId
    this.deviceId = options.deviceId
    this.now = options.now ?? Date.now
    this.startedAt = this.now()
    this.local = parseDeviceLink(options.deviceId).kind === 'local'
    this.statusValue = { state: 'connecting', since: this.startedAt }
  }

  get status(): MonitorStatus {
    return this.statusValue
  }

  get counters(): MonitorCounters {
    return { bytes: this.bytes, lines: this.lines, ...(this.options.spool?.counters ?? { spooledBytes: 0, unspooledBytes: 0 }) }
  }

  /** Ended for good (closed or shut down): nothing can open it again. */
  get finished(): boolean {
    return this.statusValue.state === 'ended' && !this.statusValue.resumable
  }

  /** Waiting for its local port to come back, to resume by itself. */
  get waitingForPort(): boolean {
    return this.statusValue.state === 'ended' && this.statusValue.waitingForPort === true
  }

  info(): MonitorSessionInfo {
    return {
      sessionId: this.sessionId,
      deviceId: this.deviceId,
      baud: this.options.baud,
      reset: this.options.reset,
      autoResume: this.options.autoResume,
      startedAt: this.startedAt,
      status: this.statusValue,
      counters: this.counters,
      ...(this.options.spool ? { spoolDir: this.options.spool.dir } : {}),
    }
  }

  /** Takes the device and opens its port (resetting it first when asked); throws when either fails. */
  async start(): Promise<void> {
    this.lease = this.options.locks.acquireYielding(this.deviceId, this)
    await this.enqueue(async () => {
      try {
        await this.connect(this.options.reset)
      } catch (error) {
        this.releaseLease()
        this.end({ reason: 'failed', message: errorText(error), resumable: false })
        throw error
      }
    })
  }

  /** A job takes the device: close the port and say so in the stream. */
  stepAside(to: DeviceBusy): Promise<void> {
    return this.enqueue(async () => {
      if (this.statusValue.state === 'ended') return
      const had = await this.dropLink()
      if (had) this.mark('handed-over', MARKERS.handedOver(to.operation), { operation: to.operation, ...(to.jobId ? { jobId: to.jobId } : {}) })
      this.setStatus({ state: 'yielded', since: this.now(), to: to.operation, ...(to.jobId ? { jobId: to.jobId } : {}) })
    })
  }

  /** The job is over: open the port again. */
  resume(): void {
    void this.enqueue(() => this.reopen())
  }

  /**
   * Opens an ended session's port again, in the same session and spool folder (monitor.resume,
   * or by itself when its local port is back). While a job has the device it waits for the job.
   */
  async resumeEnded(options: { auto?: boolean } = {}): Promise<void> {
    const status = this.statusValue
    if (status.state !== 'ended') return
    if (!status.resumable) {
      throw new PairKitError('BAD_INPUT', `the monitor session ${this.sessionId} was closed`, { hint: 'Open the monitor on the device again.' })
    }
    this.lease = this.options.locks.acquireYielding(this.deviceId, this, { waitForJob: true })
    const job = this.lease.yieldedTo
    if (job) {
      this.setStatus({ state: 'yielded', since: this.now(), to: job.operation, ...(job.jobId ? { jobId: job.jobId } : {}) })
      return
    }
    await this.enqueue(async () => {
      if (!(await this.reopen(options.auto ? status : undefined))) throw new PairKitError('PORT_NOT_FOUND', `${this.deviceId} did not open again`)
    })
  }

  /** Closes the port and the spool for good. */
  close(reason: 'closed' | 'shutdown' = 'closed'): Promise<void> {
    return this.enqueue(async () => {
      if (this.finished) return
      await this.dropLink()
      this.cutLine(this.now())
      this.releaseLease()
      await this.options.spool?.close({ at: this.now(), reason })
      this.options.onSpoolClosed?.(this)
      this.end({ reason, resumable: false })
    })
  }

  private enqueue(step: () => Promise<unknown>): Promise<void> {
    const run = this.queue.then(step)
    this.queue = run.then(
      () => undefined,
      () => undefined,
    )
    return run.then(() => undefined)
  }

  /** Opens the link; resets the chip into its app first when asked. */
  private async connect(reset: boolean): Promise<void> {
    this.setStatus({ state: 'connecting', since: this.now() })
    const generation = ++this.generation
    const warnings: string[] = []
    const link = await openLink(this.deviceId, {
      baudRate: this.options.baud,
      onWarning: (message) => warnings.push(message),
      onData: (chunk) => {
        if (generation === this.generation) this.receive(chunk)
      },
    })
    if (generation !== this.generation) {
      await link.close().catch(() => undefined)
      return
    }
    this.link = link
    link.onClose((error) => {
      if (this.link === link) this.lost(error)
    })
    this.sayAnnouncement()
    // The links warn about DTR/RTS in the flasher's terms ("must already be in download
    // mode"); the monitor says it in its own (below), and passes the rest on.
    for (const warning of warnings.filter((text) => !/DTR\/RTS/.test(text))) this.notice('warn', warning)
    if (reset) await this.resetIntoApp(link)
    if (this.link === link) this.setStatus({ state: 'open', since: this.now() })
  }

  private async resetIntoApp(link: SerialLink): Promise<void> {
    if (!link.info.controlLines) {
      this.notice('warn', `the chip was not reset: ${this.deviceId} carries no DTR/RTS; the log shows what it prints from now on`)
      return
    }
    this.mark('reset', MARKERS.reset)
    await hardReset(link, chooseReset(link) === 'usb-jtag')
  }

  /**
   * Opens the port after a job or a loss; false (and ended, resumable) when it does not open.
   * `quietly`: an automatic attempt whose failure leaves the session as it was, without a
   * marker, so a port that comes and goes does not fill the stream.
   */
  private async reopen(quietly?: MonitorStatus): Promise<boolean> {
    if (this.statusValue.state === 'open' || this.finished) return true
    const job = this.lease?.yieldedTo
    if (job) {
      // Another job took the device meanwhile; it gives it back when it ends.
      this.setStatus({ state: 'yielded', since: this.now(), to: job.operation, ...(job.jobId ? { jobId: job.jobId } : {}) })
      return true
    }
    this.announce = MARKERS.resumed
    try {
      await this.connect(false)
      return true
    } catch (error) {
      this.announce = undefined
      this.releaseLease()
      if (quietly) {
        this.setStatus(quietly)
        return false
      }
      const why = errorText(error)
      this.mark('port-lost', MARKERS.notReopened(why))
      this.end({ reason: 'failed', message: `the port did not open again: ${why}`, resumable: true, waitingForPort: this.options.autoResume && this.local }, 'error')
      return false
    }
  }

  private receive(chunk: Uint8Array): void {
    const at = this.now()
    this.bytes += chunk.length
    // The marker of a reopened port goes before the first bytes after it, in the spool too.
    this.sayAnnouncement()
    this.options.spool?.append(chunk, at)
    const lines = this.ring.nextSeq
    const events = this.events.nextSeq
    this.splitter.push(chunk, this.lineSink(at))
    this.takeEvents(this.parser.push(chunk, at))
    if (this.ring.nextSeq !== lines || this.events.nextSeq !== events) this.options.onLines(this)
  }

  private lineSink(at: number): LineSink {
    return (text, colour, continued) => this.push({ hostTime: at, text, ...(colour ? { colour } : {}), ...(continued ? { continued: true as const } : {}) }, true)
  }

  private takeEvents(found: LogEvent[]): void {
    for (const event of found) {
      this.options.onEvent?.(event)
      if (event.kind === 'raw') continue
      const { source: _source, ...shown } = event
      const lineSeq = this.lineSeqOf(event.sourceLine ?? 1)
      this.events.push((seq) => ({ seq, lineSeq, event: shown as LogEvent }))
    }
  }

  /** The ring seq of the session's n-th device line: n plus the markers before it. */
  private lineSeqOf(deviceLine: number): number {
    let markers = this.olderMarkers
    for (const position of this.markerPositions) if (position < deviceLine) markers++
    return deviceLine + markers
  }

  /** The link went away without our asking: cable pulled, server gone. */
  private lost(error: PairKitError | undefined): void {
    this.link = undefined
    this.generation++
    this.mark('port-lost', this.local ? MARKERS.lostLocal : MARKERS.lostRemote)
    this.releaseLease()
    const sentence = this.local ? 'the port went away: check the cable' : `the connection to ${this.deviceId} went away: check the serial server and the network`
    this.end({ reason: 'port-lost', message: error?.detail ? `${sentence} (${error.detail})` : sentence, resumable: true, waitingForPort: this.options.autoResume && this.local }, 'error')
  }

  /** Closes the link on purpose; true when there was one. */
  private async dropLink(): Promise<boolean> {
    const link = this.link
    this.link = undefined
    if (!link) return false
    // Bytes that arrive until the close completes are still the device's, and still ours.
    await link.close().catch(() => undefined)
    this.generation++
    return true
  }

  private sayAnnouncement(): void {
    if (this.announce === undefined) return
    const text = this.announce
    this.announce = undefined
    this.mark('resumed', text)
  }

  /** Cuts the line under way and writes a marker into the stream and the spool. */
  private mark(kind: MarkerKind, text: string, extra: { operation?: string; jobId?: string } = {}): void {
    const at = this.now()
    this.cutLine(at)
    this.options.spool?.mark({ at, kind, text, ...extra })
    this.markerPositions.push(this.lines)
    if (this.markerPositions.length > KEPT_MARKER_POSITIONS) {
      this.markerPositions.shift()
      this.olderMarkers++
    }
    this.push({ hostTime: at, text, marker: true }, false)
    this.options.onLines(this)
  }

  /** The stream is cut here: the line under way ends, and the record the parser holds open. */
  private cutLine(at: number): void {
    this.splitter.flush(this.lineSink(at))
    this.takeEvents(this.parser.flush(at))
    this.options.onLines(this)
  }

  private push(line: Omit<MonitorLine, 'seq'>, fromDevice: boolean): void {
    const stored = this.ring.push((seq) => ({ seq, ...line }))
    if (fromDevice) {
      this.lines++
      if (this.options.spool) this.options.spool.lines = this.lines
    }
    this.options.onLine?.(stored)
  }

  private end(ended: { reason: 'closed' | 'port-lost' | 'failed' | 'shutdown'; message?: string; resumable: boolean; waitingForPort?: boolean }, level?: MonitorNotice['level']): void {
    this.setStatus({ state: 'ended', since: this.now(), ...ended }, level && ended.message ? { level, message: ended.message } : undefined)
  }

  private releaseLease(): void {
    this.lease?.release()
    this.lease = undefined
  }

  private notice(level: MonitorNotice['level'], message: string): void {
    this.options.onStatus(this, { level, message })
  }

  private setStatus(status: MonitorStatus, notice?: MonitorNotice): void {
    this.statusValue = status
    this.options.onStatus(this, notice)
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
