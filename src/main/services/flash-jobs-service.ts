// Starts a flash job per device for a loaded bundle, after the same checks the CLI makes:
// a bundle with errors is never written. Two spellings of one link are one device; a busy
// device gets its reason and the others start.
import { validateBundle } from '../../common/bundle'
import type { RequestInput, RequestResult } from '../../common/contract'
import { deviceIdOf } from '../../common/devices/device-id'
import { PairKitError, serializeError } from '../../common/errors'
import type { DeviceJobs } from '../devices/device-jobs'
import type { BundleService } from './bundle-service'

export class FlashJobsService {
  constructor(
    private readonly jobs: DeviceJobs,
    private readonly bundles: BundleService,
  ) {}

  start(input: RequestInput<'flash.start'>): RequestResult<'flash.start'> {
    const bundle = this.bundles.get(input.bundleId)
    const report = validateBundle(bundle)
    const fatal = report.problems.find((problem) => problem.severity === 'error')
    if (fatal) throw new PairKitError('BAD_INPUT', `the bundle cannot be written: ${fatal.message}`)
    const regions = bundle.parts.map((part) => ({ offset: part.offset, name: part.name, bytes: part.bytes }))
    const chip = report.chip ?? bundle.chip
    const described = this.bundles.describe(input.bundleId)
    const ids: string[] = []
    const jobs: RequestResult<'flash.start'>['jobs'] = []
    for (const link of input.devices) {
      let deviceId = link
      try {
        deviceId = deviceIdOf(link)
        if (ids.includes(deviceId)) continue
        ids.push(deviceId)
        const jobId = this.jobs.flash(deviceId, {
          regions,
          bundle: described,
          ...(chip ? { chip } : {}),
          options: { ...(input.baud ? { baud: input.baud } : {}), ...(input.stub === false ? { stub: false } : {}) },
          ...(input.full ? { full: true } : {}),
        })
        jobs.push({ deviceId, jobId })
      } catch (error) {
        // One busy device does not stop the others.
        jobs.push({ deviceId, error: serializeError(error) })
      }
    }
    return { jobs }
  }
}
