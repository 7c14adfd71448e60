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
import { fixture } from '../../unit/app-image/fixtures'
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

  it('accepts a build folder that flashes an NVS image with the project, and keeps it as the current bundle', () => {
    const layout = esp32Build()
    const files: Record<string, Uint8Array> = { ...layout.files, 'nvs.bin': fixture('nvs/esp_idf_sample_val.bin'), 'flasher_args.json': new TextEncoder().encode(flasherArgsJson('underscore', layout, { nvs: 'flash_files only' })) }
    const bundles = new BundleService()
    const summary = bundles.load({ files: Object.entries(files).map(([name, bytes]) => ({ path: `build/${name}`, base64: bytesToBase64(bytes) })) })
    expect(summary).toMatchObject({ ok: true, problems: [], chip: 'esp32' })
    expect(summary.parts.find((part) => part.offset === 0x9000)).toMatchObject({ kind: 'data', name: 'nvs.bin' })
    expect(summary.sha256).toMatch(/^[0-9a-f]{64}$/)
    expect(bundles.current()).toEqual(summary)
  })

  it('places a dropped file at the chosen offset, replacing what the build put there', () => {
    const layout = esp32Build()
    const nvs = new Uint8Array(0x6000).fill(0xff)
    const dropped = [...droppedBuild(), { path: 'settings/b-nvs.bin', base64: bytesToBase64(nvs) }]
    const bundles = new BundleService()
    const summary = bundles.load({ files: dropped, raw: [0x10000], placements: [{ path: 'settings\\b-nvs.bin', offset: 0x9000 }] })
    expect(summary.parts.map((part) => [part.offset, part.kind, part.placed ?? false])).toEqual([[0x1000, 'bootloader', false], [0x8000, 'partition-table', false], [0x9000, 'data', true], [0x10000, 'data', false]])
    expect(layout.chip).toBe(summary.chip)
    expect(() => bundles.load({ files: dropped, placements: [{ path: 'elsewhere.bin', offset: 0x9000 }] })).toThrow(/elsewhere\.bin was given an offset but is not among the dropped files/)
  })
})
