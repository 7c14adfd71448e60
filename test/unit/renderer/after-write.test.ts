// After a flash or a pair-settings write PairKit probes the device again by itself: the page
// says what it found, or why it could not.
import { describe, expect, it } from 'vitest'
import type { ProbeResult } from '../../../src/common/contract'
import { reprobeView } from '../../../src/renderer/src/data/after-write'

const probe: ProbeResult = {
  port: 'x', chip: 'esp32', description: 'ESP32-D0WD-V3 (revision v3.0)', features: [], stub: true, baud: 115200, notes: [],
  apps: [{ partition: 'factory', offset: 0x10000, descriptor: { projectName: 'hello-world', version: '1.0', idfVersion: 'v5.4', date: '', time: '', elfSha256: '', secureVersion: 0, minEfuseBlockRevision: 0, maxEfuseBlockRevision: 0, mmuPageSizeLog2: 16 } }],
}

describe('the probe after a write', () => {
  it('says what the device runs and which pair it belongs to', () => {
    const config = { stored: ['pairId', 'role'], problems: [], config: { pairId: '5f0c2a9e81d3b7a4', role: 1 } }
    expect(reprobeView({ probe: { ...probe, config } })).toEqual({ text: 'Probed again: ESP32-D0WD-V3 (revision v3.0), running hello-world 1.0, pair 5f0c2a9e81d3b7a4, site A (role 1).' })
    expect(reprobeView({ probe })).toEqual({ text: 'Probed again: ESP32-D0WD-V3 (revision v3.0), running hello-world 1.0, no pair settings.' })
  })

  it('says why the probe failed, and nothing when the result carries neither', () => {
    expect(reprobeView({ reprobeError: { code: 'NO_ANSWER', message: 'no answer from the chip' } })).toEqual({ error: { message: 'No answer from the chip.', hint: undefined } })
    expect(reprobeView({ bytes: 1 })).toBeUndefined()
    expect(reprobeView(undefined)).toBeUndefined()
  })
})
