// The flash history as the page shows it: grouped per device, newest first, with what was
// written (firmware name and SHA-256, or pair and side) and how it ended.
import { describe, expect, it } from 'vitest'
import type { HistoryEntry } from '../../../src/common/contract'
import { groupByDevice, operationName, outcomeText, shortSha256, writtenText } from '../../../src/renderer/src/data/history'

const entry = (deviceId: string, endedAt: number, extra: Partial<HistoryEntry> = {}): HistoryEntry => ({
  id: `${deviceId}-${endedAt}`, startedAt: endedAt - 1, endedAt, deviceId, operation: 'flash', outcome: 'done', regions: [], ...extra,
})

describe('device history', () => {
  it('groups entries per device, the most recent device and entry first, with the chip and MAC of the latest', () => {
    const groups = groupByDevice([entry('/dev/a', 1, { chip: 'esp32' }), entry('/dev/b', 2), entry('/dev/a', 3, { chip: 'esp32', mac: '02:50:00:00:00:01' })])
    expect(groups.map((group) => [group.deviceId, group.entries.map((item) => item.endedAt)])).toEqual([['/dev/a', [3, 1]], ['/dev/b', [2]]])
    expect(groups[0]).toMatchObject({ chip: 'esp32', mac: '02:50:00:00:00:01' })
  })

  it('names what was written: the firmware, or the pair and its side', () => {
    const sha256 = 'ab'.repeat(32)
    expect(writtenText(entry('/dev/a', 1, { bundle: { name: 'build folder build/', sha256 } }))).toBe('build folder build/')
    expect(shortSha256(sha256)).toBe('abababababab')
    expect(writtenText(entry('/dev/a', 1, { operation: 'provision', pair: { pairId: '5f0c2a9e81d3b7a4', role: 2 } }))).toBe('pair 5f0c2a9e81d3b7a4, site B (role 2)')
  })

  it('says how it ended in a sentence', () => {
    expect(outcomeText(entry('/dev/a', 1))).toBe('Written and verified by MD5.')
    expect(outcomeText(entry('/dev/a', 1, { outcome: 'failed', error: { code: 'NO_ANSWER', message: 'no answer from the chip' } }))).toBe('No answer from the chip.')
    expect(outcomeText(entry('/dev/a', 1, { outcome: 'cancelled', deviceState: 'the flash is partly written' }))).toBe('Cancelled: the flash is partly written.')
  })

  it('names commissionings and bridge tests as such, not as firmware writes', () => {
    expect(operationName('flash')).toBe('Firmware')
    expect(operationName('provision')).toBe('Pair settings')
    expect(operationName('commission')).toBe('Commissioning')
    expect(operationName('bridge-test')).toBe('Bridge test')
    const pair = { pairId: '5f0c2a9e81d3b7a4', role: 1 as const }
    expect(outcomeText(entry('/dev/a', 1, { operation: 'commission', pair }))).toBe('Commissioned: every step passed, the bridge test too.')
    expect(outcomeText(entry('/dev/a', 1, { operation: 'bridge-test', pair }))).toBe('Passed: messages crossed both ways within the thresholds.')
    expect(outcomeText(entry('/dev/a', 1, { operation: 'bridge-test', pair, outcome: 'failed' }))).toBe('Failed: loss or latency over the thresholds.')
  })
})
