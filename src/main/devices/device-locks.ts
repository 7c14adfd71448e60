// One operation per device at a time. Everything that talks to a device — probe, flash,
// erase, read-flash, provisioning, and later the monitor — takes the device's lock first,
// keyed by the device id (the normalised link), so two spellings of one link cannot run
// two jobs on one chip. The second request is refused at once with what is going on, never
// queued: a technician who asked for something should learn now that it cannot happen.
import type { DeviceBusy, DeviceOperation } from '../../common/contract/devices'
import { deviceIdOf } from '../../common/devices/device-id'
import { PairKitError } from '../../common/errors'
import { Emitter, type Event } from '../../common/event'

export interface DeviceLease {
  readonly deviceId: string
  /** Gives the device back; calling it again does nothing. */
  release(): void
}

const DOING: Record<DeviceOperation, string> = {
  probe: 'being probed',
  flash: 'being flashed',
  erase: 'being erased',
  'read-flash': 'being read',
  provision: 'being provisioned',
  monitor: 'open in the monitor',
}

export class DeviceLocks {
  private readonly held = new Map<string, DeviceBusy>()
  private readonly _onDidChange = new Emitter<string>()
  /** Fires with the device id whenever a device becomes busy or free. */
  readonly onDidChange: Event<string> = this._onDidChange.event

  /** Takes the device for `operation`; throws DEVICE_BUSY when it is taken. `link` may be any spelling. */
  acquire(link: string, operation: DeviceOperation, jobId?: string): DeviceLease {
    const deviceId = deviceIdOf(link)
    const busy = this.held.get(deviceId)
    if (busy) throw busyError(deviceId, busy)
    const mine: DeviceBusy = { operation, since: Date.now(), ...(jobId ? { jobId } : {}) }
    this.held.set(deviceId, mine)
    this._onDidChange.fire(deviceId)
    let released = false
    return {
      deviceId,
      release: () => {
        if (released) return
        released = true
        if (this.held.get(deviceId) === mine) this.held.delete(deviceId)
        this._onDidChange.fire(deviceId)
      },
    }
  }

  /** What the device is doing, or undefined when it is free. */
  busy(deviceId: string): DeviceBusy | undefined {
    return this.held.get(deviceId)
  }

  dispose(): void {
    this._onDidChange.dispose()
  }
}

/** "rfc2217://127.0.0.1:4000 is being flashed since 12:03:04; wait for it to finish or cancel it". */
export function busyError(deviceId: string, busy: DeviceBusy): PairKitError {
  const since = new Date(busy.since).toLocaleTimeString('en-GB', { hour12: false })
  const stop = busy.operation === 'monitor' ? 'close the monitor first' : 'wait for it to finish or cancel it'
  return new PairKitError('DEVICE_BUSY', `${deviceId} is ${DOING[busy.operation]} since ${since}; ${stop}`, {
    hint: busy.operation === 'monitor' ? 'Close the monitor of this device, then try again.' : 'Wait for the operation under way to finish, or cancel it.',
  })
}
