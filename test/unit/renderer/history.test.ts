// A device's history: finished jobs become one line each, grouped per device, newest first.
import { describe, expect, it } from 'vitest'
import { groupByDevice, historyEntryOf } from '../../../src/renderer/src/data/history'

describe('device history', () => {
  it('turns finished jobs into one sentence each', () => {
    const flashed = historyEntryOf({ jobId: '1', port: '/dev/a', deviceId: '/dev/a', operation: 'flash', type: 'done', result: { bytes: 3 * 1024 * 1024, seconds: 14.2 }, deviceState: '' }, 1000)
    expect(flashed).toMatchObject({ device: '/dev/a', outcome: 'done', summary: 'Written and verified: 3.0 MiB in 14 s.' })
    const failed = historyEntryOf({ jobId: '2', port: '/dev/b', deviceId: '/dev/b', operation: 'probe', type: 'failed', error: { code: 'NO_ANSWER', message: 'no answer from the chip' }, deviceState: '' }, 2000)
    expect(failed).toMatchObject({ outcome: 'failed', summary: 'No answer from the chip.' })
  })

  it('groups entries per device, the most recent device and entry first', () => {
    const entry = (device: string, time: number) => ({ device, port: device, operation: 'flash' as const, outcome: 'done' as const, time, summary: '' })
    const groups = groupByDevice([entry('/dev/a', 1), entry('/dev/b', 2), entry('/dev/a', 3)])
    expect(groups.map((group) => [group.device, group.entries.map((item) => item.time)])).toEqual([['/dev/a', [3, 1]], ['/dev/b', [2]]])
  })
})
