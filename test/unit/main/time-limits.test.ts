import { getEventListeners } from 'node:events'
import { describe, expect, it } from 'vitest'
import { CancelledError } from '../../../src/common/errors'
import { sleepUnlessAborted, withTimeout } from '../../../src/main/time-limits'

describe('waiting with a limit', () => {
  it('wakes a sleep as soon as its signal aborts, and leaves no listener on the signal', async () => {
    const controller = new AbortController()
    const started = performance.now()
    const sleeping = sleepUnlessAborted(60_000, controller.signal)
    controller.abort()
    await sleeping
    expect(performance.now() - started).toBeLessThan(1000)
    const other = new AbortController()
    for (let i = 0; i < 20; i++) await sleepUnlessAborted(1, other.signal)
    expect(getEventListeners(other.signal, 'abort')).toHaveLength(0)
  })

  it('gives the result, the timeout error or a cancel, and removes its listener each time', async () => {
    const controller = new AbortController()
    for (let i = 0; i < 20; i++) await expect(withTimeout(Promise.resolve(i), 1000, () => new Error('late'), controller.signal)).resolves.toBe(i)
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
    await expect(withTimeout(new Promise(() => undefined), 5, () => new Error('late'), controller.signal)).rejects.toThrow('late')
    const cancelling = withTimeout(new Promise(() => undefined), 60_000, () => new Error('late'), controller.signal)
    controller.abort()
    await expect(cancelling).rejects.toBeInstanceOf(CancelledError)
  })
})
