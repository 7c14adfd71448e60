// Starts a flash job per port for a loaded bundle, after the same checks the CLI makes:
// a bundle with errors is never written.
import { validateBundle } from '../../common/bundle'
import type { RequestInput, RequestResult } from '../../common/contract'
import { deviceIdOf } from '../../common/devices/device-id'
import { PairKitError, serializeError } from '../../common/errors'
import type { FlasherService } from '../flasher'
import type { BundleService } from './bundle-service'

export class FlashJobsService {
  constructor(
    private readonly flasher: FlasherService,
    private readonly bundles: BundleService,
  ) {}

  start(input: RequestInput<'flash.start'>): RequestResult<'flash.start'> {
    const bundle = this.bundles.get(input.bundleId)
    const report = validateBundle(bundle)
    const fatal = report.problems.find((problem) => problem.severity === 'error')
    if (fatal) throw new PairKitError('BAD_INPUT', `the bundle cannot be written: ${fatal.message}`)
    const regions = bundle.parts.map((part) => ({ offset: part.offset, name: part.name, bytes: part.bytes }))
    const chip = report.chip ?? bundle.chip
    const jobs = [...new Set(input.devices)].map((link) => {
      let deviceId = link
      try {
        deviceId = deviceIdOf(link)
        const jobId = this.flasher.start({
          operation: 'flash',
          port: deviceId,
          regions,
          ...(chip ? { bundleChip: chip } : {}),
          options: { ...(input.baud ? { baud: input.baud } : {}), ...(input.stub === false ? { stub: false } : {}) },
        })
        return { deviceId, jobId }
      } catch (error) {
        // One busy port does not stop the others.
        return { deviceId, error: serializeError(error) }
      }
    })
    return { jobs }
  }
}
