// `pairkit monitor` as a technician runs it: --reset shows the boot log, --json prints the log
// parser's events (each valid against the schema), Ctrl-C ends it with exit 0 and the session's
// spool folder on stderr, holding what the device sent.
import { describe, expect, it } from 'vitest'
import { LogEventSchema } from '../../../src/common/logs'
import { runToEnd, spawnPairkit, waitForLine } from '../../support/processes'
import { makeTempDir } from '../../support/temp-dir'
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
