// One operation per device at a time. Everything that talks to a device — probe, flash,
// erase, read-flash, provisioning and the monitor — takes the device's lock first, keyed by
// the device id (the normalised link), so two spellings of one link cannot run two jobs on
// one chip. A second job is refused at once with what is going on, never queued: a
// technician who asked for something should learn now that it cannot happen.
//
// The monitor holds a device in a yielding way (as idf.py monitor does around a flash): a job
// that asks for a monitored device gets it, the monitor is asked to step aside (it closes its
// port; the job's lease is `ready` once it has), and when the job releases the device the
// monitor gets it back and opens the port again. A monitor cannot take a device a job holds
// (DEVICE_BUSY), except to wait for it when it resumes; two monitors on one device: refused.
import type { DeviceBusy, DeviceOperation } from '../../common/contract/devices'
import { deviceIdOf } from '../../common/devices/device-id'
import { PairKitError } from '../../common/errors'
import { Emitter, type Event } from '../../common/event'

export interface DeviceLease {
  readonly deviceId: string
  /**
   * Resolves once the port is free for this job: at once, or once the monitor that had the
   * device has closed its port (within STEP_ASIDE_LIMIT_MS whatever happens).
   */
  readonly ready: Promise<void>
  /** Gives the device back; calling it again does nothing. */
  release(): void
}

/** A holder that gives the device up to any job that asks (the monitor). */
export interface YieldingHolder {
  /** A job takes the device: close the port, and resolve once it is closed. */
  stepAside(to: DeviceBusy): Promise<void>
  /** The job is over: the device is this holder's again. */
  resume(): void
}

export interface YieldingLease {
  readonly deviceId: string
  /** The job that has the device now, if any. */
  readonly yieldedTo: DeviceBusy | undefined
  /** Gives the device up for good; calling it again does nothing. */
  release(): void
}

/** A job never waits longer than this for a monitor to close its port (closes are bounded far below). */
export const STEP_ASIDE_LIMIT_MS = 10_000

const DOING: Record<DeviceOperation, string> = {
  probe: 'being probed',
  flash: 'being flashed',
  erase: 'being erased',
  'read-flash': 'being read',
  provision: 'being provisioned',
  monitor: 'open in the monitor',
}

interface Entry {
  /** The job that has the device (exclusive). */
  job?: DeviceBusy
  /** The monitor: it has the device while no job does. */
  yielding?: { busy: DeviceBusy; holder: YieldingHolder }
}

export class DeviceLocks {
  private readonly entries = new Map<string, Entry>()
  private readonly _onDidChange = new Emitter<string>()
  /** Fires with the device id whenever what a device is doing changes. */
  readonly onDidChange: Event<string> = this._onDidChange.event

  /**
   * Takes the device for a job; throws DEVICE_BUSY when another job has it. A monitor that has
   * it is asked to step aside: wait for `ready` before opening the port. `link` may be any spelling.
   */
  acquire(link: string, operation: DeviceOperation, jobId?: string): DeviceLease {
    const deviceId = deviceIdOf(link)
    const entry = this.entries.get(deviceId) ?? {}
    if (entry.job) throw busyError(deviceId, entry.job)
    const mine: DeviceBusy = { operation, since: Date.now(), ...(jobId ? { jobId } : {}) }
    entry.job = mine
    this.entries.set(deviceId, entry)
    const ready = entry.yielding ? bounded(entry.yielding.holder.stepAside(mine)) : Promise.resolve()
    this._onDidChange.fire(deviceId)
    let released = false
    return {
      deviceId,
      ready,
      release: () => {
        if (released) return
        released = true
        if (entry.job !== mine) return
        delete entry.job
        this.tidy(deviceId, entry)
        this._onDidChange.fire(deviceId)
        entry.yielding?.holder.resume()
      },
    }
  }

  /**
   * Takes the device for a monitor. Throws DEVICE_BUSY when another monitor has it, or when a
   * job has it and `waitForJob` is not set; with it, the monitor gets the device (`resume()`)
   * once the job releases it.
   */
  acquireYielding(link: string, holder: YieldingHolder, options: { waitForJob?: boolean } = {}): YieldingLease {
    const deviceId = deviceIdOf(link)
    const entry = this.entries.get(deviceId) ?? {}
    if (entry.yielding) throw busyError(deviceId, entry.yielding.busy)
    if (entry.job && !options.waitForJob) throw busyError(deviceId, entry.job)
    const mine = { busy: { operation: 'monitor' as const, since: Date.now() }, holder }
    entry.yielding = mine
    this.entries.set(deviceId, entry)
    this._onDidChange.fire(deviceId)
    let released = false
    return {
      deviceId,
      get yieldedTo() {
        return !released && entry.yielding === mine ? entry.job : undefined
      },
      release: () => {
        if (released) return
        released = true
        if (entry.yielding !== mine) return
        delete entry.yielding
        this.tidy(deviceId, entry)
        this._onDidChange.fire(deviceId)
      },
    }
  }

  /** What the device is doing (a job before a monitor that waits for it), or undefined when it is free. */
  busy(deviceId: string): DeviceBusy | undefined {
    const entry = this.entries.get(deviceId)
    return entry?.job ?? entry?.yielding?.busy
  }

  dispose(): void {
    this._onDidChange.dispose()
  }

  private tidy(deviceId: string, entry: Entry): void {
    if (!entry.job && !entry.yielding && this.entries.get(deviceId) === entry) this.entries.delete(deviceId)
  }
}

/** A step aside that fails or hangs must not keep the job from running (its open then says what is wrong). */
function bounded(stepAside: Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, STEP_ASIDE_LIMIT_MS)
    timer.unref?.()
    stepAside.then(
      () => (clearTimeout(timer), resolve()),
      () => (clearTimeout(timer), resolve()),
    )
  })
}

/** "rfc2217://127.0.0.1:4000 is being flashed since 12:03:04; wait for it to finish or cancel it". */
export function busyError(deviceId: string, busy: DeviceBusy): PairKitError {
  const since = new Date(busy.since).toLocaleTimeString('en-GB', { hour12: false })
  const stop = busy.operation === 'monitor' ? 'close that monitor first' : 'wait for it to finish or cancel it'
  return new PairKitError('DEVICE_BUSY', `${deviceId} is ${DOING[busy.operation]} since ${since}; ${stop}`, {
    hint: busy.operation === 'monitor' ? 'Use the monitor already open on this device, or close it and open it again.' : 'Wait for the operation under way to finish, or cancel it.',
  })
}
