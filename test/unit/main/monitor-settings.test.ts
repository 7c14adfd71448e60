// The spool's size limit: 512 MiB by default, set in the app (kept in the data folder), or by
// PAIRKIT_MONITOR_SPOOL_MB / --spool-limit for a run, which the app then does not override.
import { describe, expect, it } from 'vitest'
import { DeviceLocks } from '../../../src/main/devices/device-locks'
import { MonitorService } from '../../../src/main/monitor'
import { makeTempDir } from '../../support/temp-dir'

const service = (dataDir: string | undefined, env: NodeJS.ProcessEnv = {}, spoolLimitMb?: string) =>
  new MonitorService({ locks: new DeviceLocks(), ...(dataDir ? { dataDir } : {}), env, ...(spoolLimitMb ? { spoolLimitMb } : {}) })

describe('monitor spool settings', () => {
  it('defaults to 512 MiB, keeps a limit set in the app across restarts, and lets the environment win for a run', async () => {
    const dataDir = makeTempDir('pairkit-monitor-settings-')
    const first = service(dataDir)
    expect(first.settings()).toEqual({ spoolLimitBytes: 512 << 20, source: 'default', spoolDir: `${dataDir}/monitor`, spoolBytes: 0 })
    expect(await first.setSpoolLimit(64 << 20)).toMatchObject({ spoolLimitBytes: 64 << 20, source: 'setting' })
    expect(service(dataDir).settings()).toMatchObject({ spoolLimitBytes: 64 << 20, source: 'setting' })

    const fromEnv = service(dataDir, { PAIRKIT_MONITOR_SPOOL_MB: '2048' })
    expect(fromEnv.settings()).toMatchObject({ spoolLimitBytes: 2048 * 2 ** 20, source: 'environment' })
    await expect(fromEnv.setSpoolLimit(8 << 20)).rejects.toThrow('the spool limit is set by PAIRKIT_MONITOR_SPOOL_MB for this run')
    expect(service(dataDir, { PAIRKIT_MONITOR_SPOOL_MB: '2048' }, '16').settings()).toMatchObject({ spoolLimitBytes: 16 << 20, source: 'environment' })
  })

  it('refuses a limit that is not a size, saying what it takes', () => {
    expect(() => service(makeTempDir('pairkit-monitor-settings-bad-'), { PAIRKIT_MONITOR_SPOOL_MB: 'lots' })).toThrow(
      'PAIRKIT_MONITOR_SPOOL_MB is "lots"; the monitor\'s spool limit is a number of MiB from 1 to 1048576',
    )
    expect(() => service(undefined, {}, '0.5')).toThrow(/the spool limit is "0\.5"/)
  })

  it('keeps nothing on disk without a data folder, and says so when asked to limit it', async () => {
    const memory = service(undefined)
    expect(memory.settings()).toEqual({ spoolLimitBytes: 512 << 20, source: 'default', spoolBytes: 0 })
    await expect(memory.setSpoolLimit(8 << 20)).rejects.toThrow('this PairKit keeps nothing on disk, so the monitor has no spool')
  })
})
