// One operation per device: the lock is keyed by the normalised link, so a second spelling of
// a busy device is refused with what it is doing and since when.
import { describe, expect, it } from 'vitest'
import { PairKitError } from '../../../src/common/errors'
import { DeviceLocks } from '../../../src/main/devices/device-locks'

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

  it('tells a monitor apart', () => {
    const locks = new DeviceLocks()
    locks.acquire('/dev/ttyUSB0', 'monitor')
    expect(() => locks.acquire('/dev/ttyUSB0', 'flash')).toThrow(/\/dev\/ttyUSB0 is open in the monitor since .*; close the monitor first/)
  })
})
