// Writing only the blocks that differ, fuzzed (seeded): random bundles against random device
// contents (erased flash, the same bundle, an older or longer or shorter version, noise), with
// unaligned tails, on real twins over rfc2217://. Afterwards every region holds its bytes, the
// rest of its last sector is erased (0xFF, what a full write has always left), and nothing else
// on the flash changed. With the twin's line faults on, a job ends verified or fails with a
// clear error, and a retry over a sound line then ends verified: never "done" with wrong bytes.
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { FlashResult, FlasherJobState } from '../../../src/common/flasher/job-state'
import type { PlannedRegion } from '../../../src/common/flasher/plan'
import { padToWord } from '../../../src/common/flasher/plan'
import { seededRandom } from '../../../src/common/seeded-random'
import { FlasherService } from '../../../src/main/flasher'
import { parseFaults } from '../../../src/twin/faults'
import { startTwin, type Twin } from '../../../src/twin/index'
import { makeTempDir } from '../../support/temp-dir'

const FLASH_SIZE = 4 << 20
const SECTOR = 0x1000
const CLEAR_CODES = ['VERIFY_FAILED', 'TIMEOUT', 'NO_ANSWER', 'ROM_STATUS', 'PORT_DISCONNECTED']
const dir = makeTempDir('pk-block-fuzz-')
const open: Twin[] = []
afterAll(async () => {
  for (const twin of open.splice(0)) await twin.close().catch(() => {})
})

type Holding = 'erased' | 'same' | 'older' | 'longer' | 'shorter' | 'noise'
const HOLDINGS: Holding[] = ['erased', 'same', 'older', 'older', 'older', 'longer', 'shorter', 'noise']

interface Trial {
  regions: PlannedRegion[]
  before: Uint8Array
  holdings: Holding[]
  full: boolean
}

/** A bundle of 1–3 regions (random sizes, tails not on a sector or even a word) and what the device held. */
function makeTrial(random: () => number, small = false): Trial {
  const byte = () => Math.floor(random() * 256)
  const bytes = (length: number, compressible: boolean) => Uint8Array.from({ length }, (_, i) => (compressible && random() < 0.6 ? (i >> 5) & 0xff : byte()))
  const before = Uint8Array.from({ length: FLASH_SIZE }, () => 0xff)
  // Something else written around, which must survive.
  for (let at = 0; at < 0x180000; at += SECTOR) if (random() < 0.5) before.set(bytes(SECTOR, true), at)
  const regions: PlannedRegion[] = []
  const holdings: Holding[] = []
  let at = 0
  for (let i = 0, count = 1 + Math.floor(random() * 3); i < count; i++) {
    at += SECTOR * Math.floor(random() * 8)
    const length = 1 + Math.floor(random() * (random() < 0.45 && !small ? 600 * 1024 : 40 * 1024))
    const data = bytes(length, random() < 0.7)
    const holding = HOLDINGS[Math.floor(random() * HOLDINGS.length)] as Holding
    const span = Math.ceil(length / SECTOR) * SECTOR
    if (holding === 'erased') before.fill(0xff, at, at + span)
    else if (holding === 'same') {
      before.fill(0xff, at, at + span)
      before.set(padToWord(data), at)
    } else if (holding === 'older') {
      before.set(data, at)
      for (let e = 0, edits = 1 + Math.floor(random() * 4); e < edits; e++) {
        const from = at + Math.floor(random() * length)
        for (let k = from; k < Math.min(at + length, from + 1 + Math.floor(random() * 600)); k++) before[k] = byte()
      }
    } else if (holding === 'longer') {
      before.set(data, at)
      before.set(bytes(SECTOR + Math.floor(random() * 3 * SECTOR), false), at + length)
    } else if (holding === 'shorter') {
      before.fill(0xff, at, at + span)
      before.set(data.subarray(0, Math.floor(length * random())), at)
    } else before.set(bytes(span, false), at)
    regions.push({ offset: at, name: `part${i}`, bytes: data })
    holdings.push(holding)
    at += span
  }
  return { regions, before, holdings, full: random() < 0.15 }
}

/** The whole flash as it must be afterwards: the regions, their sectors' tails erased, the rest untouched. */
function expectedFlash(trial: Trial): Uint8Array {
  const after = trial.before.slice()
  for (const region of trial.regions) {
    const span = Math.ceil(region.bytes.length / SECTOR) * SECTOR
    after.fill(0xff, region.offset, region.offset + span)
    after.set(region.bytes, region.offset)
  }
  return after
}

function firstDifference(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i
  return -1
}

async function flashOnce(service: FlasherService, twin: Twin, trial: Trial): Promise<FlasherJobState> {
  const id = service.start({ operation: 'flash', port: twin.url, regions: trial.regions, after: 'no-reset', ...(trial.full ? { full: true } : {}), options: { baud: 460800 } })
  return (await service.wait(id)).state
}

describe('writing only the blocks that differ (seeded fuzz)', () => {
  it('ends with every region verified and the flash exactly as a full write leaves it', async () => {
    const random = seededRandom(2020)
    const twin = await startTwin({ chip: 'esp32c3', listen: 'rfc2217://127.0.0.1:0', wireTiming: false, flashSize: FLASH_SIZE })
    open.push(twin)
    const service = new FlasherService()
    const warnings: string[] = []
    service.onDidChangeJob((state) => {
      if (state.type === 'warning') warnings.push(state.message)
    })
    let skippedSome = false
    for (let n = 0; n < 18; n++) {
      const trial = makeTrial(random)
      twin.device.flash.erase(0, FLASH_SIZE)
      twin.device.flash.program(0, trial.before)
      const state = await flashOnce(service, twin, trial)
      expect(state.type, `trial ${n} (${trial.holdings.join(', ')}): ${JSON.stringify(state).slice(0, 300)}`).toBe('done')
      const result = (state as { result: FlashResult }).result
      expect(result.regions.every((region) => region.verified)).toBe(true)
      const wrong = firstDifference(twin.device.flash.read(0, FLASH_SIZE), expectedFlash(trial))
      expect(wrong, `trial ${n} (${trial.holdings.join(', ')}, full ${trial.full}): flash differs at 0x${wrong.toString(16)}`).toBe(-1)
      for (const [i, region] of result.regions.entries()) {
        const blocks = Math.ceil(trial.regions[i]!.bytes.length / SECTOR)
        expect(region.blocks).toBe(blocks)
        if (trial.full) expect(region.written).toBe(blocks)
        if (trial.holdings[i] === 'same' && !trial.full) expect(region.written, `trial ${n}: an identical region was written`).toBe(0)
        if (region.written < region.blocks) skippedSome = true
      }
    }
    expect(skippedSome).toBe(true)
    // On a sound line the comparison is exact: no verify ever had to catch a block it missed.
    expect(warnings).toEqual([])
    await service.dispose()
  }, 120_000)

  it.each(['corrupt=0.00005', 'drop=0.00003', 'stall=0.03', 'disconnect-after=6000', 'corrupt=0.00003,drop=0.00002,stall=0.01'])(
    'with %s a job ends verified or fails clearly, and a retry over a sound line ends verified',
    async (spec) => {
      const random = seededRandom(spec.length * 7919)
      const service = new FlasherService()
      for (let n = 0; n < 3; n++) {
        const trial = makeTrial(random, true)
        const file = path.join(dir, `flash-${spec.length}-${n}.bin`)
        writeFileSync(file, trial.before)
        const faulty = await startTwin({ chip: 'esp32c3', listen: 'rfc2217://127.0.0.1:0', wireTiming: false, flashSize: FLASH_SIZE, flashPath: file, faults: parseFaults(`${spec},seed=${n + 1}`) })
        open.push(faulty)
        const state = await flashOnce(service, faulty, trial)
        if (state.type === 'done') {
          const wrong = firstDifference(faulty.device.flash.read(0, FLASH_SIZE), expectedFlash(trial))
          expect(wrong, `${spec} trial ${n}: reported done, but the flash differs at 0x${wrong.toString(16)}`).toBe(-1)
          await faulty.close()
          continue
        }
        expect(state.type).toBe('failed')
        const failed = state as Extract<FlasherJobState, { type: 'failed' }>
        expect(CLEAR_CODES, failed.error.message).toContain(failed.error.code)
        expect(failed.error.message.length).toBeGreaterThan(10)
        await faulty.close()
        // The cable is replaced: the same flash behind a sound line.
        const sound = await startTwin({ chip: 'esp32c3', listen: 'rfc2217://127.0.0.1:0', wireTiming: false, flashSize: FLASH_SIZE, flashPath: file })
        open.push(sound)
        const retry = await flashOnce(service, sound, trial)
        expect(retry.type, JSON.stringify(retry).slice(0, 300)).toBe('done')
        const wrong = firstDifference(sound.device.flash.read(0, FLASH_SIZE), expectedFlash(trial))
        expect(wrong, `${spec} trial ${n}: the retry left the flash different at 0x${wrong.toString(16)}`).toBe(-1)
        await sound.close()
      }
      await service.dispose()
    },
    120_000,
  )
})
