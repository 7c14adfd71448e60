// Monitor and flash on the same port in one backend: the flash takes the port, the monitor says
// so in its stream, resumes afterwards and sees the new firmware boot. "Outside the flash" means
// while the monitor held the port: the spool must hold exactly the bytes the twin delivered on
// the connections the monitor opened (those on which the host sent the chip nothing), and
// nothing of the flasher's (no SLIP frame, no byte of a connection that talked to the ROM).
import { describe, expect, it } from 'vitest'
import { makeTempDir } from '../../support/temp-dir'
import { runPairkit } from '../../unit/cli/cli-capture'
import { bytesOf, connect, countLines, droppedBuild, finished, listenedTo, readSpool, recordingTwin, until } from './helpers'

describe('the monitor hands its port to the flasher and takes it back', () => {
  it('flashes a monitored device: the stream says so, resumes, and the spool holds every byte the monitor was sent', async () => {
    const dataDir = makeTempDir('pairkit-monitor-handover-')
    const session = connect({ dataDir })
    const { twin, transcript } = await recordingTwin()
    const bundle = await session.request('bundle.load', { files: droppedBuild() })

    // Reset into the app: the flash is empty, so the ROM prints its invalid-header loop.
    const { sessionId } = await session.request('monitor.open', { deviceId: twin.url, reset: true })
    await until('the empty flash reported', () => session.lines(sessionId).some((line) => /invalid header: 0xffffffff/.test(line.text)))
    expect((await session.request('devices.list', {})).find((device) => device.id === twin.url)?.busy).toMatchObject({ operation: 'monitor' })

    const { jobs } = await session.request('flash.start', { bundleId: bundle.bundleId, devices: [twin.url] })
    const done = await finished(session, jobs[0]?.jobId as string)
    expect(done.type, JSON.stringify(done)).toBe('done')
    // The new firmware boots while the monitor listens again.
    await until('the new app booting', () => session.lines(sessionId).some((line) => /Calling app_main\(\)/.test(line.text)), 20_000)
    await until('the monitor open again', () => session.status(sessionId)?.status.state === 'open' && session.status(sessionId))

    const states = session.statuses.filter((status) => status.sessionId === sessionId).map((status) => status.status.state)
    expect(states.join(' ')).toMatch(/^open( open)* yielded( yielded)* connecting open/)
    const yielded = session.statuses.find((status) => status.sessionId === sessionId && status.status.state === 'yielded')?.status
    expect(yielded).toMatchObject({ state: 'yielded', to: 'flash', jobId: jobs[0]?.jobId })

    const texts = session.lines(sessionId).map((line) => (line.marker ? `[${line.text}]` : line.text))
    const handed = texts.indexOf('[— port handed to the flasher (flash) —]')
    const back = texts.indexOf('[— port back: monitoring resumed —]')
    const booted = texts.findIndex((text) => /Calling app_main\(\)/.test(text))
    expect(texts[0]).toBe('[— reset into the app (DTR/RTS) —]')
    expect(handed).toBeGreaterThan(0)
    expect(back).toBeGreaterThan(handed)
    expect(booted).toBeGreaterThan(back)
    expect(texts.slice(0, handed).some((text) => /Calling app_main/.test(text))).toBe(false)
    // The log parser runs on the same stream: its events point at their lines.
    const events = (session.batches.get(sessionId) ?? []).flatMap((batch) => batch.events)
    const appMain = events.find((item) => item.event.kind === 'boot' && item.event.event === 'app-main')
    expect(session.lines(sessionId).find((line) => line.seq === appMain?.lineSeq)?.text).toMatch(/Calling app_main\(\)$/)
    expect(events.filter((item) => item.event.kind === 'boot' && item.event.event === 'invalid-header').length).toBeGreaterThan(0)
    expect(events.map((item) => item.seq)).toEqual(events.map((_, index) => index + 1))

    // Everything the twin sent to the monitor, and nothing else, is in raw.bin.
    await session.request('monitor.close', { sessionId })
    const [info] = await session.request('monitor.sessions', {})
    expect(info?.status).toMatchObject({ state: 'ended', reason: 'closed' })
    const { raw, record } = readSpool(info?.spoolDir as string)
    const heard = listenedTo(transcript)
    expect(heard.connections.length).toBe(2)
    expect(raw.equals(heard.bytes)).toBe(true)
    expect(raw.includes(0xc0)).toBe(false)
    // The flasher's connections (sync, stub, flash, the probe after it) talked to the ROM; none is in it.
    const talked = new Set(transcript.filter((entry) => entry.direction === 'from-host').map((entry) => entry.connection))
    expect(talked.size).toBeGreaterThanOrEqual(2)
    expect(heard.connections.some((connection) => talked.has(connection))).toBe(false)

    // The markers sit where the stream was cut: the first connection's bytes end at the hand-over.
    expect(record.markers.map((marker) => [marker.kind, marker.offset])).toEqual([
      ['reset', 0],
      ['handed-over', bytesOf(transcript, heard.connections[0] as number).length],
      ['resumed', bytesOf(transcript, heard.connections[0] as number).length],
    ])
    expect(record.markers[1]).toMatchObject({ operation: 'flash', jobId: jobs[0]?.jobId, text: '— port handed to the flasher (flash) —' })
    expect(record).toMatchObject({ deviceId: twin.url, baud: 115200, reset: true, endReason: 'closed', bytes: raw.length })

    // Counters are exact: bytes received = bytes spooled, lines received = lines in raw.bin.
    expect(info?.counters).toEqual({ bytes: raw.length, lines: countLines(raw, record.markers.map((marker) => marker.offset)), spooledBytes: raw.length, unspooledBytes: 0 })
    expect(record.lines).toBe(info?.counters.lines)
    // `pairkit logs parse` reads the session folder into the same events the monitor showed live.
    const parsed = await runPairkit(['logs', 'parse', info?.spoolDir as string, '--json'])
    expect(parsed.code, parsed.stderr).toBe(0)
    const offline = parsed.stdout.trim().split('\n').map((line) => JSON.parse(line) as { kind: string }).filter((event) => event.kind !== 'raw')
    await until('the last events', () => (session.batches.get(sessionId) ?? []).flatMap((batch) => batch.events).length === offline.length)
    const live = (session.batches.get(sessionId) ?? []).flatMap((batch) => batch.events).map(({ event }) => {
      const { hostTime: _hostTime, ...rest } = event
      return rest
    })
    expect(offline).toEqual(live)

    // The UI got every line too (events come in batches, after the answer to monitor.close).
    await until('the last batch', () => session.lines(sessionId).filter((line) => !line.marker).length === info?.counters.lines)
  })

  it('refuses a second monitor on the device, and a monitor while a job has the device', async () => {
    const session = connect({})
    const { twin } = await recordingTwin({ wireTiming: false })
    const { sessionId } = await session.request('monitor.open', { deviceId: twin.url })
    await expect(session.request('monitor.open', { deviceId: twin.url.replace('rfc2217://', 'RFC2217://') + '/' })).rejects.toThrow(
      new RegExp(`^${twin.url.replace(/[.:/]/g, '\\$&')} is open in the monitor since \\d\\d:\\d\\d:\\d\\d; close that monitor first$`),
    )
    await session.request('monitor.close', { sessionId })

    const { jobId } = await session.request('devices.probe', { deviceId: twin.url })
    await expect(session.request('monitor.open', { deviceId: twin.url })).rejects.toThrow(/is being probed since/)
    expect((await finished(session, jobId)).type).toBe('done')
    const again = await session.request('monitor.open', { deviceId: twin.url })
    await until('the monitor open', () => session.status(again.sessionId)?.status.state === 'open')
  })
})
