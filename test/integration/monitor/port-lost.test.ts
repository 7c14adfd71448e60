// A monitored port that goes away ends the session with a clear status; a local port that comes
// back on the same path resumes by itself (autoResume), a remote link with monitor.resume. The
// spool keeps every byte either side of the gap, and the stream says where it was.
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { createPtyPair } from '../../support/pty'
import { makeTempDir } from '../../support/temp-dir'
import { bootedTwin, connect, listenedTo, readSpool, until } from './helpers'

describe('a monitored port that goes away', () => {
  it('ends the session when the cable is pulled, and resumes on the same path when it is back', async () => {
    const dir = makeTempDir('pairkit-monitor-pty-')
    const [host, device] = [path.join(dir, 'ttyPK0'), path.join(dir, 'ttyPK1')]
    let pty = await createPtyPair(host, device)
    const session = connect({ dataDir: makeTempDir('pairkit-monitor-pty-data-'), extraPortPatterns: [path.join(dir, 'ttyPK*')] })
    // The twin's UART is the far end of the "cable"; it opens that end again whenever it can.
    const { twin, transcript } = await bootedTwin({ listen: undefined, tty: device, wireTiming: false, faults: { drop: 0, corrupt: 0, stall: 0, seed: 1, floodBytesPerSecond: 20_000 } })
    const { sessionId } = await session.request('monitor.open', { deviceId: host, reset: true })
    await until('the warning that a pty cannot reset the chip', () =>
      session.statuses.some((status) => status.sessionId === sessionId) && session.notices.some((notice) => notice.message === `the chip was not reset: ${host} carries no DTR/RTS; the log shows what it prints from now on`),
    )
    await until('flood lines', () => session.lines(sessionId).filter((line) => /flood: line/.test(line.text)).length > 50)

    await pty.close()
    const lost = await until('the session ended', () => {
      const status = session.status(sessionId)?.status
      return status?.state === 'ended' ? status : undefined
    })
    expect(lost).toMatchObject({ reason: 'port-lost', message: expect.stringMatching(/^the port went away: check the cable/), resumable: true, waitingForPort: true })
    expect((await session.request('devices.list', {})).find((item) => item.id === host)?.busy).toBeUndefined()
    await until('the port gone from the list', async () => !(await session.request('ports.list', {})).some((port) => port.path === host))

    pty = await createPtyPair(host, device)
    await until('the session open again', () => session.status(sessionId)?.status.state === 'open', 20_000)
    const linesBefore = session.lines(sessionId).length
    await until('flood lines after the resume', () => session.lines(sessionId).slice(linesBefore).filter((line) => /flood: line/.test(line.text)).length > 20)
    await session.request('monitor.close', { sessionId })
    await pty.close()

    const texts = session.lines(sessionId).filter((line) => line.marker).map((line) => line.text)
    expect(texts).toEqual(['— the port went away: check the cable —', '— port back: monitoring resumed —'])
    const [info] = await session.request('monitor.sessions', {})
    const { raw, record } = readSpool(info?.spoolDir as string)
    expect(record.markers.map((marker) => marker.kind)).toEqual(['port-lost', 'resumed'])
    expect(info?.counters).toMatchObject({ bytes: raw.length, spooledBytes: raw.length, unspooledBytes: 0 })
    // Bytes the twin wrote into the pty while the monitor's end was open all arrived, in order.
    const heard = listenedTo(transcript).bytes
    expect(heard.includes(raw.subarray(0, 2000))).toBe(true)
    expect(twin.url).toBe(`tty:${device}`)
  })

  it('ends a remote session when the server drops the connection, and resumes it on request', async () => {
    const session = connect({ dataDir: makeTempDir('pairkit-monitor-remote-') })
    // The twin cuts every connection after 3000 bytes.
    const { twin, transcript } = await bootedTwin({ wireTiming: false, faults: { drop: 0, corrupt: 0, stall: 0, seed: 1, disconnectAfter: 3000, floodBytesPerSecond: 20_000 } })
    const { sessionId } = await session.request('monitor.open', { deviceId: twin.url })
    const lost = await until('the session ended', () => {
      const status = session.status(sessionId)?.status
      return status?.state === 'ended' ? status : undefined
    })
    expect(lost).toEqual({
      state: 'ended',
      since: expect.any(Number),
      reason: 'port-lost',
      message: `the connection to ${twin.url} went away: check the serial server and the network (the server closed the connection)`,
      resumable: true,
      waitingForPort: false,
    })
    await session.request('monitor.resume', { sessionId })
    await until('lost again after 3000 more bytes', () => session.statuses.filter((status) => status.sessionId === sessionId && status.status.state === 'ended').length === 2)
    await session.request('monitor.close', { sessionId })
    await expect(session.request('monitor.resume', { sessionId })).rejects.toThrow(`the monitor session ${sessionId} was closed`)

    const [info] = await session.request('monitor.sessions', {})
    const { raw, record } = readSpool(info?.spoolDir as string)
    expect(raw.equals(listenedTo(transcript).bytes)).toBe(true)
    expect(raw.length).toBe(6000)
    expect(record.markers.map((marker) => [marker.kind, marker.offset])).toEqual([
      ['port-lost', 3000],
      ['resumed', 3000],
      ['port-lost', 6000],
    ])
    expect(record.endReason).toBe('closed')
  })
})
