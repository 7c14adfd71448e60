// `pairkit monitor` as a technician runs it: --reset shows the boot log, --json prints the log
// parser's events (each valid against the schema), Ctrl-C ends it with exit 0 and the session's
// spool folder on stderr, holding what the device sent.
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { LogEventSchema } from '../../../src/common/logs'
import { runToEnd, spawnPairkit, waitForLine } from '../../support/processes'
import { makeTempDir } from '../../support/temp-dir'
import { runPairkit } from '../../unit/cli/cli-capture'
import { bootedTwin, listenedTo, readSpool } from './helpers'

describe('pairkit monitor', () => {
  it('resets into the app, prints parsed events with --json, and stops cleanly on Ctrl-C', async () => {
    const { twin, transcript } = await bootedTwin()
    const dataDir = makeTempDir('pairkit-monitor-cli-')
    const child = spawnPairkit(['monitor', '--port', twin.url, '--reset', '--json', '--data-dir', dataDir])
    const result = runToEnd(child)
    await waitForLine(child.stdout as NodeJS.ReadableStream, /"event":"app-main"/, 60_000)
    child.kill('SIGINT')
    const { code, stdout, stderr } = await result
    expect(code, stderr).toBe(0)

    const events = stdout.trim().split('\n').map((line) => JSON.parse(line) as unknown)
    for (const event of events) expect(LogEventSchema.safeParse(event).success, JSON.stringify(event)).toBe(true)
    expect(events).toContainEqual(expect.objectContaining({ kind: 'reboot', format: 'rom', hostTime: expect.any(Number) }))
    expect(events).toContainEqual(expect.objectContaining({ kind: 'boot', event: 'app-main', t: expect.any(Number) }))
    expect(events.some((event) => 'source' in (event as object))).toBe(false)

    expect(stderr).toContain('— reset into the app (DTR/RTS) —')
    const folder = /the session is kept in (.+)$/m.exec(stderr)?.[1] as string
    expect(folder.startsWith(`${dataDir}/monitor/rfc2217-127.0.0.1-`)).toBe(true)
    const { raw, record } = readSpool(folder)
    expect(raw.equals(listenedTo(transcript).bytes)).toBe(true)
    expect(record).toMatchObject({ endReason: 'closed', reset: true, deviceId: twin.url })
  })

  it('prints the lines as they are, and says why a port cannot be opened', async () => {
    const { twin } = await bootedTwin({ wireTiming: false })
    const dataDir = makeTempDir('pairkit-monitor-cli-raw-')
    const child = spawnPairkit(['monitor', '--port', twin.url, '--reset', '--data-dir', dataDir])
    const result = runToEnd(child)
    await waitForLine(child.stdout as NodeJS.ReadableStream, /Calling app_main\(\)$/, 60_000)
    child.kill('SIGTERM')
    const { code, stdout } = await result
    expect(code).toBe(0)
    expect(stdout).toMatch(/^I \(\d+\) boot: Loaded app from partition at offset 0x10000$/m)

    const refused = await runToEnd(spawnPairkit(['monitor', '--port', 'rfc2217://127.0.0.1:1', '--data-dir', dataDir]))
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/^pairkit monitor: nothing listens at rfc2217:\/\/127\.0\.0\.1:1: check the address and that the serial server runs\. /m)
    const usage = await runToEnd(spawnPairkit(['monitor', '--port', twin.url, '--baud', 'fast']))
    expect(usage.code).toBe(2)
    expect(usage.stderr).toContain('--baud fast is not a baud rate (300 to 4000000)')
  })
})

describe('pairkit logs parse on a spooled session', () => {
  it('cuts the stream where the session was cut, as the monitor did live', async () => {
    const dir = makeTempDir('pairkit-monitor-parse-')
    // A line under way when the port was handed to the flasher, and the device's next line after.
    writeFileSync(path.join(dir, 'raw.bin'), 'I (10) boot: half a li' + 'I (20) main_task: Calling app_main()\r\n')
    writeFileSync(
      path.join(dir, 'session.json'),
      JSON.stringify({
        version: 1, sessionId: 'mon-1', deviceId: '/dev/ttyUSB0', baud: 115200, reset: false, startedAt: '2025-01-01T00:00:00.000Z', startedAtMs: 0, updatedAtMs: 0, bytes: 60, lines: 2,
        markers: [
          { at: 1, offset: 22, kind: 'handed-over', text: '— port handed to the flasher (flash) —', operation: 'flash' },
          { at: 2, offset: 22, kind: 'resumed', text: '— port back: monitoring resumed —' },
        ],
        index: [], gaps: [],
      }),
    )
    const parsed = await runPairkit(['logs', 'parse', dir, '--json'])
    expect(parsed.code, parsed.stderr).toBe(0)
    const events = parsed.stdout.trim().split('\n').map((line) => JSON.parse(line) as { kind: string; sourceLine: number })
    expect(events.map((event) => [event.kind, event.sourceLine])).toEqual([['raw', 1], ['boot', 2]])
    const human = await runPairkit(['logs', 'parse', dir])
    expect(human.stdout).toMatch(/marker +— port handed to the flasher \(flash\) —\n.*marker +— port back: monitoring resumed —\n.*boot +/)
  })
})
