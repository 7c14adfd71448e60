// The services a commissioning needs, wired as the backend wires them, for a process without
// the backend (the CLI): one lock table, the device registry, the flasher and its jobs, the
// monitor, the pairs of the data folder and its history and records.
import { DeviceJobs } from '../devices/device-jobs'
import { DeviceLocks } from '../devices/device-locks'
import { DeviceRegistry } from '../devices/device-registry'
import { FlasherService } from '../flasher'
import { MonitorService } from '../monitor'
import type { SecretStore } from '../secrets/secret-store'
import { ConfigService } from '../services/config-service'
import { HistoryStore } from '../state/history-store'
import { CommissionService, type CommissionServiceOptions } from './commission-service'
import { CommissionStore } from './commission-store'

export interface CommissionRuntime {
  service: CommissionService
  config: ConfigService
  monitor: MonitorService
  dispose(): Promise<void>
}

export function createCommissionRuntime(options: { dataDir?: string; secrets: SecretStore } & Pick<CommissionServiceOptions, 'bridgeTest' | 'timeouts'>): CommissionRuntime {
  const dataDir = options.dataDir
  const locks = new DeviceLocks()
  const registry = new DeviceRegistry({ locks, ...(dataDir ? { dataDir } : {}) })
  const flasher = new FlasherService(locks)
  const config = new ConfigService(options.secrets, dataDir)
  const history = new HistoryStore(dataDir)
  const jobs = new DeviceJobs(flasher, registry, config, history)
  const monitor = new MonitorService({ locks, ...(dataDir ? { dataDir } : {}) })
  const service = new CommissionService({
    flasher,
    jobs,
    registry,
    monitor,
    config,
    history,
    store: new CommissionStore(dataDir),
    ...(options.bridgeTest ? { bridgeTest: options.bridgeTest } : {}),
    ...(options.timeouts ? { timeouts: options.timeouts } : {}),
  })
  return {
    service,
    config,
    monitor,
    dispose: async () => {
      await service.dispose()
      await monitor.shutdown()
      monitor.dispose()
      jobs.dispose()
      await flasher.dispose()
      registry.dispose()
      history.dispose()
      locks.dispose()
    },
  }
}
