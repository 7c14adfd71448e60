// Baud selection and fallback against twins that model their USB bridge: above the bridge's
// fastest rate every byte arrives garbled, as on a real board. A rate that does not work is
// left for the next one down, with a warning, and the job still ends verified.
import { afterAll, describe, expect, it } from 'vitest'
import { appLikeImage } from '../../../bench/app-like-image'
import type { FlashResult, FlasherJobState } from '../../../src/common/flasher/job-state'
import { FlasherService } from '../../../src/main/flasher'
import { startTwin, type Twin } from '../../../src/twin/index'

const twins: Twin[] = []
afterAll(async () => {
  for (const twin of twins.splice(0)) await twin.close().catch(() => {})
})

const app = appLikeImage(64 * 1024, 0.55, 5)

async function flashThrough(bridge: string | undefined, baud: number | undefined, chip: 'esp32c3' | 'esp32' = 'esp32c3'): Promise<{ twin: Twin; state: FlasherJobState; warnings: string[] }> {
  const twin = await startTwin({ chip, listen: 'rfc2217://127.0.0.1:0', wireTiming: false, ...(bridge ? { bridge } : {}) })
  twins.push(twin)
  const service = new FlasherService()
  const warnings: string[] = []
  service.onDidChangeJob((state) => {
    if (state.type === 'warning') warnings.push(state.message)
  })
  const id = service.start({ operation: 'flash', port: twin.url, regions: [{ offset: 0x10000, name: 'app', bytes: app }], ...(baud ? { options: { baud } } : {}) })
  const { state } = await service.wait(id)
  await service.dispose()
  return { twin, state, warnings }
}

function result(state: FlasherJobState): FlashResult {
  expect(state.type, JSON.stringify(state).slice(0, 400)).toBe('done')
  return (state as { result: FlashResult }).result
}

describe('the fastest baud rate that works', () => {
  it('a bridge that cannot do 2 Mbaud: PairKit steps down to 1.5 M, then 921600, says so, and ends verified', async () => {
    const { twin, state, warnings } = await flashThrough('cp2102', 2_000_000)
    const flashed = result(state)
    expect(flashed.baud).toBe(921_600)
    expect(flashed.regions[0]?.verified).toBe(true)
    expect(twin.device.flash.read(0x10000, app.length)).toEqual(app)
    expect(warnings).toEqual(['no answer at 2000000 baud; trying 1500000', 'no answer at 1500000 baud; trying 921600'])
  })

  it('a bridge that takes 2 Mbaud stays there', async () => {
    const { twin, state, warnings } = await flashThrough('ch340', 2_000_000)
    expect(result(state).baud).toBe(2_000_000)
    expect(warnings).toEqual([])
    expect(twin.device.flash.read(0x10000, app.length)).toEqual(app)
  })

  it('above the bridge\'s rate the line is garbled, also after the stub runs (ESP32: switched after the stub)', async () => {
    const { twin, state, warnings } = await flashThrough('ch340', 3_000_000, 'esp32')
    expect(result(state).baud).toBe(2_000_000)
    expect(warnings).toEqual(['no answer at 3000000 baud; trying 2000000'])
    expect(twin.device.flash.read(0x10000, app.length)).toEqual(app)
  })

  it('a remote link whose bridge PairKit cannot see stays at 921600', async () => {
    const { state, warnings } = await flashThrough('cp2102n', undefined)
    expect(result(state).baud).toBe(921_600)
    expect(warnings).toEqual([])
  })

  it('the chip\'s own USB carries any rate: nothing garbles', async () => {
    const { state } = await flashThrough('usb-jtag', 3_000_000)
    expect(result(state).baud).toBe(3_000_000)
  })
})
