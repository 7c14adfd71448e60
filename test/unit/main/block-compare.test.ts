// The block comparison against a device whose flash is a local buffer: it must find every
// differing sector (never skip one), write little more than what differs, and ask few MD5s.
import { describe, expect, it } from 'vitest'
import { seededRandom } from '../../../src/common/seeded-random'
import { compareWithDevice, COARSE_BLOCK, md5Hex, SECTOR, sectorPad, type Run } from '../../../src/main/flasher/block-compare'

function device(bytes: Uint8Array) {
  const asked: Array<[number, number]> = []
  return {
    asked,
    md5: async (start: number, size: number) => {
      asked.push([start, size])
      return md5Hex(bytes.subarray(start, start + size))
    },
  }
}

function covered(runs: Run[]): Set<number> {
  const sectors = new Set<number>()
  for (const run of runs) for (let at = run.start; at < run.end; at += SECTOR) sectors.add(at / SECTOR)
  return sectors
}

function differingSectors(a: Uint8Array, b: Uint8Array): Set<number> {
  const out = new Set<number>()
  for (let s = 0; s < a.length / SECTOR; s++) if (md5Hex(a.subarray(s * SECTOR, (s + 1) * SECTOR)) !== md5Hex(b.subarray(s * SECTOR, (s + 1) * SECTOR))) out.add(s)
  return out
}

describe('comparing a region with the device block by block', () => {
  const random = seededRandom(20)
  const image = Uint8Array.from({ length: 1 << 20 }, () => Math.floor(random() * 256))

  it('asks one MD5 per 128 KiB block, after one sector of each, and writes nothing when the device holds the region', async () => {
    const dev = device(image.slice())
    const result = await compareWithDevice(image, dev.md5)
    expect(result).toMatchObject({ runs: [], sectors: 256, differing: 0, requests: 2 * ((1 << 20) / COARSE_BLOCK) })
    expect(dev.asked.filter(([, size]) => size === SECTOR)).toHaveLength((1 << 20) / COARSE_BLOCK)
  })

  it('finds one changed sector with a handful of requests', async () => {
    const held = image.slice()
    held[37 * SECTOR + 100] = (held[37 * SECTOR + 100] ?? 0) ^ 1
    const dev = device(held)
    const result = await compareWithDevice(image, dev.md5)
    expect(result.runs).toEqual([{ start: 37 * SECTOR, end: 38 * SECTOR }])
    expect(result.differing).toBe(1)
    // 8 samples and 8 first-level blocks, then at most two per halving (5 halvings from 128 KiB to 4 KiB).
    expect(result.requests).toBeLessThanOrEqual(16 + 2 * 5)
    // About one pass over the region: the device hashes little more than 1 MiB.
    expect(dev.asked.reduce((sum, [, size]) => sum + size, 0)).toBeLessThan(1.3 * (1 << 20))
  })

  it('writes another build whole after one sector of each block, hashing no more than those', async () => {
    const other = Uint8Array.from({ length: 1 << 20 }, () => Math.floor(random() * 256))
    const dev = device(other)
    const result = await compareWithDevice(image, dev.md5)
    expect(result.runs).toEqual([{ start: 0, end: 1 << 20 }])
    expect(result.requests).toBe(8)
    expect(dev.asked.reduce((sum, [, size]) => sum + size, 0)).toBe(8 * SECTOR)
  })

  it('hashes only the blocks whose sample matched when a few differ', async () => {
    const held = image.slice()
    // Sectors in the middle of blocks 2 and 6 differ: those blocks are known to differ from their samples.
    for (const sector of [80, 208]) held[sector * SECTOR] = (held[sector * SECTOR] ?? 0) ^ 1
    const dev = device(held)
    const result = await compareWithDevice(image, dev.md5)
    expect(result.runs).toEqual([{ start: 80 * SECTOR, end: 81 * SECTOR }, { start: 208 * SECTOR, end: 209 * SECTOR }])
    expect(dev.asked.filter(([, size]) => size === COARSE_BLOCK)).toHaveLength(6)
  })

  it('refines a small region too, and writes a mostly new one whole after two requests', async () => {
    const small = image.slice(0, 16 * SECTOR)
    const held = small.slice()
    held[9 * SECTOR] = (held[9 * SECTOR] ?? 0) ^ 0x80
    expect((await compareWithDevice(small, device(held).md5)).runs).toEqual([{ start: 9 * SECTOR, end: 10 * SECTOR }])
    const fresh = Uint8Array.from({ length: small.length }, () => Math.floor(random() * 256))
    const result = await compareWithDevice(small, device(fresh).md5)
    expect(result).toMatchObject({ runs: [{ start: 0, end: small.length }], requests: 3 })
  })

  it('never misses a differing sector (random edits, seeded)', async () => {
    for (let trial = 0; trial < 60; trial++) {
      const size = SECTOR * (1 + Math.floor(random() * 300))
      const want = image.slice(0, size)
      const held = want.slice()
      const edits = Math.floor(random() * 12)
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(random() * size)
        const length = 1 + Math.floor(random() * (random() < 0.2 ? 3 * SECTOR : 64))
        for (let i = at; i < Math.min(size, at + length); i++) held[i] = 0xff - (held[i] ?? 0)
      }
      const result = await compareWithDevice(want, device(held).md5)
      const need = differingSectors(want, held)
      const got = covered(result.runs)
      for (const sector of need) expect(got.has(sector), `trial ${trial}: sector ${sector} missed`).toBe(true)
      // Refined (few blocks differ): exactly the differing sectors.
      if (result.runs.length > 0 && got.size < want.length / SECTOR / 2) expect(got.size).toBeGreaterThanOrEqual(need.size)
      // Runs are merged, sorted and inside the region.
      for (let i = 1; i < result.runs.length; i++) expect(result.runs[i]!.start).toBeGreaterThan(result.runs[i - 1]!.end)
      for (const run of result.runs) expect(run.end).toBeLessThanOrEqual(size)
    }
  })

  it('pads a region that ends inside a sector with erased bytes, as the erase leaves them', () => {
    expect(sectorPad(Uint8Array.of(1, 2, 3, 4))).toEqual(Uint8Array.from({ length: SECTOR }, (_, i) => (i < 4 ? i + 1 : 0xff)))
    const whole = new Uint8Array(2 * SECTOR)
    expect(sectorPad(whole)).toBe(whole)
  })
})
