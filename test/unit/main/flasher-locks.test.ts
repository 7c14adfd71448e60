// Every flasher job holds its device's lock from start to end, and gives it back however the
// job ends (done, failed, thrown at once, cancelled), before it says so.
import { describe, expect, it } from 'vitest'
import { DeviceLocks } from '../../../src/main/devices/device-locks'
import { FlasherService } from '../../../src/main/flasher'

describe('flasher jobs and device locks', () => {
  it('holds the lock while a job runs and frees it before the final state is told', async () => {
    const locks = new DeviceLocks()
    const service = new FlasherService(locks)
    let finish: (value: unknown) => void = () => {}
    const seenFree: boolean[] = []
    service.onDidChangeJob((state) => {
      if (state.type === 'done' || state.type === 'failed' || state.type === 'cancelled') seenFree.push(locks.busy(state.deviceId) === undefined)
    })
    const id = service.start({ operation: 'provision', port: 'socket://127.0.0.1:4000/', run: () => new Promise((resolve) => (finish = resolve)) })
    expect(service.get(id)).toMatchObject({ deviceId: 'socket://127.0.0.1:4000', port: 'socket://127.0.0.1:4000/' })
    expect(locks.busy('socket://127.0.0.1:4000')).toMatchObject({ operation: 'provision', jobId: id })
    expect(() => service.start({ operation: 'probe', port: 'SOCKET://127.0.0.1:4000' })).toThrow(/is being provisioned since/)
    await new Promise((resolve) => setTimeout(resolve, 10))
    finish({ ok: true })
    expect((await service.wait(id)).state).toMatchObject({ type: 'done', result: { ok: true } })

    const thrown = service.start({ operation: 'flash', port: 'socket://127.0.0.1:4000', run: () => { throw new Error('broken at once') } })
    expect((await service.wait(thrown)).state).toMatchObject({ type: 'failed', error: { message: 'broken at once' } })

    const cancelled = service.start({ operation: 'flash', port: 'socket://127.0.0.1:4000', run: ({ signal }) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('stopped')))) })
    service.cancel(cancelled)
    expect((await service.wait(cancelled)).state.type).toBe('cancelled')
    expect(seenFree).toEqual([true, true, true])
    expect(locks.busy('socket://127.0.0.1:4000')).toBeUndefined()
    await service.dispose()
  })

  it('runs a job on a monitored device only once the monitor has closed its port, and gives it back when the job ends', async () => {
    const locks = new DeviceLocks()
    const service = new FlasherService(locks)
    const events: string[] = []
    let closed: () => void = () => {}
    locks.acquireYielding('socket://127.0.0.1:4000', {
      stepAside: () => {
        events.push('monitor closes')
        return new Promise((resolve) => (closed = () => (events.push('monitor closed'), resolve())))
      },
      resume: () => events.push('monitor resumes'),
    })
    const id = service.start({ operation: 'flash', port: 'socket://127.0.0.1:4000', run: async () => events.push('job runs') })
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(events).toEqual(['monitor closes'])
    closed()
    expect((await service.wait(id)).state.type).toBe('done')
    expect(events).toEqual(['monitor closes', 'monitor closed', 'job runs', 'monitor resumes'])

    // Cancelled while it waits for the port: it never runs.
    const waiting = service.start({ operation: 'probe', port: 'socket://127.0.0.1:4000', run: async () => events.push('cancelled job runs') })
    service.cancel(waiting)
    closed()
    expect((await service.wait(waiting)).state.type).toBe('cancelled')
    expect(events).not.toContain('cancelled job runs')
    await service.dispose()
  })

  it('refuses a port that is not a link before any job exists', () => {
    const service = new FlasherService()
    expect(() => service.start({ operation: 'probe', port: 'http://127.0.0.1:80' })).toThrow(/not a link PairKit can open/)
    expect(service.list()).toEqual([])
  })
})
