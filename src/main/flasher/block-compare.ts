// Which 4 KiB sectors of a region the device does not already hold, found by asking the loader
// for MD5s of flash ranges (SPI_FLASH_MD5) and comparing them with the bytes to be written.
//
// Each MD5 costs a round trip and the chip's time to read and hash the range (a few MB/s), so
// the search reads the region about once: first every 128 KiB block, then, inside a block that
// differs, halves by bisection (a half that matches means the other half differs, without asking).
// One sector changed in 1 MiB costs 16 + 5 to 10 requests and reads about 1.2 MiB. Where much is
// new the search stops early, as refining would only add requests: at the first level when most
// blocks of a large region differ (a new build whose code moved), and at 64 KiB or less when both
// halves of a range differ. A large region is first sampled, one sector in the middle of each
// block (a few ms of chip time): a block whose sample differs differs, without hashing all of it,
// so a region that is new throughout costs no more than those samples before it is written whole.
import { createHash } from 'node:crypto'

export const SECTOR = 0x1000
export const COARSE_BLOCK = 0x20000
/** In a region of at least this many blocks, refine only while at most REFINE_SHARE of them differ. */
const JUDGE_FROM_BLOCKS = 4
const REFINE_SHARE = 0.5
/** A range this size or smaller whose both halves differ is written whole: it is mostly new. */
const WHOLE_AT = 0x10000

/** A byte range [start, end) inside the region, on sector boundaries. */
export interface Run {
  start: number
  end: number
}

/** MD5 (lower-case hex) of `size` device bytes at region offset `start`. */
export type DeviceMd5 = (start: number, size: number) => Promise<string>

export interface Comparison {
  /** Ranges to write, in address order, adjacent ones merged. */
  runs: Run[]
  /** Sectors in the region, and how many of them the runs cover. */
  sectors: number
  differing: number
  /** MD5 requests sent. */
  requests: number
}

export function md5Hex(data: Uint8Array): string {
  return createHash('md5').update(data).digest('hex')
}

/** The region as the flash holds it after a write: its bytes, then 0xFF up to the sector's end (the erase). */
export function sectorPad(bytes: Uint8Array): Uint8Array {
  const length = Math.ceil(bytes.length / SECTOR) * SECTOR
  if (length === bytes.length) return bytes
  const out = new Uint8Array(length).fill(0xff)
  out.set(bytes)
  return out
}

/** Compares the sector-padded `expected` with the device, returning the sectors to write. */
export async function compareWithDevice(expected: Uint8Array, deviceMd5: DeviceMd5): Promise<Comparison> {
  if (expected.length % SECTOR !== 0) throw new RangeError('compareWithDevice wants whole sectors')
  let requests = 0
  const same = async (start: number, end: number): Promise<boolean> => {
    requests++
    return (await deviceMd5(start, end - start)) === md5Hex(expected.subarray(start, end))
  }
  const blocks: Run[] = []
  for (let start = 0; start < expected.length; start += COARSE_BLOCK) blocks.push({ start, end: Math.min(expected.length, start + COARSE_BLOCK) })
  const large = blocks.length >= JUDGE_FROM_BLOCKS
  const sampledDiffering = new Set<Run>()
  if (large) {
    for (const block of blocks) {
      const middle = block.start + Math.floor((block.end - block.start) / SECTOR / 2) * SECTOR
      if (!(await same(middle, middle + SECTOR))) sampledDiffering.add(block)
    }
  }
  const differingBlocks: Run[] = []
  if (sampledDiffering.size > blocks.length * REFINE_SHARE) differingBlocks.push(...blocks)
  else for (const block of blocks) if (sampledDiffering.has(block) || !(await same(block.start, block.end))) differingBlocks.push(block)

  let found: Run[] = differingBlocks
  const mostlyNew = large && differingBlocks.length > blocks.length * REFINE_SHARE
  if (differingBlocks.length > 0 && !mostlyNew) {
    found = []
    for (const block of differingBlocks) found.push(...(await bisect(block, same)))
  }
  const runs = merge(found)
  const differing = runs.reduce((sum, run) => sum + (run.end - run.start) / SECTOR, 0)
  return { runs, sectors: expected.length / SECTOR, differing, requests }
}

/** The differing sectors of a range known to differ (the whole range once both its halves differ at WHOLE_AT or below). */
async function bisect(range: Run, same: (start: number, end: number) => Promise<boolean>): Promise<Run[]> {
  const sectors = (range.end - range.start) / SECTOR
  if (sectors <= 1) return [range]
  const mid = range.start + Math.floor(sectors / 2) * SECTOR
  const left = { start: range.start, end: mid }
  const right = { start: mid, end: range.end }
  if (await same(left.start, left.end)) return bisect(right, same)
  if (await same(right.start, right.end)) return bisect(left, same)
  if (range.end - range.start <= WHOLE_AT) return [range]
  return [...(await bisect(left, same)), ...(await bisect(right, same))]
}

function merge(runs: readonly Run[]): Run[] {
  const out: Run[] = []
  for (const run of [...runs].sort((a, b) => a.start - b.start)) {
    const last = out[out.length - 1]
    if (last && last.end === run.start) last.end = run.end
    else out.push({ ...run })
  }
  return out
}
