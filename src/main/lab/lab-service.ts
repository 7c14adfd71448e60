// LabService: the virtual lab. It starts, on loopback only, a signalling broker (embedded
// aedes), a STUN server and two twins on rfc2217:// links with their flash files under the
// data folder; writes PairKit's demo firmware to both with the flasher, provisions them as
// roles 1 and 2 of a new pair pointing at its own broker and STUN server, resets them with
// their consoles open and reports ready once both firmwares say they are connected to each
// other. stop() ends all of it and resolves once its sockets are closed.
//
//   start ─► firmware folder ─► signalling, STUN ─► twin 1, twin 2 ─► flash ─► provision
//     ─► reset with console ─► both connected: ready ─► consoles closed (the links are free
//        for the monitor, the flasher, the commissioning flow)
//
// One lab at a time. A failure on the way tears down what was started and keeps the error
// in the state until the next start or stop.
//
// With a fault scenario (lab-fault-plan.ts) the lab sets the fault up, brings the twins as far
// as they get, and then stays up in status `fault` instead of waiting for `ready`: the
// technician opens the twins' consoles (the Monitor and ICE views) and sees the diagnosis. A
// twin whose flashing fails there ("cable pulled") shows the flasher's error at its step.
//
// A blank lab leaves the job to the technician: its twins start with erased flash (like boards
// out of the box), the demo firmware folder is written, and the lab's pair is stored with
// PairKit's pairs (through `storePair`: pairs.json, its passwords in the SecretStore) under the
// name "Virtual lab". It is ready at once — ready to be commissioned, with the Commission view
// or `pairkit commission`, which flash, provision and test the twins like any two boards.
import { mkdtempSync, rmSync } from 'node:fs'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { throwIfBundleInvalid, validateBundle } from '../../common/bundle'
import { configToNvsImage, type DeviceConfig } from '../../common/config'
import { LAB_FAULTS, type LabFault, type LabItem, type LabState, type LabStep, type ProvisionResult } from '../../common/contract'
import { demoBuildFiles, demoBundle, DEMO_CHIPS, DEMO_FILES } from '../../common/demo-firmware'
import type { ChipName } from '../../common/esp/chips'
import { Emitter, type Event } from '../../common/event'
import { CancelledError, deserializeError, PairKitError, serializeError, type SerializedError } from '../../common/errors'
import type { FlasherRequest } from '../flasher'
import { FlasherService } from '../flasher'
import { startEmbeddedBroker } from '../peer/local-broker'
import { startStunServer } from '../peer/stun-server'
import { provisionNvs } from '../provision/provision-nvs'
import { MemorySecretStore } from '../secrets/secret-store'
import { ConfigService } from '../services/config-service'
import { freeLoopbackPort, waitUntilPortClosed } from './free-loopback-port'
import { startDemoTraffic } from './lab-demo-traffic'
import { labFaultPlan, type LabFaultPlan } from './lab-fault-plan'
import type { LabTwin, StartLabTwin } from './lab-twin-host'
import { LAB_PAIR_NAME, labPair, labPairSites, type LabSiteSettings } from './lab-pair'
import { watchTwinConsole, type TwinConsoleWatch } from './twin-console-watch'
import { withTimeout } from '../time-limits'

export interface LabServiceOptions {
  /** Starts a twin; without one the lab is not available in this host. */
  startTwin?: StartLabTwin
  /** The data folder: the lab keeps its firmware and the twins' flash files in `lab/` there. None: a temporary folder for the run. */
  dataDir?: string
  /** Shared with the backend, so its device locks cover the lab's jobs too. */
  flasher?: FlasherService
  /** Told of every flasher job the lab starts (the backend's devices and history learn from them). */
  onJob?: (jobId: string, link: string, job: { operation: 'flash' | 'provision'; pair?: { pairId: string; role: 1 | 2 } }) => void
  /** How long the twins may take from reset to connected (default 60 s). */
  readyTimeoutMs?: number
  /**
   * Keeps a blank lab's pair with PairKit's pairs (ConfigService.pair: pairs.json, passwords in
   * the SecretStore) and returns its id; without it a blank lab cannot start.
   */
  storePair?: (sites: { siteA: LabSiteSettings; siteB: LabSiteSettings }, name: string) => string
}

export interface LabStartOptions {
  /** Erased twins and a stored pair, for the technician to commission (see above). */
  blank?: boolean
}

export const DEFAULT_LAB_CHIP: ChipName = 'esp32s3'
const DEFAULT_READY_TIMEOUT_MS = 60_000

type Role = 1 | 2

interface Run {
  controller: AbortController
  /** Undone in reverse order on stop or failure. */
  cleanups: (() => Promise<unknown>)[]
  done: Promise<void>
}

export class LabService {
  private readonly _onDidChange = new Emitter<LabState>()
  /** The whole state, at every change (for lab.changed). */
  readonly onDidChange: Event<LabState> = this._onDidChange.event
  private readonly _onItem = new Emitter<LabItem>()
  /** Each thing the lab started, once, as it starts (for `pairkit lab`). */
  readonly onItem: Event<LabItem> = this._onItem.event
  private readonly flasher: FlasherService
  private readonly ownFlasher: boolean
  private current: LabState = { status: 'stopped', items: [], twins: [] }
  private run: Run | undefined

  constructor(private readonly options: LabServiceOptions = {}) {
    this.ownFlasher = options.flasher === undefined
    this.flasher = options.flasher ?? new FlasherService()
  }

  get state(): LabState {
    return structuredClone(this.current)
  }

  /** Starts the lab and returns the starting state at once; ready() or onDidChange tell the rest. */
  start(chip: string = DEFAULT_LAB_CHIP, fault?: LabFault, options: LabStartOptions = {}): LabState {
    if (!this.options.startTwin) {
      throw new PairKitError('UNAVAILABLE', 'this PairKit cannot run virtual devices', { hint: 'Start the virtual lab from PairKit\'s command line, or open PairKit in its browser host, which runs virtual devices.' })
    }
    if (this.current.status === 'starting' || this.current.status === 'ready' || this.current.status === 'stopping') {
      throw new PairKitError('DEVICE_BUSY', `the virtual lab is already ${this.current.status === 'ready' ? 'running' : this.current.status}`, { hint: 'Stop it first, or use the one that runs.' })
    }
    if (!DEMO_CHIPS.includes(chip as ChipName)) {
      throw new PairKitError('USAGE', `the virtual lab cannot run ${chip} twins`, { hint: `Choose one of ${DEMO_CHIPS.join(', ')}.` })
    }
    if (fault !== undefined && !LAB_FAULTS.includes(fault)) {
      throw new PairKitError('USAGE', `the virtual lab has no fault scenario "${String(fault)}"`, { hint: `Choose one of ${LAB_FAULTS.join(', ')}.` })
    }
    const blank = options.blank === true
    if (blank && fault !== undefined) {
      throw new PairKitError('USAGE', 'a blank virtual lab cannot stage a fault', { hint: 'Choose either blank devices to commission or a fault scenario, not both.' })
    }
    if (blank && !this.options.storePair) {
      throw new PairKitError('UNAVAILABLE', 'this PairKit cannot keep a pair for the virtual lab', { hint: 'Start the blank lab from the PairKit app or its browser host.' })
    }
    const plan = labFaultPlan(fault)
    const controller = new AbortController()
    const run: Run = { controller, cleanups: [], done: Promise.resolve() }
    this.run = run
    this.update({ status: 'starting', chip, ...(fault ? { fault } : {}), ...(blank ? { blank: true as const } : {}), items: [], twins: plan.roles.map((role) => ({ role, step: 'starting' })), startedAt: Date.now() }, true)
    run.done = this.bringUp(chip as ChipName, plan, run, blank).then(
      () => this.update(fault ? { status: 'fault' } : { status: 'ready', readyAt: Date.now() }),
      async (error: unknown) => {
        if (controller.signal.aborted) return
        await this.tearDown(run)
        this.update({ status: 'failed', error: serializeError(error) })
      },
    )
    return this.state
  }

  /** Resolves with the state once the lab is ready (or running with its fault); rejects with why it failed or was stopped. */
  async ready(): Promise<LabState> {
    await this.run?.done
    const state = this.state
    if (state.status === 'ready' || state.status === 'fault') return state
    if (state.status === 'failed' && state.error) throw deserializeError(state.error)
    throw new CancelledError('the virtual lab was stopped before it was ready')
  }

  /** Ends everything the lab started; resolves once the twins, brokers and STUN server are closed. */
  async stop(): Promise<LabState> {
    const run = this.run
    if (!run) {
      this.update({ status: 'stopped', items: [], twins: [] }, true)
      return this.state
    }
    if (this.current.status !== 'failed') this.update({ status: 'stopping' })
    run.controller.abort()
    await run.done
    await this.tearDown(run)
    if (this.run === run) this.run = undefined
    this.update({ status: 'stopped', items: [], twins: [] }, true)
    return this.state
  }

  async dispose(): Promise<void> {
    await this.stop()
    if (this.ownFlasher) await this.flasher.dispose()
    this._onDidChange.dispose()
    this._onItem.dispose()
  }

  private async bringUp(chip: ChipName, plan: LabFaultPlan, run: Run, blank: boolean): Promise<void> {
    const signal = run.controller.signal
    const checkpoint = () => {
      if (signal.aborted) throw new CancelledError('the virtual lab was stopped')
    }
    const cleanup = (undo: () => Promise<unknown>) => run.cleanups.push(undo)
    const labDir = await this.labFolder(cleanup)

    // The firmware, as a build folder anyone can flash or inspect.
    const firmwareDir = path.join(labDir, 'firmware', chip)
    const files = demoBuildFiles({ chip })
    for (const [relative, bytes] of Object.entries(files)) {
      const file = path.join(firmwareDir, ...relative.split('/'))
      await mkdir(path.dirname(file), { recursive: true })
      await writeFile(file, bytes)
    }
    const bundle = demoBundle({ chip })
    throwIfBundleInvalid(validateBundle(bundle))
    this.add({ kind: 'firmware', path: firmwareDir, chip, app: DEMO_FILES.app })
    checkpoint()

    const signalling = await startEmbeddedBroker({ port: 0, host: '127.0.0.1' })
    if (plan.signalling === 'stopped') {
      // Signalling broker down: its address stays in the settings, nothing answers there.
      await signalling.close()
      await waitUntilPortClosed(Number(new URL(signalling.url).port))
    } else cleanup(() => signalling.close())
    this.add({ kind: 'signalling', url: signalling.url, ...(plan.signalling === 'stopped' ? { down: true as const } : {}) })
    let stunPort: number
    if (plan.stun === 'unreachable') {
      // STUN unreachable: a loopback port nothing listens on, so the binding requests go unanswered.
      stunPort = await freeLoopbackPort()
      this.add({ kind: 'stun', url: `stun:127.0.0.1:${stunPort}`, down: true })
    } else {
      const stun = await startStunServer({ host: '127.0.0.1' })
      cleanup(() => stun.close())
      stunPort = stun.port
      this.add({ kind: 'stun', url: `stun:${stun.host}:${stun.port}` })
    }
    checkpoint()

    const brokerPorts = await twoPorts()
    const pairOptions = { signallingUrl: signalling.url, stunPort, brokerPorts }
    const pair = blank ? undefined : labPair(pairOptions)
    if (pair) this.update({ pairId: pair.pairId })
    const twins = new Map<Role, LabTwin>()
    for (const role of plan.roles) {
      const brokerPort = role === 1 ? brokerPorts.a : brokerPorts.b
      const flashPath = path.join(labDir, `twin-${role}-${chip}.bin`)
      // Blank: a missing flash file is an erased chip, like a board out of the box.
      if (blank) await rm(flashPath, { force: true })
      const twin = await (this.options.startTwin as StartLabTwin)({ role, chip, flashPath, brokerPort, ...plan.twins[role] })
      // The firmware's broker closes a moment after the twin; stop() waits for its port.
      cleanup(async () => {
        await twin.close()
        await waitUntilPortClosed(brokerPort)
      })
      twins.set(role, twin)
      this.add({ kind: 'twin', role, serial: twin.url, mqtt: `mqtt://127.0.0.1:${brokerPort}`, chip, flash: flashPath })
      checkpoint()
    }

    if (blank) {
      const pairId = (this.options.storePair as NonNullable<LabServiceOptions['storePair']>)(labPairSites(pairOptions), LAB_PAIR_NAME)
      this.update({ pairId })
      this.add({ kind: 'pair', pairId, name: LAB_PAIR_NAME })
      for (const role of plan.roles) this.step(role, 'blank')
      return
    }

    const regions = bundle.parts.map((part) => ({ offset: part.offset, name: part.name, bytes: part.bytes }))
    const faulted = this.current.fault !== undefined
    await Promise.all(
      plan.roles.map(async (role) => {
        const url = (twins.get(role) as LabTwin).url
        let step: LabStep = 'flashing'
        try {
          this.step(role, 'flashing')
          await this.job({ operation: 'flash', port: url, regions, bundleChip: chip, after: 'hard-reset' }, signal)
          step = 'provisioning'
          this.step(role, 'provisioning')
          const provisioned = pair as NonNullable<typeof pair>
          await this.provision(url, role === 1 ? provisioned.a : provisioned.b, provisioned.pairId, role, signal)
        } catch (error) {
          // Staged to fail (a cable pulled): the twin shows where and why, the lab runs on.
          if (!faulted || signal.aborted) throw error
          this.step(role, 'failed', step, serializeError(error))
        }
      }),
    )
    checkpoint()

    if (faulted) {
      // The provisioning left the firmware running; the lab does not wait for a pair that the
      // fault keeps from connecting. The consoles are for the technician to open.
      for (const role of plan.roles) if (this.current.twins.find((twin) => twin.role === role)?.step !== 'failed') this.step(role, 'running')
      if (plan.traffic) {
        const traffic = startDemoTraffic([
          { name: 'site-a', url: `mqtt://127.0.0.1:${brokerPorts.a}` },
          { name: 'site-b', url: `mqtt://127.0.0.1:${brokerPorts.b}` },
        ])
        cleanup(() => traffic.close())
      }
      return
    }

    const watches: TwinConsoleWatch[] = []
    cleanup(() => Promise.all(watches.map((watch) => watch.close())))
    for (const role of plan.roles) {
      this.step(role, 'booting')
      const url = (twins.get(role) as LabTwin).url
      watches.push(await watchTwinConsole(url, (milestone, detail) => (milestone === 'connected' ? this.step(role, 'connected') : this.step(role, 'booting', detail ?? milestone)), signal))
    }
    await withTimeout(
      Promise.all(watches.map((watch) => watch.connected)),
      this.options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS,
      () => new PairKitError('TIMEOUT', `the twins did not connect to each other within ${Math.round((this.options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS) / 1000)} s`, { hint: 'Stop the lab and start it again; if it repeats, read the twins\' consoles in the Monitor view.' }),
    )
    // Ready: the serial links are left to whoever opens them next (monitor, flasher).
    await Promise.all(watches.splice(0).map((watch) => watch.close()))
  }

  private async labFolder(cleanup: (undo: () => Promise<unknown>) => void): Promise<string> {
    if (this.options.dataDir) {
      const folder = path.join(this.options.dataDir, 'lab')
      await mkdir(folder, { recursive: true })
      return folder
    }
    const folder = mkdtempSync(path.join(os.tmpdir(), 'pairkit-lab-'))
    cleanup(async () => rmSync(folder, { recursive: true, force: true }))
    return folder
  }

  /** Runs one flasher job to its end; a failure becomes the job's own error. */
  private async job(request: FlasherRequest, signal: AbortSignal, pair?: { pairId: string; role: Role }): Promise<unknown> {
    const id = this.flasher.start(request)
    if (request.operation === 'flash' || request.operation === 'provision') this.options.onJob?.(id, request.port, { operation: request.operation, ...(pair ? { pair } : {}) })
    const cancel = () => this.flasher.cancel(id)
    signal.addEventListener('abort', cancel, { once: true })
    try {
      const { state } = await this.flasher.wait(id)
      if (state.type === 'done') return state.result
      if (state.type === 'failed') throw deserializeError(state.error)
      throw new CancelledError('the virtual lab was stopped')
    } finally {
      signal.removeEventListener('abort', cancel)
    }
  }

  private async provision(url: string, config: DeviceConfig, pairId: string, role: Role, signal: AbortSignal): Promise<void> {
    const readBack = new ConfigService(new MemorySecretStore())
    const result = (await this.job(
      {
        operation: 'provision',
        port: url,
        run: ({ port, signal: jobSignal, reporter }) =>
          provisionNvs(port, { signal: jobSignal, pair: { pairId, role }, image: (partition) => configToNvsImage(config, partition.size), describe: (bytes) => readBack.readBackImage(bytes) }, reporter),
      },
      signal,
      { pairId, role },
    )) as ProvisionResult
    const read = result.readBack.config
    if (read.role !== role || read.pairId !== pairId) {
      throw new PairKitError('VERIFY_FAILED', `twin ${role} reads back role ${read.role} of pair ${read.pairId || 'none'} instead of role ${role} of pair ${pairId}`)
    }
  }

  private async tearDown(run: Run): Promise<void> {
    while (run.cleanups.length > 0) await (run.cleanups.pop() as () => Promise<unknown>)().catch(() => undefined)
  }

  private add(item: LabItem): void {
    this.update({ items: [...this.current.items, item] })
    this._onItem.fire(item)
  }

  private step(role: Role, step: LabStep, detail?: string, error?: SerializedError): void {
    // A run being stopped may still report a step on its way out; the next run's state is not its.
    if (this.run?.controller.signal.aborted) return
    this.update({ twins: this.current.twins.map((twin) => (twin.role === role ? { role, step, ...(detail ? { detail } : {}), ...(error ? { error } : {}) } : twin)) })
  }

  /** Merges a change into the state (or replaces it) and tells the listeners. */
  private update(change: Partial<LabState>, replace = false): void {
    const next: LabState = replace ? { items: [], twins: [], status: 'stopped', ...change } : { ...this.current, ...change }
    if (next.status !== 'failed') delete next.error
    this.current = next
    this._onDidChange.fire(this.state)
  }
}

/** Two different free loopback ports for the twins' site brokers. */
async function twoPorts(): Promise<{ a: number; b: number }> {
  const a = await freeLoopbackPort()
  let b = await freeLoopbackPort()
  while (b === a) b = await freeLoopbackPort()
  return { a, b }
}
