// The line under a flash run: how many devices were written and verified, which failed.
import { describe, expect, it } from 'vitest'
import type { FlashJob } from '../../../src/common/contract'
import { summarizeRun, type FlashRun } from '../../../src/renderer/src/data/flash-run'

const run = (ports: string[], refused: FlashRun['refused'] = {}): FlashRun => ({
  id: 1, startedAt: 0, bundleId: 'b', source: 'build', baud: 921600, ports, refused,
  jobByPort: Object.fromEntries(ports.filter((port) => !refused[port]).map((port) => [port, `0/${port}`])),
})
const base = (port: string) => ({ jobId: port, port, deviceId: port, operation: 'flash' as const })
const done = (port: string): FlashJob => ({ ...base(port), type: 'done', result: {}, deviceState: 'running the new firmware' })
const failed = (port: string): FlashJob => ({ ...base(port), type: 'failed', error: { code: 'NO_ANSWER', message: 'no answer' }, deviceState: 'unchanged' })
const writing = (port: string): FlashJob => ({ ...base(port), type: 'progress', phase: 'write', bytesDone: 1, bytesTotal: 2, percent: 50, bytesPerSecond: 1 })
const lookup = (jobs: FlashJob[]) => (key: string) => jobs.find((job) => `0/${job.port}` === key)

describe('flash run summary', () => {
  it('counts devices written and verified', () => {
    expect(summarizeRun(run(['/dev/a', '/dev/b']), lookup([done('/dev/a'), done('/dev/b')]))).toEqual({ text: '2 of 2 written and verified', tone: 'ok' })
  })

  it('names the devices that failed, also those that never started', () => {
    const summary = summarizeRun(run(['/dev/a', '/dev/b', '/dev/c'], { '/dev/c': { message: 'Port busy.' } }), lookup([done('/dev/a'), failed('/dev/b')]))
    expect(summary).toEqual({ text: '2 of 3 failed: /dev/b, /dev/c; 1 written and verified', tone: 'failed' })
  })

  it('says how far a run is while devices are still being written', () => {
    expect(summarizeRun(run(['/dev/a', '/dev/b']), lookup([done('/dev/a'), writing('/dev/b')]))).toEqual({ text: 'Flashing 2 devices: 1 of 2 finished', tone: 'running' })
  })
})
