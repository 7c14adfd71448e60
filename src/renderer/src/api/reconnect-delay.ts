// How long the browser page waits before it tries the background service again. The service
// runs on the same computer, so an attempt costs nothing: try soon after a drop (a restart
// takes a second or two) and then every few seconds, so the page is back within moments of
// the service, however long it was gone.

const DELAYS_MS = [250, 500, 1000, 2000] as const
export const MAX_RECONNECT_DELAY_MS = 3000

/** The wait before the next attempt, after `failedAttempts` attempts failed in a row. */
export function reconnectDelayMs(failedAttempts: number): number {
  return DELAYS_MS[failedAttempts] ?? MAX_RECONNECT_DELAY_MS
}
