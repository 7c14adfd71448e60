// The UI's way in: bundle.load with `raw` offsets, and flash.start refusing a bundle with
// data where the app belongs before any job starts.
import { describe, expect, it } from 'vitest'
import { bytesToBase64 } from '../../../src/common/base64'
import { DeviceJobs } from '../../../src/main/devices/device-jobs'
import { DeviceLocks } from '../../../src/main/devices/device-locks'
import { DeviceRegistry } from '../../../src/main/devices/device-registry'
import { FlasherService } from '../../../src/main/flasher'
import { MemorySecretStore } from '../../../src/main/secrets/secret-store'
import { BundleService } from '../../../src/main/services/bundle-service'
import { ConfigService } from '../../../src/main/services/config-service'
import { FlashJobsService } from '../../../src/main/services/flash-jobs-service'
import { HistoryStore } from '../../../src/main/state/history-store'
import { esp32Build, flasherArgsJson } from '../../unit/bundle/build-fixtures'

const readme = new TextEncoder().encode('# bridge\n\nBuild with idf.py build.\n')

function droppedBuild(): { path: string; base64: string }[] {
  const layout = esp32Build()
  const files: Record<string, Uint8Array> = { ...layout.files, 'hello-world.bin': readme, 'flasher_args.json': new TextEncoder().encode(flasherArgsJson('dash', layout)) }
  return Object.entries(files).map(([name, bytes]) => ({ path: `build/${name}`, base64: bytesToBase64(bytes) }))
}

describe('bundle.load and flash.start', () => {
  it('refuse a build whose app is not an image, and accept it as raw data on request', async () => {
    const bundles = new BundleService()
    const locks = new DeviceLocks()
    const flasher = new FlasherService(locks)
    const jobs = new FlashJobsService(new DeviceJobs(flasher, new DeviceRegistry({ locks }), new ConfigService(new MemorySecretStore()), new HistoryStore()), bundles)
    const summary = bundles.load({ files: droppedBuild() })
    expect(summary.ok).toBe(false)
    expect(summary.problems.map((problem) => problem.code)).toEqual(['NOT_AN_APP_IMAGE'])
    expect(() => jobs.start({ bundleId: summary.bundleId, devices: ['rfc2217://127.0.0.1:1'] })).toThrow(/the bundle cannot be written: 0x10000 app is not an ESP app image/)
    expect(flasher.list()).toEqual([])

    const raw = bundles.load({ files: droppedBuild(), raw: [0x10000] })
    expect(raw).toMatchObject({ ok: true, problems: [] })
    expect(raw.parts.find((part) => part.offset === 0x10000)).toMatchObject({ kind: 'data', raw: true })
    expect(() => bundles.load({ files: droppedBuild(), raw: [0x20000] })).toThrow(/0x20000 was asked to be written as raw data, but the firmware has no part there/)
    await flasher.dispose()
  })
})
