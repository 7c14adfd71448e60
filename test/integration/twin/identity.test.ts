// A twin started again on the same flash file is the same device: the MAC PairKit probes is
// the same, whichever transport and port it listens on this time.
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ProbeResult } from '../../../src/common/flasher/probe-result'
import { FlasherService } from '../../../src/main/flasher'
import { startTwin } from '../../../src/twin/index'
import { makeTempDir } from '../../support/temp-dir'

async function probedMac(url: string): Promise<string | undefined> {
  const flasher = new FlasherService()
  try {
    const { state } = await flasher.wait(flasher.start({ operation: 'probe', port: url, options: { readBack: false } }))
    expect(state.type, JSON.stringify(state)).toBe('done')
    return (state as { result: ProbeResult }).result.mac
  } finally {
    await flasher.dispose()
  }
}

describe('twin identity', () => {
  it('keeps its MAC when started again on the same flash file', async () => {
    const dir = makeTempDir('pairkit-twin-identity-')
    const flashPath = path.join(dir, 'board.bin')
    const macs: Array<string | undefined> = []
    for (const listen of ['rfc2217://127.0.0.1:0', 'socket://127.0.0.1:0']) {
      const twin = await startTwin({ chip: 'esp32', flashPath, listen, wireTiming: false })
      try {
        macs.push(await probedMac(twin.url))
      } finally {
        await twin.close()
      }
    }
    expect(macs[0]).toMatch(/^02:50(:[0-9a-f]{2}){4}$/)
    expect(macs[1]).toBe(macs[0])

    const other = await startTwin({ chip: 'esp32', flashPath: path.join(dir, 'other.bin'), listen: 'rfc2217://127.0.0.1:0', wireTiming: false })
    try {
      expect(await probedMac(other.url)).not.toBe(macs[0])
    } finally {
      await other.close()
    }
  })
})
