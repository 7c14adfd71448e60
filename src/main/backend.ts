// The backend: a plain Node object implementing the whole UI↔backend contract.
// The Electron entry and the browser host both serve this same object; neither adds logic.
import os from 'node:os'
import type { AppInfo, ContractEvent, ContractHandlers } from '../common/contract'
import { Emitter } from '../common/event'
import { Disposable } from '../common/lifecycle'
import { parseExtraPortPatterns } from './serial/port-lister'
import { PortWatcher } from './serial/port-watcher'
import { MemorySecretStore, type SecretStore } from './secrets/secret-store'
import { FlasherService } from './flasher'
import { BundleService } from './services/bundle-service'
import { FlashJobsService } from './services/flash-jobs-service'
import { ConfigService } from './services/config-service'
import { PAIRKIT_VERSION } from './version'
import { PairKitError } from '../common/errors'

const notYet = (): never => {
  throw new PairKitError('UNAVAILABLE', 'this request is not implemented yet')
}

export interface BackendOptions {
  host: AppInfo['host']
  /** Extra serial-port globs to watch; defaults to PAIRKIT_EXTRA_PORTS. */
  extraPortPatterns?: readonly string[]
  /** Where passwords are kept; the browser host keeps them in memory only (the default). */
  secrets?: SecretStore
  /** Why passwords are kept in memory only, for the UI to say ("Passwords are kept in memory only: …"). */
  secretStorageReason?: string
  /** Where the app keeps its own records (pairs without their secrets); none = memory only. */
  dataDir?: string
}

export class Backend extends Disposable {
  private readonly _onEvent = this.register(new Emitter<ContractEvent>())
  /** Every pushed event of the contract, for the transports to forward. */
  readonly onEvent = this._onEvent.event
  readonly handlers: ContractHandlers
  private readonly ports: PortWatcher
  readonly bundles: BundleService

  constructor(options: BackendOptions) {
    super()
    this.ports = this.register(
      new PortWatcher(options.extraPortPatterns ?? parseExtraPortPatterns(process.env.PAIRKIT_EXTRA_PORTS)),
    )
    this.register(this.ports.onDidChange((ports) => this._onEvent.fire({ name: 'ports.changed', payload: ports })))
    this.ports.start()
    const secrets = options.secrets ?? new MemorySecretStore()
    const secretStorage = {
      storage: secrets.kind,
      ...(secrets.kind === 'memory' ? { reason: options.secretStorageReason ?? 'the browser host keeps nothing on disk' } : {}),
    }
    const config = new ConfigService(secrets, options.dataDir)
    this.bundles = new BundleService()
    const flasher = new FlasherService()
    this.register({ dispose: () => void flasher.dispose() })
    this.register(flasher.onDidChangeJob((job) => this._onEvent.fire({ name: 'flash.job', payload: job })))
    const flashJobs = new FlashJobsService(flasher, this.bundles)

    this.handlers = {
      'app.info': () => ({ name: 'PairKit', version: PAIRKIT_VERSION, host: options.host, platform: `${os.platform()}-${os.arch()}`, secrets: secretStorage }),
      'ports.list': () => this.ports.list(),
      'config.pair': (input) => config.pair(input),
      'config.pairs': () => config.list(),
      'config.nvsImage': ({ pairId, side }) => config.nvsImage(pairId, side),
      'config.exportPair': ({ pairId }) => config.exportPair(pairId),
      'config.readBack': (input) => config.readBack(input),
      'bundle.load': (input) => this.bundles.load(input),
      'flash.start': (input) => flashJobs.start(input),
      'flash.probe': ({ port }) => ({ jobId: flasher.start({ operation: 'probe', port, options: { readBack: true } }) }),
      'flash.cancel': ({ jobId }) => {
        flasher.cancel(jobId)
        return {}
      },
      'flash.jobs': () => flasher.list(),
      'bundle.current': () => null,
      'devices.list': () => [],
      'devices.add': notYet,
      'devices.forget': notYet,
      'devices.probe': notYet,
      'devices.provision': notYet,
      'history.list': () => [],
      'ui.getState': () => ({ values: {} }),
      'ui.setState': notYet,
    }
  }
}
