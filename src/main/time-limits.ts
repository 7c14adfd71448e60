// Waiting with a limit, for services whose work a cancel must stop at once: one place for the
// timers and abort listeners, so each wait removes what it added (a long-lived signal would
// otherwise collect a listener per wait).
import { CancelledError } from '../common/errors'

/** Resolves after `ms`, or as soon as `signal` aborts (the caller then checks `signal.aborted`). */
export function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal.addEventListener('abort', done, { once: true })
  })
}

/**
 * `work`'s result, or `onTimeout()`'s error once `ms` have passed, or a CancelledError when
 * `signal` aborts first. `work` itself is not stopped: give it a signal of its own for that.
 */
export async function withTimeout<T>(work: Promise<T>, ms: number, onTimeout: () => Error, signal?: AbortSignal): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  let onAbort: (() => void) | undefined
  const limits = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms)
    if (signal) {
      onAbort = () => reject(new CancelledError())
      signal.addEventListener('abort', onAbort, { once: true })
    }
  })
  work.catch(() => undefined)
  try {
    return await Promise.race([work, limits])
  } finally {
    clearTimeout(timer)
    if (signal && onAbort) signal.removeEventListener('abort', onAbort)
  }
}
