// The backend: a plain Node object implementing the whole UI↔backend contract.
// The Electron entry and the browser host both serve this same object; neither adds logic.
import os from 'node:os'
import type { AppInfo, ContractEvent, ContractHandlers } from '../common/contract'
import { bytesToBase64 } from '../common/base64'
import { Emitter } from '../common/event'
import { Disposable, toDisposable } from '../common/lifecycle'
import { BridgeTestJobs } from './bridge-test/bridge-test-jobs'
import { CommissionService } from './commission/commission-service'
import { CommissionStore } from './commission/commission-store'
import { DeviceJobs } from './devices/device-jobs'
import { DeviceLocks } from './devices/device-locks'
import { DeviceRegistry } from './devices/device-registry'
import { DiagnosticsService } from './diagnostics'
import { FlasherService } from './flasher'
import { LabService } from './lab/lab-service'
import { labBundleInput } from './lab/lab-bundle-input'
import type { StartLabTwin } from './lab/lab-twin-host'
import { MonitorService } from './monitor'
import { monitorConsoleEvents } from './monitor/console-events'
import { MemorySecretStore, type SecretStore } from './secrets/secret-store'
import { parseExtraPortPatterns } from './serial/port-lister'
import { PortWatcher } from './serial/port-watcher'
import { BundleService } from './services/bundle-service'
import { ConfigService } from './services/config-service'
import { FlashJobsService } from './services/flash-jobs-service'
import { SignallingWatchService } from './signalling-watch/signalling-watch-service'
import { CurrentBundleStore } from './state/current-bundle-store'
import { HistoryStore } from './state/history-store'
import { UiStateStore } from './state/ui-state-store'
import type { ConsoleEventProvider } from './traffic/console-source'
import { TrafficService } from './traffic/traffic-service'
import type { Site } from '../common/traffic/model'
import { PAIRKIT_VERSION } from './version'

export interface BackendOptions {
  host: AppInfo['host']
  /** Extra serial-port globs to watch; defaults to PAIRKIT_EXTRA_PORTS. */
  extraPortPatterns?: readonly string[]
  /** Where passwords are kept; the browser host keeps them in memory only (the default). */
  secrets?: SecretStore
  /** Why passwords are kept in memory only, for the UI to say ("Passwords are kept in memory only: …"). */
  secretStorageReason?: string
  /**
   * Where the app keeps its records (pairs without their secrets, devices, flash history, the
   * current bundle, the views' inputs); none = memory only, for this run.
   */
  dataDir?: string
  /** The monitor's spool limit in MiB for this run (beats PAIRKIT_MONITOR_SPOOL_MB and the stored setting). */
  spoolLimitMb?: string
  /** A device's parsed console for the Traffic view (the serial monitor's); none: consoles cannot be sources. */
  consoleEvents?: ConsoleEventProvider
  /** How the virtual lab starts its twins (the host that can run them gives it); none: lab.start is unavailable. */
  startLabTwin?: StartLabTwin
}

export class Backend extends Disposable {
  private readonly _onEvent = this.register(new Emitter<ContractEvent>())
  /** Every pushed event of the contract, for the transports to forward. */
  readonly onEvent = this._onEvent.event
  readonly handlers: ContractHandlers
  private readonly ports: PortWatcher
  readonly bundles: BundleService
  /** One operation per device at a time, for every service that talks to devices. */
  readonly locks: DeviceLocks
  readonly devices: DeviceRegistry
  private readonly flasher: FlasherService
  /** The serial consoles; they hand their ports to the flasher's jobs and take them back. */
  readonly monitor: MonitorService
  readonly signallingWatch: SignallingWatchService
  readonly traffic: TrafficService
  /** ICE models and findings from every parsed console event, per device and per pair. */
  readonly diagnostics: DiagnosticsService
  readonly lab: LabService
  readonly commissioning: CommissionService

  constructor(options: BackendOptions) {
    super()
    const dataDir = options.dataDir
    const startedAt = Date.now()
    this.locks = new DeviceLocks()
    this.register(toDisposable(() => this.locks.dispose()))
    this.devices = this.register(new DeviceRegistry({ locks: this.locks, ...(dataDir ? { dataDir } : {}) }))
    this.register(this.devices.onDidChange((list) => this._onEvent.fire({ name: 'devices.changed', payload: list })))

    this.ports = this.register(
      new PortWatcher(options.extraPortPatterns ?? parseExtraPortPatterns(process.env.PAIRKIT_EXTRA_PORTS)),
    )
    this.register(
      this.ports.onDidChange((ports) => {
        this.devices.setPorts(ports)
        this._onEvent.fire({ name: 'ports.changed', payload: ports })
      }),
    )
    this.ports.start()
    const secrets = options.secrets ?? new MemorySecretStore()
    const secretStorage = {
      storage: secrets.kind,
      ...(secrets.kind === 'memory' ? { reason: options.secretStorageReason ?? 'the browser host keeps nothing on disk' } : {}),
    }
    const config = new ConfigService(secrets, dataDir)
    this.bundles = new BundleService(dataDir ? new CurrentBundleStore(dataDir) : undefined)
    const history = new HistoryStore(dataDir)
    this.register(toDisposable(() => history.dispose()))
    this.register(history.onDidAdd((entry) => this._onEvent.fire({ name: 'history.added', payload: entry })))
    const uiState = new UiStateStore(dataDir)
    this.flasher = new FlasherService(this.locks)
    this.register({ dispose: () => void this.flasher.dispose() })
    this.register(this.flasher.onDidChangeJob((job) => this._onEvent.fire({ name: 'flash.job', payload: job })))
    const jobs = this.register(new DeviceJobs(this.flasher, this.devices, config, history))
    const flashJobs = new FlashJobsService(jobs, this.bundles)
    const flasher = this.flasher
    this.monitor = this.register(
      new MonitorService({ locks: this.locks, ...(dataDir ? { dataDir } : {}), ...(options.spoolLimitMb ? { spoolLimitMb: options.spoolLimitMb } : {}), ports: this.ports.onDidChange }),
    )
    this.register(this.monitor.onEvent((event) => this._onEvent.fire(event)))
    this.register(this.monitor.onNotice((message) => this._onEvent.fire({ name: 'app.log', payload: { level: 'warn', message, time: Date.now() } })))
    const monitor = this.monitor
    this.diagnostics = this.register(new DiagnosticsService({ devices: this.devices }))
    this.register(this.diagnostics.onDidChange((payload) => this._onEvent.fire({ name: 'ice.changed', payload })))
    const diagnostics = this.diagnostics
    this.signallingWatch = new SignallingWatchService(config, secrets)
    this.register({ dispose: () => void this.signallingWatch.dispose() })
    this.register(this.signallingWatch.onEvent((event) => this._onEvent.fire(event)))
    const watches = this.signallingWatch
    // A site's device console comes from the serial monitor's session on it (open one first).
    const consoleEvents = options.consoleEvents ?? ((deviceId: string, site: Site) => monitorConsoleEvents(monitor, deviceId, site))
    const traffic = (this.traffic = new TrafficService({ consoleEvents, signallingFor: (pairId) => config.signalling(pairId) }))
    this.register({ dispose: () => void traffic.dispose() })
    this.register(traffic.onBatch((batch) => this._onEvent.fire({ name: 'traffic.batch', payload: batch })))
    this.register(traffic.onSource((change) => this._onEvent.fire({ name: 'traffic.source', payload: change })))
    const bridgeTests = new BridgeTestJobs()
    this.register({ dispose: () => bridgeTests.dispose() })
    this.register(bridgeTests.onJob((job) => this._onEvent.fire({ name: 'bridgeTest.job', payload: job })))
    const commissioning = (this.commissioning = new CommissionService({
      flasher,
      jobs,
      registry: this.devices,
      monitor,
      config,
      history,
      store: new CommissionStore(dataDir),
    }))
    this.register({ dispose: () => void commissioning.dispose() })
    this.register(commissioning.onState((state) => this._onEvent.fire({ name: 'commission.state', payload: state })))

    // The lab's flash and provisioning jobs go through the same flasher, locks and flash.job events.
    // Their outcomes reach the devices and the history like the UI's own jobs: the twins' facts
    // (chip, pair, role) make them a pair in the Monitor and ICE views.
    // A blank lab's pair is a pair like any other: in pairs.json, its passwords in the SecretStore.
    const lab = (this.lab = new LabService({
      flasher,
      onJob: (jobId, link, job) => jobs.adopt(jobId, link, job),
      storePair: (sites, name) => config.pair(sites, name).pairId,
      ...(dataDir ? { dataDir } : {}),
      ...(options.startLabTwin ? { startTwin: options.startLabTwin } : {}),
    }))
    this.register({ dispose: () => void lab.dispose() })
    this.register(lab.onDidChange((state) => this._onEvent.fire({ name: 'lab.changed', payload: state })))
    // The lab's twins are devices like any other: they show in Devices from the moment they listen.
    this.register(lab.onItem((item) => item.kind === 'twin' && this.devices.add(item.serial)))

    this.handlers = {
      'app.info': () => ({
        name: 'PairKit',
        version: PAIRKIT_VERSION,
        host: options.host,
        platform: `${os.platform()}-${os.arch()}`,
        secrets: secretStorage,
        ...(dataDir ? { dataDir } : {}),
        startedAt,
      }),
      'ports.list': () => this.ports.list(),
      'devices.list': () => this.devices.list(),
      'devices.add': ({ link }) => this.devices.add(link),
      'devices.forget': ({ deviceId }) => {
        this.devices.forget(deviceId)
        return {}
      },
      'devices.probe': ({ deviceId }) => ({ jobId: jobs.probe(deviceId) }),
      'devices.provision': ({ deviceId, pairId, role, noReset }) => ({ jobId: jobs.provision(deviceId, pairId, role, noReset ? { noReset } : {}) }),
      'config.pair': (input) => config.pair(input),
      'config.pairs': () => config.list(),
      'config.setPasswords': (input) => config.setPasswords(input),
      'config.nvsImage': ({ pairId, side }) => config.nvsImage(pairId, side),
      'config.exportPair': ({ pairId }) => config.exportPair(pairId),
      'config.readBack': (input) => config.readBack(input),
      'bundle.load': (input) => this.bundles.load(input),
      'bundle.current': () => this.bundles.current(),
      'flash.start': (input) => flashJobs.start(input),
      'flash.probe': ({ port }) => ({ jobId: jobs.probe(port) }),
      'flash.cancel': ({ jobId }) => {
        flasher.cancel(jobId)
        return {}
      },
      'flash.jobs': () => flasher.list(),
      'history.list': (input) => history.list(input),
      'ui.getState': () => ({ values: uiState.all() }),
      'ui.setState': ({ key, value }) => {
        uiState.set(key, value)
        return {}
      },
      'monitor.open': async (input) => {
        // The device becomes known, as with a probe; the monitor normalises the link itself.
        this.devices.add(input.deviceId)
        // Every event the session's parser finds feeds the device's ICE model and diagnosis.
        const trace = diagnostics.traceMonitor(input.deviceId)
        const opened = await monitor.open(input, { onEvent: (event) => trace.push(event) })
        trace.attach(opened.sessionId)
        return opened
      },
      'monitor.close': async ({ sessionId }) => {
        await monitor.close(sessionId)
        return {}
      },
      'monitor.resume': async ({ sessionId }) => {
        await monitor.resume(sessionId)
        return {}
      },
      'monitor.sessions': () => monitor.list(),
      'monitor.read': ({ sessionId, fromSeq, limit }) => monitor.read(sessionId, fromSeq, limit),
      'monitor.events': ({ sessionId, fromSeq, limit }) => monitor.events(sessionId, fromSeq, limit),
      'monitor.settings': () => monitor.settings(),
      'monitor.setSpoolLimit': ({ bytes }) => monitor.setSpoolLimit(bytes),
      'signalling.watch': ({ pairId }) => watches.watch(pairId),
      'signalling.unwatch': async ({ pairId }) => {
        await watches.unwatch(pairId)
        return {}
      },
      'signalling.watches': () => watches.list(),
      'traffic.start': (input) => traffic.start(input),
      'traffic.stop': async ({ sessionId }) => {
        await traffic.stop(sessionId)
        return {}
      },
      'traffic.sessions': () => traffic.list(),
      'traffic.sources': ({ sessionId }) => traffic.session(sessionId).sourceStatuses(),
      'traffic.read': (input) => traffic.read(input),
      'traffic.message': (input) => traffic.message(input),
      'traffic.topics': (input) => traffic.topics(input),
      'traffic.rates': (input) => traffic.rates(input),
      'traffic.publish': async (input) => {
        await traffic.publish(input)
        return {}
      },
      'traffic.pause': ({ sessionId, paused }) => {
        traffic.pause(sessionId, paused)
        return {}
      },
      'traffic.clear': ({ sessionId }) => {
        traffic.clear(sessionId)
        return {}
      },
      'traffic.export': (input) => traffic.exportChunk(input),
      'bridgeTest.start': (input) => bridgeTests.start(input),
      'bridgeTest.cancel': ({ jobId }) => {
        bridgeTests.cancel(jobId)
        return {}
      },
      'bridgeTest.jobs': () => bridgeTests.list(),
      'ice.device': ({ deviceId }) => diagnostics.device(deviceId),
      'ice.pair': ({ pairId }) => diagnostics.pair(pairId),
      'diagnosis.list': (target) => diagnostics.findings(target),
      'lab.state': () => lab.state,
      'lab.start': ({ chip, fault, blank }) => lab.start(chip, fault, { blank: blank === true }),
      'lab.loadBundle': () => this.bundles.load(labBundleInput(lab.state)),
      'lab.stop': () => lab.stop(),
      'commission.start': (input) => {
        const commissionId = commissioning.start({
          a: input.a,
          b: input.b,
          pairId: input.pairId,
          bundle: this.bundles.get(input.bundleId),
          bundleInfo: this.bundles.describe(input.bundleId),
          ...(input.siteAMqtt ? { siteAMqtt: input.siteAMqtt } : {}),
          ...(input.siteBMqtt ? { siteBMqtt: input.siteBMqtt } : {}),
          ...(input.notes !== undefined ? { notes: input.notes } : {}),
        })
        return { commissionId }
      },
      'commission.resume': ({ commissionId, from, notes }) => {
        commissioning.resume(commissionId, { ...(from ? { from } : {}), ...(notes !== undefined ? { notes } : {}) })
        return {}
      },
      'commission.cancel': ({ commissionId }) => {
        commissioning.cancel(commissionId)
        return {}
      },
      'commission.records': ({ pairId }) => commissioning.records(pairId),
      'commission.report': ({ commissionId }) => commissioning.report(commissionId),
      'commission.supportBundle': async ({ commissionId }) => {
        const { fileName, bytes } = await commissioning.supportBundle(commissionId)
        return { fileName, base64: bytesToBase64(bytes) }
      },
    }
  }
}
