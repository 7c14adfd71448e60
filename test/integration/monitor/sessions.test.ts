// Several devices at once, each its own session; a console that is busy when the monitor
// connects loses nothing (not even what arrives while rfc2217:// negotiates); the counters are
// exact under load: bytes and lines received equal bytes and lines spooled and shown.
import { describe, expect, it } from 'vitest'
import { FLOOD_LINE_BYTES } from '../../../src/twin/firmware/log-flood'
import { makeTempDir } from '../../support/temp-dir'
import { bootedTwin, connect, countLines, listenedTo, readSpool, until } from './helpers'

describe('monitor sessions', () => {
  it('monitors two flooding twins at once and counts every byte and line exactly', async () => {
    const session = connect({ dataDir: makeTempDir('pairkit-monitor-two-') })
    const boards = [await bootedTwin({ wireTiming: false, faults: { drop: 0, corrupt: 0, stall: 0, seed: 1, floodBytesPerSecond: 100_000 } }), await bootedTwin({ wireTiming: false, faults: { drop: 0, corrupt: 0, stall: 0, seed: 2, floodBytesPerSecond: 60_000 } })]
    // Both already print when the monitors connect.
    const opened = await Promise.all(boards.map(({ twin }) => session.request('monitor.open', { deviceId: twin.url })))
    await until('a second of each', () => opened.every(({ sessionId }) => (session.status(sessionId)?.counters.bytes ?? 0) > 0 || session.lines(sessionId).length > 500), 20_000)
    await new Promise((resolve) => setTimeout(resolve, 1500))
    await Promise.all(opened.map(({ sessionId }) => session.request('monitor.close', { sessionId })))

    const infos = await session.request('monitor.sessions', {})
    expect(infos).toHaveLength(2)
    for (const [index, { sessionId }] of opened.entries()) {
      const info = infos.find((item) => item.sessionId === sessionId)
      const { raw, record } = readSpool(info?.spoolDir as string)
      const heard = listenedTo(boards[index]?.transcript ?? [])
      expect(heard.connections).toHaveLength(1)
      expect(raw.length).toBeGreaterThan(50_000)
      expect(raw.equals(heard.bytes), `session ${index}: spool ${raw.length} bytes, twin sent ${heard.bytes.length}`).toBe(true)
      const lines = countLines(raw, record.markers.map((marker) => marker.offset))
      expect(info?.counters).toEqual({ bytes: raw.length, lines, spooledBytes: raw.length, unspooledBytes: 0 })
      await until(`session ${index}'s lines in the UI`, () => session.lines(sessionId).length === lines)
      // Each twin's own numbered lines, in order, none missing between the first and the last.
      const numbers = session
        .lines(sessionId)
        .map((line) => /^I \(\d+\) flood: line (\d{8}) x+$/.exec(line.text)?.[1])
        .filter((number): number is string => number !== undefined)
        .map(Number)
      expect(numbers.length).toBeGreaterThan(raw.length / FLOOD_LINE_BYTES - 3)
      expect(numbers.every((number, at) => at === 0 || number === (numbers[at - 1] as number) + 1)).toBe(true)
      expect(session.batches.get(sessionId)?.every((batch) => batch.dropped === 0)).toBe(true)
    }
    // Each session has its own folder, under its own device.
    expect(new Set(infos.map((info) => info.spoolDir)).size).toBe(2)
  })
})
