// One operation per device: the lock is keyed by the normalised link, so a second spelling of
// a busy device is refused with what it is doing and since when.
import { describe, expect, it } from 'vitest'
import { PairKitError } from '../../../src/common/errors'
import { DeviceLocks, type YieldingHolder } from '../../../src/main/devices/device-locks'

describe('device locks', () => {
  it('refuses a second operation on any spelling of a busy device, and frees it on release', () => {
    const locks = new DeviceLocks()
    const changes: string[] = []
    locks.onDidChange((id) => changes.push(id))
    const lease = locks.acquire('rfc2217://127.0.0.1:36907', 'flash', 'flash-1')
    expect(lease.deviceId).toBe('rfc2217://127.0.0.1:36907')
    expect(locks.busy('rfc2217://127.0.0.1:36907')).toMatchObject({ operation: 'flash', jobId: 'flash-1' })

    let caught: unknown
    try {
      locks.acquire('RFC2217://127.0.0.1:36907/', 'probe')
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(PairKitError)
    expect((caught as PairKitError).code).toBe('DEVICE_BUSY')
    expect((caught as PairKitError).message).toMatch(/^rfc2217:\/\/127\.0\.0\.1:36907 is being flashed since \d\d:\d\d:\d\d; wait for it to finish or cancel it$/)
    // Another device is not affected.
    locks.acquire('rfc2217://127.0.0.1:36908', 'probe').release()

    lease.release()
    lease.release() // twice does nothing, and never frees a later holder
    const next = locks.acquire('rfc2217://127.0.0.1:36907/', 'provision')
    lease.release()
    expect(locks.busy('rfc2217://127.0.0.1:36907')?.operation).toBe('provision')
    next.release()
    expect(locks.busy('rfc2217://127.0.0.1:36907')).toBeUndefined()
    expect(changes.filter((id) => id === 'rfc2217://127.0.0.1:36907')).toHaveLength(4)
  })

  it('lets a job take a monitored device once the monitor has stepped aside, and gives it back after', async () => {
    const locks = new DeviceLocks()
    const calls: string[] = []
    let closed: () => void = () => {}
    const monitor: YieldingHolder = {
      stepAside: (to) => {
        calls.push(`step aside for ${to.operation} ${to.jobId}`)
        return new Promise((resolve) => (closed = resolve))
      },
      resume: () => calls.push('resume'),
    }
    const watch = locks.acquireYielding('/dev/ttyUSB0', monitor)
    expect(locks.busy('/dev/ttyUSB0')).toMatchObject({ operation: 'monitor' })

    const job = locks.acquire('/dev/ttyUSB0', 'flash', 'flash-7')
    expect(calls).toEqual(['step aside for flash flash-7'])
    expect(locks.busy('/dev/ttyUSB0')).toMatchObject({ operation: 'flash', jobId: 'flash-7' })
    expect(watch.yieldedTo).toMatchObject({ operation: 'flash' })
    // The job waits for the monitor's port to close.
    let ready = false
    void job.ready.then(() => (ready = true))
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(ready).toBe(false)
    closed()
    await job.ready
    // A second job is refused as before; the monitor is not asked again.
    expect(() => locks.acquire('/dev/ttyUSB0', 'probe')).toThrow(/is being flashed since/)
    job.release()
    expect(calls).toEqual(['step aside for flash flash-7', 'resume'])
    expect(locks.busy('/dev/ttyUSB0')).toMatchObject({ operation: 'monitor' })
    expect(watch.yieldedTo).toBeUndefined()
    watch.release()
    expect(locks.busy('/dev/ttyUSB0')).toBeUndefined()
    // Released, the monitor hears nothing more.
    locks.acquire('/dev/ttyUSB0', 'probe').release()
    expect(calls).toHaveLength(2)
  })

  it('refuses a second monitor, and a monitor while a job runs unless it waits for the job', () => {
    const locks = new DeviceLocks()
    const resumed: string[] = []
    const holder = (name: string): YieldingHolder => ({ stepAside: async () => {}, resume: () => resumed.push(name) })
    const first = locks.acquireYielding('/dev/ttyUSB0', holder('first'))
    expect(() => locks.acquireYielding('/dev/ttyUSB0', holder('second'))).toThrow(/^\/dev\/ttyUSB0 is open in the monitor since \d\d:\d\d:\d\d; close that monitor first$/)
    first.release()

    const job = locks.acquire('/dev/ttyUSB0', 'provision')
    expect(() => locks.acquireYielding('/dev/ttyUSB0', holder('third'))).toThrow(/is being provisioned since/)
    const waiting = locks.acquireYielding('/dev/ttyUSB0', holder('waiting'), { waitForJob: true })
    expect(waiting.yieldedTo).toMatchObject({ operation: 'provision' })
    expect(locks.busy('/dev/ttyUSB0')?.operation).toBe('provision')
    job.release()
    expect(resumed).toEqual(['waiting'])
    expect(locks.busy('/dev/ttyUSB0')?.operation).toBe('monitor')
  })
})
