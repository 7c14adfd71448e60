// flood=B: the app prints numbered ESP-IDF log lines at B bytes per second, for measuring what
// reads the console (the monitor's throughput, its counters, a slow UI). Each line is 100
// bytes with its "\r\n", without colours, and carries its number, so a reader can tell
// exactly which ones it missed.

export const FLOOD_TAG = 'flood'
export const FLOOD_LINE_BYTES = 100
const TICK_MS = 10

export interface LogFlood {
  stop(): void
}

/** "I (12345) flood: line 00000001 xxxx…\r\n", 100 bytes. */
export function floodLine(sequence: number, uptimeMs: number): string {
  const head = `I (${Math.floor(uptimeMs)}) ${FLOOD_TAG}: line ${String(sequence).padStart(8, '0')} `
  return `${head}${'x'.repeat(Math.max(0, FLOOD_LINE_BYTES - head.length - 2))}\r\n`
}

export function startLogFlood(bytesPerSecond: number, print: (text: string) => void, uptimeMs: () => number): LogFlood {
  let budget = 0
  let sequence = 0
  let last = performance.now()
  const timer = setInterval(() => {
    const now = performance.now()
    budget += ((now - last) * bytesPerSecond) / 1000
    last = now
    let text = ''
    while (budget >= FLOOD_LINE_BYTES) {
      text += floodLine(++sequence, uptimeMs())
      budget -= FLOOD_LINE_BYTES
    }
    if (text) print(text)
  }, TICK_MS)
  timer.unref?.()
  return { stop: () => clearInterval(timer) }
}
