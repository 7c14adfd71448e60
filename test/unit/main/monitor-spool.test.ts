// The spool: raw.bin exactly as received, session.json with markers and an index, the bound on
// what waits for the disk, and the size limit (oldest finished sessions deleted first, never
// one that still runs).
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { QUEUE_LIMIT_BYTES } from '../../../src/main/monitor/session-spool'
import { deviceSlug, RAW_FILE, SESSION_FILE, SessionRecordSchema, sessionFolderName } from '../../../src/main/monitor/spool-format'
import { SpoolStore } from '../../../src/main/monitor/spool-store'
import { makeTempDir } from '../../support/temp-dir'

const info = (deviceId: string, startedAtMs: number) => ({ sessionId: `s-${startedAtMs}`, deviceId, baud: 115200, reset: false, startedAtMs })
const record = (dir: string) => SessionRecordSchema.parse(JSON.parse(readFileSync(path.join(dir, SESSION_FILE), 'utf8')))

describe('monitor spool', () => {
  it('names folders by device and start, and writes raw.bin and session.json', async () => {
    expect(deviceSlug('rfc2217://127.0.0.1:4000')).toBe('rfc2217-127.0.0.1-4000')
    expect(deviceSlug('/dev/serial/by-id/usb-Silicon_Labs_CP2102-if00')).toBe('dev-serial-by-id-usb-Silicon_Labs_CP2102-if00')
    expect(deviceSlug('socket://[::1]:3333')).toBe('socket-1-3333')
    expect(deviceSlug('COM3')).toBe('COM3')
    expect(sessionFolderName(Date.UTC(2025, 5, 1, 12, 3, 4, 123))).toBe('2025-06-01T12-03-04.123Z')

    const store = new SpoolStore(makeTempDir('pairkit-spool-'))
    const started = Date.UTC(2025, 5, 1, 12, 3, 4, 123)
    const spool = await store.createSession(info('/dev/ttyUSB0', started))
    expect(spool.dir).toBe(path.join(store.root, 'dev-ttyUSB0', '2025-06-01T12-03-04.123Z'))
    // A second session started the same millisecond gets its own folder.
    const twin = await store.createSession(info('/dev/ttyUSB0', started))
    expect(path.basename(twin.dir)).toBe('2025-06-01T12-03-04.123Z-2')

    const chunk = new Uint8Array(70 * 1024).fill(0x41)
    spool.append(new TextEncoder().encode('boot\r\n'), 1000)
    spool.mark({ at: 1001, kind: 'handed-over', text: '— port handed to the flasher (flash) —', operation: 'flash' })
    spool.append(chunk, 1500)
    spool.append(new TextEncoder().encode('x'), 2600)
    spool.lines = 2
    await spool.close({ at: 3000, reason: 'closed' })
    const raw = readFileSync(path.join(spool.dir, RAW_FILE))
    expect(raw.length).toBe(6 + chunk.length + 1)
    expect(raw.subarray(0, 6).toString()).toBe('boot\r\n')
    expect(spool.counters).toEqual({ spooledBytes: raw.length, unspooledBytes: 0 })
    const written = record(spool.dir)
    expect(written).toMatchObject({ deviceId: '/dev/ttyUSB0', bytes: raw.length, lines: 2, endReason: 'closed', endedAtMs: 3000, startedAt: '2025-06-01T12:03:04.123Z', gaps: [] })
    expect(written.markers).toEqual([{ at: 1001, offset: 6, kind: 'handed-over', text: '— port handed to the flasher (flash) —', operation: 'flash' }])
    // An entry for the first chunk; none half a second and 6 bytes later; one after a second (and 64 KiB).
    expect(written.index).toEqual([[0, 1000], [6 + chunk.length, 2600]])
  })

  it('never waits for the disk: beyond its bound it records a gap and says so', async () => {
    const store = new SpoolStore(makeTempDir('pairkit-spool-gap-'))
    const notices: string[] = []
    const spool = await store.createSession(info('/dev/ttyACM0', 1), { onNotice: (level, message) => notices.push(`${level}: ${message}`) })
    // One synchronous burst larger than the bound: the disk cannot have written any of it yet.
    const block = new Uint8Array(1 << 20)
    const blocks = QUEUE_LIMIT_BYTES / block.length + 3
    for (let i = 0; i < blocks; i++) spool.append(block, 5000 + i)
    await spool.close({ at: 9000, reason: 'closed' })
    expect(spool.counters).toEqual({ spooledBytes: QUEUE_LIMIT_BYTES, unspooledBytes: 3 * block.length })
    expect(readFileSync(path.join(spool.dir, RAW_FILE)).length).toBe(QUEUE_LIMIT_BYTES)
    expect(record(spool.dir).gaps).toEqual([{ offset: QUEUE_LIMIT_BYTES, bytes: 3 * block.length, from: 5000 + blocks - 3, to: 5000 + blocks - 1, reason: 'the disk fell 16 MiB behind the port' }])
    expect(notices).toEqual([
      expect.stringMatching(/^warn: the disk is behind the port: \d+ MiB of the device's bytes wait to be written/),
      'error: the disk fell 16 MiB behind the port: bytes are not kept on disk until it catches up (the lines still show)',
    ])
  })

  it('deletes the oldest finished sessions, across devices, once over its limit; never a running one', async () => {
    const root = makeTempDir('pairkit-spool-limit-')
    // A session another PairKit left running (no end, fresh heartbeat) and one it crashed out of.
    const elsewhere = (slug: string, name: string, updatedAtMs: number) => {
      const dir = path.join(root, slug, name)
      mkdirSync(dir, { recursive: true })
      writeFileSync(path.join(dir, RAW_FILE), new Uint8Array(30_000))
      writeFileSync(path.join(dir, SESSION_FILE), JSON.stringify({ version: 1, sessionId: 'x', deviceId: slug, baud: 115200, reset: false, startedAt: '', startedAtMs: 0, updatedAtMs, bytes: 30_000, lines: 0, markers: [], index: [], gaps: [] }))
      return dir
    }
    const running = elsewhere('dev-ttyUSB9', '2020-01-01T00-00-00.000Z', Date.now())
    const crashed = elsewhere('dev-ttyUSB8', '2020-01-01T00-00-01.000Z', Date.now() - 3_600_000)
    const notices: string[] = []
    const store = new SpoolStore(root, 100_000, { onNotice: (message) => notices.push(message) })
    const fill = async (deviceId: string, startedAtMs: number, close: boolean) => {
      const spool = await store.createSession(info(deviceId, startedAtMs))
      spool.append(new Uint8Array(25_000), startedAtMs)
      await spool.flush()
      if (close) {
        await spool.close({ at: startedAtMs, reason: 'closed' })
        store.release(spool.dir)
      }
      return spool
    }
    const a = await fill('/dev/ttyUSB0', Date.UTC(2024, 0, 1), true)
    const open = await fill('/dev/ttyUSB1', Date.UTC(2024, 0, 2), false)
    const b = await fill('rfc2217://127.0.0.1:4000', Date.UTC(2024, 0, 3), true)
    const c = await fill('/dev/ttyUSB0', Date.UTC(2024, 0, 4), true)
    await store.prune()
    // 30 + 30 + 4 × 25 kB (+ records) > 100 kB: the crashed run's and the oldest finished go first.
    expect(existsSync(running)).toBe(true)
    expect(existsSync(crashed)).toBe(false)
    expect(existsSync(path.dirname(crashed))).toBe(false)
    expect(existsSync(a.dir)).toBe(false)
    expect(existsSync(open.dir)).toBe(true)
    expect([existsSync(b.dir), existsSync(c.dir)]).toEqual([false, true])
    expect(store.totalBytes).toBeLessThanOrEqual(90_000)
    expect(readdirSync(path.join(root, 'dev-ttyUSB0'))).toEqual([path.basename(c.dir)])

    // A limit below what the running sessions hold: they stay, and the spool says so once.
    await store.setLimit(1000)
    expect(existsSync(open.dir)).toBe(true)
    expect(existsSync(running)).toBe(true)
    expect(existsSync(c.dir)).toBe(false)
    expect(notices).toEqual([expect.stringMatching(/^the monitor sessions still running hold 0\.\d MiB, more than the spool's limit of 0\.0 MiB; they are kept until they are closed$/)])
    await open.close({ at: 0, reason: 'closed' })
    store.release(open.dir)
    await store.prune()
    expect(existsSync(open.dir)).toBe(false)
  })
})
