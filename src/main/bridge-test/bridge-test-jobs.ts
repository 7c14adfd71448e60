// Bridge tests started from the UI, as jobs: progress (at most about five events a second) and
// the result or the error as bridgeTest.job events, cancel, and the recent ones for a page that
// reconnects.
import { randomBytes } from 'node:crypto'
import type { BridgeTestJob, RequestInput } from '../../common/contract'
import { Emitter } from '../../common/event'
import { CancelledError, PairKitError, serializeError } from '../../common/errors'
import { maskUrlPassword } from '../../common/url-userinfo'
import { runBridgeTest, type BridgeTestOptions } from './bridge-test'

/** Tests running at once; each keeps two broker connections busy for seconds. */
export const MAX_RUNNING = 4
/** Finished tests kept for bridgeTest.jobs. */
const KEEP_FINISHED = 20
const PROGRESS_INTERVAL_MS = 200

export class BridgeTestJobs {
  private readonly jobs = new Map<string, { state: BridgeTestJob; controller: AbortController }>()
  private readonly _onJob = new Emitter<BridgeTestJob>()
  readonly onJob = this._onJob.event

  constructor(private readonly run: (options: BridgeTestOptions) => ReturnType<typeof runBridgeTest> = runBridgeTest) {}

  start(input: RequestInput<'bridgeTest.start'>): { jobId: string } {
    const running = [...this.jobs.values()].filter((job) => job.state.state === 'running').length
    if (running >= MAX_RUNNING) throw new PairKitError('UNAVAILABLE', `${MAX_RUNNING} bridge tests are running already`, { hint: 'Wait for one to finish, or cancel it.' })
    const jobId = `bt-${randomBytes(4).toString('hex')}`
    const controller = new AbortController()
    const job = { state: { jobId, a: maskUrlPassword(input.a), b: maskUrlPassword(input.b), state: 'running', fraction: 0, startedAt: Date.now() } as BridgeTestJob, controller }
    this.jobs.set(jobId, job)
    this.forgetOld()
    this._onJob.fire({ ...job.state })
    let lastProgress = 0
    void this.run({
      a: input.a,
      b: input.b,
      ...(input.count !== undefined ? { count: input.count } : {}),
      ...(input.intervalMs !== undefined ? { intervalMs: input.intervalMs } : {}),
      ...(input.maxLoss !== undefined ? { maxLoss: input.maxLoss } : {}),
      ...(input.maxP95Ms !== undefined ? { maxP95Ms: input.maxP95Ms } : {}),
      ...(input.throughput !== undefined ? { throughput: input.throughput } : {}),
      ...(input.stepMs !== undefined ? { stepMs: input.stepMs } : {}),
      signal: controller.signal,
      onProgress: ({ step, fraction }) => {
        const stepChanged = job.state.step !== step
        job.state = { ...job.state, step, fraction }
        const now = Date.now()
        if (!stepChanged && now - lastProgress < PROGRESS_INTERVAL_MS) return
        lastProgress = now
        this._onJob.fire({ ...job.state })
      },
    }).then(
      (result) => this.finish(job, { state: 'done', fraction: 1, result }),
      (error: unknown) => this.finish(job, error instanceof CancelledError || controller.signal.aborted ? { state: 'cancelled' } : { state: 'failed', error: serializeError(error) }),
    )
    return { jobId }
  }

  cancel(jobId: string): void {
    const job = this.jobs.get(jobId)
    if (!job) throw new PairKitError('NOT_FOUND', `No bridge test "${jobId}"`, { hint: 'It may have finished long ago; start a new one.' })
    job.controller.abort()
  }

  list(): BridgeTestJob[] {
    return [...this.jobs.values()].map((job) => ({ ...job.state })).sort((x, y) => y.startedAt - x.startedAt)
  }

  dispose(): void {
    for (const job of this.jobs.values()) job.controller.abort()
    this._onJob.dispose()
  }

  private finish(job: { state: BridgeTestJob }, end: Partial<BridgeTestJob>): void {
    job.state = { ...job.state, ...end, endedAt: Date.now() }
    this._onJob.fire({ ...job.state })
  }

  private forgetOld(): void {
    const finished = [...this.jobs.values()].filter((job) => job.state.state !== 'running').sort((x, y) => x.state.startedAt - y.state.startedAt)
    for (const job of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) this.jobs.delete(job.state.jobId)
  }
}
