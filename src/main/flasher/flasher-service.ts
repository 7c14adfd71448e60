// FlasherService: one job per device, any number of devices in parallel, each isolated (its
// own link, loader and AbortController). A job holds its device's lock (DeviceLocks, keyed
// by the normalised link) from start to end, so two spellings of one link never run two jobs;
// a monitor on the device hands the port over before the job opens it, and gets it back after.
// Every change goes out as a FlasherJobState on onDidChangeJob — plain JSON, so the UI
// contract can carry it unchanged.
import { Emitter, type Event } from '../../common/event'
import { CancelledError, PairKitError, serializeError } from '../../common/errors'
import { isFinal, type FlasherJobState, type FlasherOperation } from '../../common/flasher/job-state'
import type { PlannedRegion } from '../../common/flasher/plan'
import { DeviceLocks, type DeviceLease } from '../devices/device-locks'
import type { AfterMode } from './flash-ops'
import { erase, flash, probe, readFlashRange, type ConnectOptions, type JobReporter } from './operations'

/** What a job composed elsewhere (provisioning, flash-then-probe) gets to work with. */
export interface JobContext {
  port: string
  signal: AbortSignal
  reporter: JobReporter
}

export type FlasherRequest =
  | { operation: 'probe'; port: string; options?: ConnectOptions & { readBack?: boolean; resetAfter?: boolean } }
  | { operation: 'flash'; port: string; regions: PlannedRegion[]; bundleChip?: string; after?: AfterMode; compress?: boolean; full?: boolean; options?: ConnectOptions }
  | { operation: 'erase'; port: string; region?: { offset: number; size: number }; options?: ConnectOptions }
  | { operation: 'read-flash'; port: string; offset: number; size: number; options?: ConnectOptions }
  /** A job made of the operations above, run under the same lock, events and cancel. */
  | { operation: FlasherOperation; port: string; run: (context: JobContext) => Promise<unknown> }

interface Job {
  id: string
  request: FlasherRequest
  controller: AbortController
  lease: DeviceLease
  state: FlasherJobState
  done: Promise<FlasherJobState>
  /** The raw result (read-flash bytes are not JSON; callers get them here). */
  value?: unknown
}

/** How long after cancel() the job must have stopped; the loader wakes at once, this is a backstop. */
const CANCEL_GRACE_MS = 1000

export class FlasherService {
  private readonly jobs = new Map<string, Job>()
  private readonly _onDidChangeJob = new Emitter<FlasherJobState>()
  readonly onDidChangeJob: Event<FlasherJobState> = this._onDidChangeJob.event
  private nextId = 1

  /** `locks`: shared with everything else that talks to devices (the backend's); a private set by default. */
  constructor(readonly locks: DeviceLocks = new DeviceLocks()) {}

  /** Starts a job; throws DEVICE_BUSY when the device is busy, BAD_INPUT when the port is not a link. */
  start(request: FlasherRequest): string {
    const id = `flash-${this.nextId++}`
    const lease = this.locks.acquire(request.port, request.operation, id)
    const controller = new AbortController()
    const base = { jobId: id, port: request.port, deviceId: lease.deviceId, operation: request.operation }
    const job: Job = { id, request, controller, lease, state: { ...base, type: 'queued' }, done: Promise.resolve(undefined as never) }
    this.jobs.set(id, job)
    this.emit(job, job.state)
    job.done = this.run(job, base)
    return id
  }

  get(jobId: string): FlasherJobState | undefined {
    return this.jobs.get(jobId)?.state
  }

  list(): FlasherJobState[] {
    return [...this.jobs.values()].map((job) => job.state)
  }

  /** The final state; `value` carries the operation's raw result (e.g. read-flash bytes). */
  async wait(jobId: string): Promise<{ state: FlasherJobState; value?: unknown }> {
    const job = this.jobs.get(jobId)
    if (!job) throw new PairKitError('NOT_FOUND', `no flasher job ${jobId}`)
    const state = await job.done
    return { state, value: job.value }
  }

  cancel(jobId: string): void {
    this.jobs.get(jobId)?.controller.abort()
  }

  /** Drops finished jobs from the list. */
  forgetFinished(): void {
    for (const [id, job] of this.jobs) if (isFinal(job.state)) this.jobs.delete(id)
  }

  async dispose(): Promise<void> {
    for (const job of this.jobs.values()) job.controller.abort()
    await Promise.all([...this.jobs.values()].map((job) => job.done))
    this._onDidChangeJob.dispose()
  }

  private emit(job: Job, state: FlasherJobState): void {
    if (state.type !== 'warning') job.state = state
    this._onDidChangeJob.fire(state)
  }

  private async run(job: Job, base: { jobId: string; port: string; deviceId: string; operation: FlasherOperation }): Promise<FlasherJobState> {
    const signal = job.controller.signal
    const reporter: JobReporter = {
      deviceState: 'the device was not reached; nothing was changed',
      stage: (stage) => this.emit(job, { ...base, type: 'connecting', stage }),
      warning: (message) => this.emit(job, { ...base, type: 'warning', message }),
      progress: (phase, progress, region) =>
        this.emit(job, {
          ...base,
          type: 'progress',
          phase,
          bytesDone: progress.bytesDone,
          bytesTotal: progress.bytesTotal,
          percent: progress.percent,
          bytesPerSecond: progress.bytesPerSecond,
          ...(progress.etaSeconds !== undefined ? { etaSeconds: progress.etaSeconds } : {}),
          ...(region ? { region } : {}),
        }),
    }
    await Promise.resolve()
    const work = Promise.resolve().then(async () => {
      // A monitor that had the device closes its port first (it resumes after the job).
      await job.lease.ready
      if (signal.aborted) throw new CancelledError()
      return this.dispatch(job.request, signal, reporter)
    })
    // Backstop: if something below ignores the abort, the job still ends within a second
    // (also when it was cancelled before it began: the abort event has then been and gone).
    const cancelled = new Promise<never>((_, reject) => {
      const giveUp = () => setTimeout(() => reject(new CancelledError()), CANCEL_GRACE_MS).unref()
      if (signal.aborted) giveUp()
      else signal.addEventListener('abort', giveUp, { once: true })
    })
    let final: FlasherJobState
    try {
      job.value = await Promise.race([work, cancelled])
      const result = job.value instanceof Uint8Array ? { bytes: job.value.length } : job.value
      final = { ...base, type: 'done', result, deviceState: reporter.deviceState }
    } catch (error) {
      work.catch(() => {})
      if (signal.aborted) final = { ...base, type: 'cancelled', deviceState: reporter.deviceState }
      else final = { ...base, type: 'failed', error: serializeError(error), deviceState: reporter.deviceState }
    }
    // Free before telling: whoever hears "done" may start the next operation on the device.
    job.lease.release()
    this.emit(job, final)
    return final
  }

  private dispatch(request: FlasherRequest, signal: AbortSignal, reporter: JobReporter): Promise<unknown> {
    if ('run' in request) return request.run({ port: request.port, signal, reporter })
    const options = { ...(request.options ?? {}), signal }
    switch (request.operation) {
      case 'probe':
        return probe(request.port, options, reporter)
      case 'flash':
        return flash(
          request.port,
          {
            ...options,
            regions: request.regions,
            ...(request.bundleChip ? { bundleChip: request.bundleChip } : {}),
            ...(request.after ? { after: request.after } : {}),
            ...(request.compress !== undefined ? { compress: request.compress } : {}),
            ...(request.full ? { full: true } : {}),
          },
          reporter,
        )
      case 'erase':
        return erase(request.port, { ...options, ...(request.region ? { region: request.region } : {}) }, reporter)
      case 'read-flash':
        return readFlashRange(request.port, { ...options, offset: request.offset, size: request.size }, reporter)
    }
    throw new PairKitError('INTERNAL', `no way to run a ${String((request as { operation: unknown }).operation)} job`)
  }
}
