// CommissionService: one guided flow that makes two devices a working pair and documents it.
// Each step (src/common/commission/steps.ts) runs here with the project's own services — the
// flasher's jobs for the firmware check, flash and provisioning (under the device locks), the
// monitor's sessions for the consoles, the Diagnoser and ICE model on their events, the bridge
// test between the site brokers — and ends done, skipped or failed within its time limit. A
// failed step keeps the diagnosis; resume() runs the flow again from it.
import { randomUUID } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { validateBundle, type Bundle } from '../../common/bundle'
import { renderCommissionReportHtml } from '../../common/commission/report-html'
import type { CommissionInput, CommissionRecord, ReportFiles } from '../../common/commission/record'
import type { CommissionReport } from '../../common/commission/report'
import {
  COMMISSION_STEPS,
  STEP_LABELS,
  STEP_TIMEOUTS_MS,
  cancelFlow,
  completeFlow,
  failStep,
  finishStep,
  initialSteps,
  nextStep,
  resumeFrom,
  resumePoint,
  skipStep,
  startStep,
  type CommissionState,
  type CommissionStepId,
} from '../../common/commission/steps'
import { deviceIdOf } from '../../common/devices/device-id'
import type { Finding } from '../../common/diagnosis'
import { CancelledError, PairKitError, serializeError, type SerializedError } from '../../common/errors'
import { sleepUnlessAborted, withTimeout } from '../time-limits'
import { Emitter, type Event } from '../../common/event'
import type { FlasherJobState } from '../../common/flasher/job-state'
import type { BridgeTestResult } from '../../common/traffic/bridge-test-result'
import { maskUrlPassword } from '../../common/url-userinfo'
import { runBridgeTest, type BridgeTestOptions } from '../bridge-test/bridge-test'
import type { DeviceJobs } from '../devices/device-jobs'
import type { DeviceRegistry } from '../devices/device-registry'
import type { FlasherService } from '../flasher'
import type { MonitorService } from '../monitor'
import type { ConfigService } from '../services/config-service'
import type { HistoryStore } from '../state/history-store'
import { buildCommissionReport } from './commission-report'
import { RECORDS_FOLDER, type CommissionStore } from './commission-store'
import { BOOTED, BRIDGED, ConsoleWatch, SYNCED } from './console-watch'
import { checkFirmware } from './firmware-check'
import { siteBrokerUrl } from './site-broker'
import { buildSupportBundle } from './support-bundle'

export interface CommissionServiceOptions {
  flasher: FlasherService
  jobs: DeviceJobs
  registry: DeviceRegistry
  monitor: MonitorService
  config: ConfigService
  history: HistoryStore
  store: CommissionStore
  /** The bridge test's settings (probes, throughput steps); the defaults keep it under a minute. */
  bridgeTest?: Omit<BridgeTestOptions, 'a' | 'b' | 'signal'>
  /** Step time limits, to shorten them in tests. */
  timeouts?: Partial<Record<CommissionStepId, number>>
}

export interface StartCommission {
  a: string
  b: string
  pairId: string
  bundle: Bundle
  /** The bundle's name and SHA-256, as the history records it. */
  bundleInfo: { name: string; sha256: string }
  siteAMqtt?: string
  siteBMqtt?: string
  notes?: string
  /** Where the report's files go; default the data folder's records/<pair>/<commissioning>/. */
  outDir?: string
}

/** The bridge test a commissioning runs unless told otherwise: enough probes for a p95, two throughput steps. */
export const COMMISSION_BRIDGE_TEST: Omit<BridgeTestOptions, 'a' | 'b' | 'signal'> = { count: 50, throughput: [50, 200], stepMs: 1000 }

const WATCH_POLL_MS = 100
/** Steps that only watch the consoles. */
const WATCH_STEPS: readonly CommissionStepId[] = ['boot', 'sync', 'connect']

interface Flow {
  state: CommissionState
  request: Omit<StartCommission, 'bundle'> & { bundle?: Bundle }
  controller: AbortController
  running: Promise<CommissionState> | undefined
  watches: { a: ConsoleWatch; b: ConsoleWatch }
  sessions: { a?: string; b?: string }
  spoolDirs: { a: string[]; b: string[] }
  flashed: { a: boolean; b: boolean }
  bridgeTest?: BridgeTestResult
  report?: CommissionReport
  files?: ReportFiles
}

export class CommissionService {
  private readonly flows = new Map<string, Flow>()
  private readonly _onState = new Emitter<CommissionState>()
  /** Every change of a flow (commission.state). */
  readonly onState: Event<CommissionState> = this._onState.event
  private readonly listening: { dispose(): void }

  constructor(private readonly options: CommissionServiceOptions) {
    this.listening = options.monitor.onParsedEvent(({ deviceId, sessionId, event }) => {
      for (const flow of this.flows.values()) {
        if (flow.sessions.a === sessionId && flow.state.a === deviceId) flow.watches.a.push(event)
        else if (flow.sessions.b === sessionId) flow.watches.b.push(event)
      }
    })
  }

  /** Starts a flow; resolves with its id at once (the flow runs on; see onState and wait()). */
  start(request: StartCommission): string {
    const a = deviceIdOf(request.a)
    const b = deviceIdOf(request.b)
    if (a === b) throw new PairKitError('BAD_INPUT', `A and B are the same device (${a})`, { hint: 'Choose two different devices.' })
    this.options.config.checkCanProvision(request.pairId, 'a')
    this.options.config.checkCanProvision(request.pairId, 'b')
    const report = validateBundle(request.bundle)
    const fatal = report.problems.find((problem) => problem.severity === 'error')
    if (fatal) throw new PairKitError('BAD_INPUT', `the bundle cannot be written: ${fatal.message}`, { hint: 'Choose the firmware build again, or fix the problem named.' })
    for (const flow of this.flows.values()) {
      if (flow.running && [flow.state.a, flow.state.b].some((id) => id === a || id === b)) {
        throw new PairKitError('DEVICE_BUSY', `${flow.state.a === a || flow.state.b === a ? a : b} is being commissioned (${flow.state.commissionId})`, { hint: 'Wait for that commissioning to end, or cancel it.' })
      }
    }
    const commissionId = `com-${randomUUID().slice(0, 8)}`
    const state: CommissionState = { commissionId, pairId: request.pairId, a, b, status: 'running', steps: initialSteps(), startedAt: Date.now() }
    const flow: Flow = {
      state,
      request: { ...request, a, b },
      controller: new AbortController(),
      running: undefined,
      watches: { a: new ConsoleWatch(a), b: new ConsoleWatch(b) },
      sessions: {},
      spoolDirs: { a: [], b: [] },
      flashed: { a: false, b: false },
    }
    this.flows.set(commissionId, flow)
    this.save(flow)
    this._onState.fire(state)
    flow.running = this.run(flow)
    return commissionId
  }

  /** Runs a stopped flow again from `from` (default: the failed step). */
  resume(commissionId: string, options: { from?: CommissionStepId; notes?: string } = {}): void {
    const flow = this.flow(commissionId)
    if (flow.running) throw new PairKitError('DEVICE_BUSY', `commissioning ${commissionId} is still running`, { hint: 'Wait for it to stop, or cancel it first.' })
    const from = resumePoint(flow.state, options.from)
    if (!flow.request.bundle && COMMISSION_STEPS.indexOf(from) === 0) {
      throw new PairKitError('NOT_FOUND', 'the firmware bundle of this commissioning is no longer loaded', { hint: 'Start a new commissioning with the firmware.' })
    }
    flow.state = resumeFrom(flow.state, from)
    // A watch resumed on consoles still open judges what they show from now on (the firmware
    // tries again by itself after a failure); the failure it stopped at is behind it.
    if (WATCH_STEPS.includes(from)) for (const side of ['a', 'b'] as const) flow.watches[side].mark()
    if (options.notes !== undefined) flow.request.notes = options.notes
    flow.controller = new AbortController()
    this.save(flow)
    this._onState.fire(flow.state)
    flow.running = this.run(flow)
  }

  cancel(commissionId: string): void {
    this.flow(commissionId).controller.abort()
  }

  /** The flow's state once it stops (done, failed or cancelled). */
  async wait(commissionId: string): Promise<CommissionState> {
    const flow = this.flow(commissionId)
    return flow.running ? await flow.running : flow.state
  }

  state(commissionId: string): CommissionState {
    return this.flow(commissionId).state
  }

  records(pairId?: string): CommissionRecord[] {
    return this.options.store.list(pairId)
  }

  report(commissionId: string): { report: CommissionReport; html: string } {
    const report = this.options.store.get(commissionId)?.report
    if (!report) throw new PairKitError('NOT_FOUND', `commissioning ${commissionId} has no report`, { hint: 'Run the commissioning to its end; the report is its last step.' })
    return { report, html: renderCommissionReportHtml(report) }
  }

  /** The support bundle written with the report, as its file name and bytes. */
  async supportBundle(commissionId: string): Promise<{ fileName: string; bytes: Uint8Array }> {
    const file = this.files(commissionId)?.supportBundle
    const missing = () => new PairKitError('NOT_FOUND', `commissioning ${commissionId} has no support bundle`, { hint: 'Run the commissioning to its end with a data folder; the bundle is written with the report.' })
    if (!file) throw missing()
    const bytes = await readFile(file).catch(() => {
      throw missing()
    })
    return { fileName: path.basename(file), bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) }
  }

  /** Where a finished flow's report files are. */
  files(commissionId: string): ReportFiles | undefined {
    return this.flows.get(commissionId)?.files ?? this.options.store.get(commissionId)?.files
  }

  /** Stops every flow and closes the consoles it opened. */
  async dispose(): Promise<void> {
    for (const flow of this.flows.values()) flow.controller.abort()
    await Promise.all([...this.flows.values()].map((flow) => flow.running?.catch(() => undefined)))
    for (const flow of this.flows.values()) await this.closeConsoles(flow)
    this.listening.dispose()
    this._onState.dispose()
  }

  private flow(commissionId: string): Flow {
    const flow = this.flows.get(commissionId)
    if (flow) return flow
    const kept = this.options.store.get(commissionId)
    if (!kept) throw new PairKitError('NOT_FOUND', `there is no commissioning ${commissionId}`, { hint: 'Pick one from the pair\'s records.' })
    // A record from an earlier run: it can be resumed from any step after the firmware.
    const restored: Flow = {
      state: kept.state,
      request: { a: kept.state.a, b: kept.state.b, pairId: kept.state.pairId, bundleInfo: kept.input.bundle, notes: kept.input.notes, ...(kept.input.siteAMqtt ? { siteAMqtt: kept.input.siteAMqtt } : {}), ...(kept.input.siteBMqtt ? { siteBMqtt: kept.input.siteBMqtt } : {}) },
      controller: new AbortController(),
      running: undefined,
      watches: { a: new ConsoleWatch(kept.state.a), b: new ConsoleWatch(kept.state.b) },
      sessions: {},
      spoolDirs: { a: [], b: [] },
      flashed: { a: false, b: false },
      ...(kept.files ? { files: kept.files } : {}),
    }
    this.flows.set(commissionId, restored)
    return restored
  }

  private async run(flow: Flow): Promise<CommissionState> {
    try {
      for (let step = nextStep(flow.state); step; step = nextStep(flow.state)) {
        const cancelled = flow.controller.signal
        if (cancelled.aborted) throw new CancelledError()
        this.update(flow, startStep(flow.state, step, Date.now()))
        const limit = this.options.timeouts?.[step] ?? STEP_TIMEOUTS_MS[step]
        // The step's own signal: aborted on cancel and when its time is up, so nothing of it runs on.
        const stepController = new AbortController()
        const stop = () => stepController.abort()
        cancelled.addEventListener('abort', stop, { once: true })
        const signal = stepController.signal
        try {
          const outcome = await withTimeout(this.runStep(flow, step, signal), limit, () => (stop(), timeoutError(step, limit, flow)), cancelled)
          if (outcome.skipped) this.update(flow, skipStep(flow.state, step, Date.now(), outcome.detail ?? STEP_LABELS[step]))
          else this.update(flow, finishStep(flow.state, step, Date.now(), outcome.detail))
        } catch (error) {
          if (cancelled.aborted) throw new CancelledError()
          const findings = stepFindings(step, flow)
          const failed = error instanceof StepFailure ? error.failure : { error: serializeError(error) }
          this.update(flow, failStep(flow.state, step, Date.now(), { ...failed, ...(findings.length > 0 && !failed.findings ? { findings } : {}) }))
          return flow.state
        } finally {
          cancelled.removeEventListener('abort', stop)
          stop()
        }
      }
      this.update(flow, completeFlow(flow.state, Date.now()))
      return flow.state
    } catch {
      this.update(flow, cancelFlow(flow.state, Date.now(), 'the commissioning was cancelled'))
      return flow.state
    } finally {
      flow.running = undefined
      if (flow.state.status !== 'failed') await this.closeConsoles(flow)
    }
  }

  private async runStep(flow: Flow, step: CommissionStepId, signal: AbortSignal): Promise<{ detail?: string; skipped?: boolean }> {
    switch (step) {
      case 'firmware':
        return this.firmware(flow, signal)
      case 'provision':
        return this.provision(flow, signal)
      case 'reset':
        return this.reset(flow)
      case 'boot':
        return this.watch(flow, signal, BOOTED, 'boot')
      case 'sync':
        return this.watch(flow, signal, SYNCED, 'sync')
      case 'connect':
        return this.watch(flow, signal, (event) => BRIDGED(event), 'connect')
      case 'bridge-test':
        return this.bridge(flow, signal)
      case 'report':
        return this.writeReport(flow)
    }
  }

  /** Compares the bundle with each device and flashes the parts that differ, both devices at once. */
  private async firmware(flow: Flow, signal: AbortSignal): Promise<{ detail: string; skipped?: boolean }> {
    const bundle = flow.request.bundle
    if (!bundle) throw new PairKitError('NOT_FOUND', 'the firmware bundle of this commissioning is no longer loaded', { hint: 'Start a new commissioning with the firmware.' })
    await this.closeConsoles(flow)
    const regions = bundle.parts.map((part) => ({ offset: part.offset, name: part.name, bytes: part.bytes }))
    const chip = validateBundle(bundle).chip ?? bundle.chip
    const one = async (side: 'a' | 'b'): Promise<string> => {
      const deviceId = flow.state[side]
      const check = await this.job(this.options.flasher.start({ operation: 'probe', port: deviceId, run: (context) => checkFirmware(context, regions) }), signal)
      const differing = (check.result as { differing: number[] }).differing
      const name = side.toUpperCase()
      if (differing.length === 0) return `${name} already holds this firmware`
      const jobId = this.options.jobs.flash(deviceId, {
        regions: regions.filter((region) => differing.includes(region.offset)),
        bundle: flow.request.bundleInfo,
        options: {},
        ...(chip ? { chip } : {}),
        pair: { pairId: flow.state.pairId, role: side === 'a' ? 1 : 2 },
        commissionId: flow.state.commissionId,
      })
      await this.job(jobId, signal)
      flow.flashed[side] = true
      return `${name} was flashed (${differing.length} of ${regions.length} parts differed)`
    }
    const [a, b] = await Promise.all([one('a'), one('b')])
    return { detail: `${a}; ${b}`, ...(flow.flashed.a || flow.flashed.b ? {} : { skipped: true }) }
  }

  private async provision(flow: Flow, signal: AbortSignal): Promise<{ detail: string }> {
    await this.closeConsoles(flow)
    const one = async (side: 'a' | 'b') => {
      const jobId = this.options.jobs.provision(flow.state[side], flow.state.pairId, side === 'a' ? 1 : 2, { commissionId: flow.state.commissionId })
      const done = await this.job(jobId, signal)
      const differences = (done.result as { readBack?: { differences?: { label: string }[] } }).readBack?.differences ?? []
      if (differences.length > 0) {
        throw new PairKitError('VERIFY_FAILED', `the settings read back from ${side.toUpperCase()} differ from the pair's in ${differences.map((d) => d.label).join(', ')}`, { hint: 'Provision the device again; if it repeats, its flash may be faulty.' })
      }
    }
    await Promise.all([one('a'), one('b')])
    return { detail: 'role 1 written to A and role 2 to B, both read back as intended' }
  }

  /** Opens both consoles with the flasher's hard reset, so every line of the boot is seen. */
  private async reset(flow: Flow): Promise<{ detail: string }> {
    await this.closeConsoles(flow)
    for (const side of ['a', 'b'] as const) flow.watches[side].mark()
    const open = async (side: 'a' | 'b') => {
      const deviceId = flow.state[side]
      this.options.registry.add(deviceId)
      const { sessionId } = await this.options.monitor.open({ deviceId, reset: true })
      flow.sessions[side] = sessionId
      const dir = this.options.monitor.list().find((session) => session.sessionId === sessionId)?.spoolDir
      if (dir) flow.spoolDirs[side].push(dir)
    }
    await Promise.all([open('a'), open('b')])
    return { detail: 'both consoles are open and both devices were reset' }
  }

  /** Waits until both consoles show `done` since the reset; an error finding on either fails the step at once. */
  private async watch(flow: Flow, signal: AbortSignal, done: (event: import('../../common/logs/events').LogEvent) => boolean, step: 'boot' | 'sync' | 'connect'): Promise<{ detail: string }> {
    if (!flow.sessions.a || !flow.sessions.b) {
      throw new PairKitError('NOT_FOUND', 'the devices\' consoles are not open', { hint: 'Resume from the reset step.' })
    }
    for (;;) {
      if (signal.aborted) throw new CancelledError()
      const a = flow.watches.a
      const b = flow.watches.b
      const connected = (watch: ConsoleWatch) => step !== 'connect' || watch.iceModel().sessions.at(-1)?.connected === true
      if (a.has(done) && b.has(done) && connected(a) && connected(b)) break
      const errors = [...a.findings(), ...b.findings()].filter((finding) => finding.severity === 'error')
      if (errors.length > 0) {
        const first = errors[0] as Finding
        throw new StepFailure({
          error: { code: 'TIMEOUT', message: `${first.device ?? 'a device'}: ${first.title}`, hint: first.action },
          findings: errors,
        })
      }
      await sleepUnlessAborted(WATCH_POLL_MS, signal)
    }
    const detail = { boot: 'both devices booted the bridge firmware and started their site brokers', sync: 'both devices met on the signalling broker', connect: 'both devices connected and their bridges joined their site brokers' }
    return { detail: detail[step] }
  }

  private async bridge(flow: Flow, signal: AbortSignal): Promise<{ detail: string }> {
    const a = siteBrokerUrl(flow.state.a, flow.watches.a.all, flow.request.siteAMqtt)
    const b = siteBrokerUrl(flow.state.b, flow.watches.b.all, flow.request.siteBMqtt)
    if (!a || !b) {
      throw new PairKitError('NOT_FOUND', `the site broker of ${a ? 'B' : 'A'} is not known: its console never said which port its broker listens on`, { hint: 'Give the site broker\'s address, or resume from the reset step so the console shows the boot.' })
    }
    const started = Date.now()
    let result: BridgeTestResult | undefined
    try {
      result = await runBridgeTest({ ...COMMISSION_BRIDGE_TEST, ...this.options.bridgeTest, a, b, signal })
    } finally {
      for (const side of ['a', 'b'] as const) {
        // Recorded whatever the outcome: the pair's history says it was tested.
        this.options.history.add({
          startedAt: started,
          endedAt: Date.now(),
          deviceId: flow.state[side],
          operation: 'bridge-test',
          outcome: signal.aborted ? 'cancelled' : result?.pass === true ? 'done' : 'failed',
          regions: [],
          pair: { pairId: flow.state.pairId, role: side === 'a' ? 1 : 2 },
          commissionId: flow.state.commissionId,
        })
      }
    }
    if (!result) throw new PairKitError('INTERNAL', 'the bridge test ended without a result')
    flow.bridgeTest = result
    const summary = `A → B ${result.aToB.received}/${result.aToB.sent}, p95 ${result.aToB.p95Ms ?? '—'} ms; B → A ${result.bToA.received}/${result.bToA.sent}, p95 ${result.bToA.p95Ms ?? '—'} ms`
    if (!result.pass) {
      const why = result.findings.find((finding) => finding.severity === 'error')?.message ?? 'loss or latency over the thresholds'
      throw new StepFailure({ error: { code: 'VERIFY_FAILED', message: `the bridge test failed: ${why} (${summary})`, hint: 'Look at both consoles for drops, then run the bridge test again by resuming from it.' }, detail: summary })
    }
    return { detail: `passed between ${maskUrlPassword(a)} and ${maskUrlPassword(b)}: ${summary}` }
  }

  private async writeReport(flow: Flow): Promise<{ detail: string }> {
    // The watch is over: the consoles close so their spools are complete in the bundle.
    await this.closeConsoles(flow)
    const now = Date.now()
    const pair = this.options.config.summaryOf(flow.state.pairId)
    const device = (side: 'a' | 'b') => ({
      deviceId: flow.state[side],
      facts: this.options.registry.facts(flow.state[side]),
      flashed: flow.flashed[side],
      broker: siteBrokerUrl(flow.state[side], flow.watches[side].all, side === 'a' ? flow.request.siteAMqtt : flow.request.siteBMqtt),
      ice: flow.watches[side].iceModel(),
      findings: flow.watches[side].findings(),
    })
    const report = buildCommissionReport({
      reportId: randomUUID(),
      state: finishStep(flow.state, 'report', now),
      bundle: flow.request.bundleInfo,
      notes: flow.request.notes ?? '',
      pair,
      a: device('a'),
      b: device('b'),
      bridgeTest: flow.bridgeTest,
      now,
    })
    const html = renderCommissionReportHtml(report)
    const zip = await buildSupportBundle({
      report,
      html,
      pair,
      secrets: this.options.config.secretTexts(flow.state.pairId),
      a: { folder: 'a', deviceId: flow.state.a, events: flow.watches.a.all, ice: flow.watches.a.iceModel(), spoolDirs: flow.spoolDirs.a },
      b: { folder: 'b', deviceId: flow.state.b, events: flow.watches.b.all, ice: flow.watches.b.iceModel(), spoolDirs: flow.spoolDirs.b },
    })
    const dir = flow.request.outDir ?? this.options.store.reportDir(flow.state.pairId, flow.state.commissionId)
    if (dir) {
      await mkdir(dir, { recursive: true })
      const base = `pairkit-commissioning-${flow.state.pairId}-${flow.state.commissionId}`
      const files: ReportFiles = { dir, json: path.join(dir, `${base}.json`), html: path.join(dir, `${base}.html`), supportBundle: path.join(dir, `${base}-support.zip`) }
      await writeFile(files.json, JSON.stringify(report, null, 1))
      await writeFile(files.html, html)
      await writeFile(files.supportBundle, zip)
      flow.files = files
    }
    flow.report = report
    this.update(flow, { ...flow.state, reportId: report.reportId })
    if (report.outcome === 'commissioned') {
      for (const side of ['a', 'b'] as const) {
        this.options.history.add({
          startedAt: flow.state.startedAt,
          endedAt: now,
          deviceId: flow.state[side],
          operation: 'commission',
          outcome: 'done',
          regions: [],
          pair: { pairId: flow.state.pairId, role: side === 'a' ? 1 : 2 },
          commissionId: flow.state.commissionId,
          ...(report.devices[side === 'a' ? 0 : 1].chip ? { chip: report.devices[side === 'a' ? 0 : 1].chip as string } : {}),
          ...(report.devices[side === 'a' ? 0 : 1].mac ? { mac: report.devices[side === 'a' ? 0 : 1].mac as string } : {}),
          bundle: flow.request.bundleInfo,
        })
      }
    }
    // The data folder's own path stays out of the detail: it is the same for every record, and the page may be photographed.
    const inDataFolder = flow.files && flow.files.dir === this.options.store.reportDir(flow.state.pairId, flow.state.commissionId)
    return { detail: !flow.files ? 'kept with the pair\'s records' : inDataFolder ? `written with the pair's records in the data folder (${RECORDS_FOLDER}/${flow.state.pairId}/${flow.state.commissionId}/)` : `written to ${flow.files.dir}` }
  }

  /** Waits for a flasher job; its failure becomes the step's (with the device's state in the message). */
  private async job(jobId: string, signal: AbortSignal): Promise<Extract<FlasherJobState, { type: 'done' }>> {
    const onAbort = () => this.options.flasher.cancel(jobId)
    signal.addEventListener('abort', onAbort, { once: true })
    try {
      const { state } = await this.options.flasher.wait(jobId)
      if (state.type === 'done') return state
      if (state.type === 'cancelled') throw new CancelledError()
      if (state.type === 'failed') throw new StepFailure({ error: { ...state.error, message: `${state.deviceId}: ${state.error.message} (${state.deviceState})` } })
      throw new PairKitError('INTERNAL', `flasher job ${jobId} ended as ${state.type}`)
    } finally {
      signal.removeEventListener('abort', onAbort)
    }
  }

  private async closeConsoles(flow: Flow): Promise<void> {
    for (const side of ['a', 'b'] as const) {
      const sessionId = flow.sessions[side]
      if (!sessionId) continue
      delete flow.sessions[side]
      await this.options.monitor.close(sessionId).catch(() => undefined)
    }
  }

  private update(flow: Flow, state: CommissionState): void {
    flow.state = state
    this.save(flow)
    this._onState.fire(state)
  }

  private save(flow: Flow): void {
    const input: CommissionInput = {
      bundle: flow.request.bundleInfo,
      notes: flow.request.notes ?? '',
      ...(flow.request.siteAMqtt ? { siteAMqtt: maskUrlPassword(flow.request.siteAMqtt) } : {}),
      ...(flow.request.siteBMqtt ? { siteBMqtt: maskUrlPassword(flow.request.siteBMqtt) } : {}),
    }
    this.options.store.put({ state: flow.state, input, ...(flow.report ? { report: flow.report } : {}), ...(flow.files ? { files: flow.files } : {}) })
  }
}

/** A step's failure with what the step knows beyond the error (findings, a detail). */
class StepFailure extends Error {
  constructor(readonly failure: { error: SerializedError; findings?: Finding[]; detail?: string }) {
    super(failure.error.message)
  }
}

/** The findings that explain a failed step: error and warning findings of both consoles since the reset. */
function stepFindings(step: CommissionStepId, flow: Flow): Finding[] {
  if (COMMISSION_STEPS.indexOf(step) < COMMISSION_STEPS.indexOf('boot')) return []
  return [...flow.watches.a.findings(), ...flow.watches.b.findings()].filter((finding) => finding.severity !== 'info')
}

function timeoutError(step: CommissionStepId, limit: number, flow: Flow): StepFailure {
  const seconds = Math.round(limit / 1000)
  const waiting = (test: (event: import('../../common/logs/events').LogEvent) => boolean) =>
    (['a', 'b'] as const).filter((side) => !flow.watches[side].has(test)).map((side) => side.toUpperCase()).join(' and ')
  const who = step === 'boot' ? waiting(BOOTED) : step === 'sync' ? waiting(SYNCED) : step === 'connect' ? waiting(BRIDGED) : ''
  const findings = stepFindings(step, flow)
  const first = findings[0]
  return new StepFailure({
    error: {
      code: 'TIMEOUT',
      message: `"${STEP_LABELS[step]}" did not finish within ${seconds} s${who ? ` (still waiting for ${who})` : ''}`,
      hint: first ? first.action : 'Check both devices\' consoles, then resume from this step.',
    },
    ...(findings.length > 0 ? { findings } : {}),
  })
}

