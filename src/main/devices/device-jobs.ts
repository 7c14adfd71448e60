// The jobs the UI starts on devices — probe, flash, provision — and what follows from them:
// the device becomes known, its registry entry learns what the job found (reachable or not,
// the probe's facts), a flash or a provisioning is probed again by itself and recorded in
// the history. The jobs run in the FlasherService, under the device's lock.
import type { DeviceBusy, HistoryEntry, ProvisionResult } from '../../common/contract'
import { PairKitError, type SerializedError } from '../../common/errors'
import type { FlashResult, FlasherJobState } from '../../common/flasher/job-state'
import type { PlannedRegion } from '../../common/flasher/plan'
import type { ProbeResult } from '../../common/flasher/probe-result'
import { Disposable } from '../../common/lifecycle'
import type { FlasherService } from '../flasher'
import { flash, probe, type ConnectOptions } from '../flasher/operations'
import { provisionNvs } from '../provision/provision-nvs'
import type { ConfigService } from '../services/config-service'
import type { HistoryStore } from '../state/history-store'
import type { DeviceRegistry } from './device-registry'

/** What a flash job hands back: the flash, then the probe that followed it. */
export type FlashThenProbeResult = FlashResult & { probe?: ProbeResult; reprobeError?: SerializedError }

interface Tracked {
  operation: 'probe' | 'flash' | 'provision'
  deviceId: string
  startedAt: number
  /** The link opened: a connecting stage was reported (Session.open reports it once the link is up). */
  reached: boolean
  bundle?: { name: string; sha256: string }
  pair?: { pairId: string; role: 1 | 2 }
  /** The commissioning this job is a step of. */
  commissionId?: string
}

/** Failures that mean the link itself is not there (as opposed to a chip that did not answer). */
const LINK_DOWN = new Set(['PORT_NOT_FOUND', 'PORT_DISCONNECTED'])

export class DeviceJobs extends Disposable {
  private readonly tracked = new Map<string, Tracked>()

  constructor(
    private readonly flasher: FlasherService,
    private readonly registry: DeviceRegistry,
    private readonly config: ConfigService,
    private readonly history: HistoryStore,
  ) {
    super()
    this.register(flasher.onDidChangeJob((state) => this.observe(state)))
  }

  /** What the device is doing, for the UI (from the shared locks). */
  busy(deviceId: string): DeviceBusy | undefined {
    return this.flasher.locks.busy(deviceId)
  }

  probe(link: string): string {
    const { id } = this.registry.add(link)
    return this.start({ operation: 'probe', deviceId: id }, () => this.flasher.start({ operation: 'probe', port: id, options: { readBack: true } }))
  }

  /** Writes the regions, verifies them, resets, and probes the device again in the same job. */
  flash(link: string, work: { regions: PlannedRegion[]; chip?: string; bundle: { name: string; sha256: string }; options: ConnectOptions; full?: boolean; pair?: Tracked['pair']; commissionId?: string }): string {
    const { id } = this.registry.add(link)
    const context = { ...(work.pair ? { pair: work.pair } : {}), ...(work.commissionId ? { commissionId: work.commissionId } : {}) }
    return this.start({ operation: 'flash', deviceId: id, bundle: work.bundle, ...context }, () =>
      this.flasher.start({
        operation: 'flash',
        port: id,
        run: async ({ port, signal, reporter }): Promise<FlashThenProbeResult> => {
          const options = { ...work.options, signal }
          const flashed = await flash(port, { ...options, regions: work.regions, ...(work.chip ? { bundleChip: work.chip } : {}), ...(work.full ? { full: true } : {}), after: 'hard-reset' }, reporter)
          const state = reporter.deviceState
          reporter.stage('probing the device again')
          const probeReporter = { ...reporter, deviceState: state }
          try {
            const probed = await probe(port, { ...options, readBack: true, resetAfter: true }, probeReporter)
            reporter.deviceState = probeReporter.deviceState
            return { ...flashed, probe: probed }
          } catch (error) {
            if (signal.aborted) throw error
            reporter.deviceState = `${state}; probing it again failed`
            return { ...flashed, reprobeError: error instanceof PairKitError ? error.toJSON() : { code: 'INTERNAL', message: String(error) } }
          }
        },
      }),
    )
  }

  /**
   * Writes the pair's settings for `role` into the device's nvs partition. Refused at once,
   * before the device is touched, when the pair or its passwords are not available.
   */
  provision(link: string, pairId: string, role: 1 | 2, options: { noReset?: boolean; commissionId?: string } = {}): string {
    const side = role === 1 ? 'a' : 'b'
    this.config.checkCanProvision(pairId, side)
    const { id } = this.registry.add(link)
    const pair = { pairId, role }
    return this.start({ operation: 'provision', deviceId: id, pair, ...(options.commissionId ? { commissionId: options.commissionId } : {}) }, () =>
      this.flasher.start({
        operation: 'provision',
        port: id,
        run: ({ port, signal, reporter }) =>
          provisionNvs(
            port,
            {
              signal,
              ...(options.noReset ? { reset: false } : {}),
              pair,
              image: (partition) => this.config.nvsImageBytes(pairId, side, partition.size),
              describe: (bytes) => this.config.readBackImage(bytes, pairId, side),
            },
            reporter,
          ),
      }),
    )
  }

  /**
   * A flash or provisioning job someone else started on the shared flasher (the virtual lab):
   * the device learns from it and the history records it, as for the UI's own jobs.
   */
  adopt(jobId: string, link: string, context: { operation: 'flash' | 'provision'; pair?: { pairId: string; role: 1 | 2 } }): void {
    const { id } = this.registry.add(link)
    this.tracked.set(jobId, { ...context, deviceId: id, startedAt: Date.now(), reached: false })
  }

  private start(context: Omit<Tracked, 'startedAt' | 'reached'>, begin: () => string): string {
    const jobId = begin()
    // The queued state was emitted inside begin(), before the job was tracked: nothing to learn from it.
    this.tracked.set(jobId, { ...context, startedAt: Date.now(), reached: false })
    return jobId
  }

  private observe(state: FlasherJobState): void {
    const job = this.tracked.get(state.jobId)
    if (!job) return
    if (state.type === 'connecting') job.reached = true
    if (state.type !== 'done' && state.type !== 'failed' && state.type !== 'cancelled') return
    this.tracked.delete(state.jobId)
    if (state.type === 'failed') {
      const down = LINK_DOWN.has(state.error.code) || !job.reached
      this.registry.recordConnection(job.deviceId, !down, down ? state.error.message : undefined)
      if (job.operation === 'probe') this.registry.recordProbe(job.deviceId, { error: state.error })
    } else if (state.type === 'done') {
      this.registry.recordConnection(job.deviceId, true)
      const after = probeOf(job.operation, state.result)
      if (after?.probe) this.registry.recordProbe(job.deviceId, { result: after.probe })
      else if (after?.error) this.registry.recordProbe(job.deviceId, { error: after.error })
    }
    if (job.operation !== 'probe') this.record(job, state)
  }

  private record(job: Tracked, state: Extract<FlasherJobState, { type: 'done' | 'failed' | 'cancelled' }>): void {
    const facts = this.registry.facts(job.deviceId)
    const entry: Omit<HistoryEntry, 'id'> = {
      startedAt: job.startedAt,
      endedAt: Date.now(),
      deviceId: job.deviceId,
      operation: job.operation === 'provision' ? 'provision' : 'flash',
      outcome: state.type,
      regions: state.type === 'done' ? regionsOf(job.operation, state.result) : [],
      deviceState: state.deviceState,
      ...(facts ? { chip: facts.chip } : {}),
      ...(facts?.mac ? { mac: facts.mac } : {}),
      ...(job.bundle ? { bundle: job.bundle } : {}),
      ...(job.pair ? { pair: job.pair } : {}),
      ...(job.commissionId ? { commissionId: job.commissionId } : {}),
      ...(state.type === 'failed' ? { error: state.error } : {}),
    }
    this.history.add(entry)
  }
}

/** The probe a job ended with (a probe job's own result, or the one after a write), or why it failed. */
function probeOf(operation: Tracked['operation'], result: unknown): { probe?: ProbeResult; error?: SerializedError } | undefined {
  if (operation === 'probe') return { probe: result as ProbeResult }
  const after = result as FlashThenProbeResult | ProvisionResult | undefined
  if (after?.probe) return { probe: after.probe }
  return after?.reprobeError ? { error: after.reprobeError } : undefined
}

function regionsOf(operation: Tracked['operation'], result: unknown): HistoryEntry['regions'] {
  if (operation === 'provision') {
    const provisioned = result as ProvisionResult
    return [{ offset: provisioned.partition.offset, size: provisioned.partition.size, name: provisioned.partition.name, md5: provisioned.md5 }]
  }
  return (result as FlashResult).regions.map((region) => ({ offset: region.offset, size: region.size, md5: region.md5, ...(region.name ? { name: region.name } : {}) }))
}
