// The technician-level operations, each on one port from connect to reset: probe, flash
// (compressed, verified by MD5, rewritten once on mismatch), erase and read-flash. They
// report through `JobReporter` and leave a sentence about the device's state on failure.
import { decodeAppDescriptor } from '../../common/app-image'
import { configFromNvsImage, redactConfig } from '../../common/config'
import { PairKitError } from '../../common/errors'
import { formatFlashSize } from '../../common/esp/flash-size'
import { wireUtilisation, type FlashResult, type FlasherPhase, type RegionRef, type WrittenRegion } from '../../common/flasher/job-state'
import type { ProbeResult } from '../../common/flasher/probe-result'
import { checkPlan, padToWord, type PlannedRegion } from '../../common/flasher/plan'
import { ProgressMeter, type Progress } from '../../common/flasher/progress'
import { planBaud } from '../../common/flasher/baud-plan'
import { hex } from '../../common/hex'
import { decodePartitionTable } from '../../common/partition-table'
import { compareWithDevice, md5Hex, SECTOR, sectorPad, type Comparison, type Run } from './block-compare'
import { compressImage, compressShared, eraseAll, eraseRegion, finish, firstDifferingSector, flashMd5, readFlash, writeRegion, type AfterMode, type WireState } from './flash-ops'
import { CommandFailedError } from './loader-errors'
import { hardReset } from './reset'
import { ROM_BAUD, Session, type SessionOptions } from './session'

export interface JobReporter {
  stage(text: string): void
  warning(text: string): void
  progress(phase: FlasherPhase, progress: Progress, region?: RegionRef): void
  /** Updated as the job goes, so a failure can say what state the device is left in. */
  deviceState: string
}

export interface ConnectOptions {
  baud?: number
  stub?: boolean
  reset?: boolean
  signal?: AbortSignal
}

const PROGRESS_INTERVAL_MS = 200
const PARTITION_TABLE_OFFSET = 0x8000
const PARTITION_TABLE_SIZE = 0xc00

/**
 * Chips whose flasher stub sets the UART divider again from the ROM's start rate (esp-flasher-stub
 * main.c boosts the clock on ESP32, ESP32-S2 and ESP32-P4), and the ESP32-C2, whose ROM scales the
 * rate by its 26 or 40 MHz crystal: on these the rate is switched after the stub is up.
 */
const SWITCH_AFTER_STUB: ReadonlySet<string> = new Set(['esp32', 'esp32s2', 'esp32p4', 'esp32c2'])

/**
 * Opens a session: reset into the bootloader, sync, identify, the baud switch, the stub (when
 * wanted) and the flash. The rate moves up before the stub's upload where the chip allows it, so
 * the stub crosses at the fast rate too.
 */
export async function connect(url: string, options: ConnectOptions, reporter: JobReporter, wantStub: boolean | 'when-writing'): Promise<Session> {
  const sessionOptions: SessionOptions = {
    ...(options.reset === false ? { reset: false } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    onWarning: (text) => reporter.warning(text),
    onStage: (text) => reporter.stage(text),
  }
  const session = await Session.open(url, sessionOptions)
  reporter.deviceState = 'the device is in its bootloader; nothing was changed'
  try {
    const plan = planBaud(session.link.info, options.baud)
    const switching = !plan.native && plan.baud !== ROM_BAUD
    const stub = wantStub !== false && options.stub !== false
    const early = switching && (!stub || !SWITCH_AFTER_STUB.has(session.chipName))
    // CHANGE_BAUDRATE goes to the ROM (old rate 0) or to the stub; both answer, then switch.
    if (early) await session.switchBaud(plan.baud)
    // The ROM hashes flash too: a job that may find nothing to write uploads the stub only
    // once it has something to write (where the stub keeps the switched rate).
    if (stub && wantStub === 'when-writing' && early) session.stubWhenWriting = true
    else if (stub) await session.runStub()
    if (switching && !early) await session.switchBaud(plan.baud)
    await session.attachFlash()
  } catch (error) {
    await session.close()
    throw error
  }
  return session
}

/** Calls `tick` every 200 ms while `work` runs (progress at least 4 times a second). */
async function ticking<T>(tick: () => void, work: () => Promise<T>): Promise<T> {
  const timer = setInterval(tick, PROGRESS_INTERVAL_MS)
  try {
    return await work()
  } finally {
    clearInterval(timer)
    tick()
  }
}

export interface ProbeOptions extends ConnectOptions {
  /** Read the partition table, the apps' descriptors and the settings (default true). */
  readBack?: boolean
  /** Reset the chip into its app afterwards (after a flash, so it runs); default: it stays in the bootloader. */
  resetAfter?: boolean
}

export async function probe(url: string, options: ProbeOptions, reporter: JobReporter): Promise<ProbeResult> {
  const session = await connect(url, options, reporter, options.readBack !== false)
  try {
    const notes: string[] = []
    const safe = async <T>(what: () => Promise<T>): Promise<T | undefined> => {
      try {
        return await what()
      } catch (error) {
        if (error instanceof PairKitError && ['CANCELLED', 'PORT_DISCONNECTED'].includes(error.code)) throw error
        notes.push(error instanceof Error ? error.message : String(error))
        return undefined
      }
    }
    const described = await session.describeChip(safe)
    notes.push(...described.notes)
    const result: ProbeResult = {
      port: url,
      chip: session.chipName,
      features: described.features,
      stub: session.isStub,
      baud: session.link.baudRate,
      notes,
      ...(described.description ? { description: described.description } : {}),
      ...(described.revision !== undefined ? { revision: described.revision } : {}),
      ...(described.crystalMHz !== undefined ? { crystalMHz: described.crystalMHz } : {}),
      ...(described.mac ? { mac: described.mac } : {}),
    }
    if (session.flashId) {
      result.flash = {
        jedecId: hex(session.flashId.jedecId),
        ...(session.flashId.manufacturer ? { manufacturer: session.flashId.manufacturer } : {}),
        ...(session.flashId.sizeBytes ? { size: formatFlashSize(session.flashId.sizeBytes), sizeBytes: session.flashId.sizeBytes } : {}),
      }
    }
    const s = session.securityInfo
    if (s) result.security = { flags: s.flags, secureBoot: s.secureBoot, secureDownloadMode: s.secureDownloadMode, flashEncryption: s.flashEncryption, flashCryptCount: s.flashCryptCount, jtagDisabled: s.jtagDisabled }
    if (options.readBack !== false && !session.secureDownloadMode) await readBack(session, result, safe, reporter)
    reporter.deviceState = options.resetAfter ? await resetIntoApp(session) : 'the device is in its bootloader; nothing was changed'
    return result
  } finally {
    await session.close()
  }
}

/** Pulses EN with IO0 released, where the link has the lines for it; says what became of the chip. */
async function resetIntoApp(session: Session): Promise<string> {
  if (!session.link.info.controlLines || session.options.reset === false) {
    return `the chip was not reset (${session.link.info.controlLines ? 'resets were turned off' : `${session.link.info.url} has no DTR/RTS`}): press EN to start the app`
  }
  await hardReset(session.link, session.resetKind === 'usb-jtag')
  return 'the chip was reset and runs the app'
}

/** Partition table, each app's descriptor, and the configuration in the nvs partition. */
async function readBack(session: Session, result: ProbeResult, safe: <T>(what: () => Promise<T>) => Promise<T | undefined>, reporter: JobReporter): Promise<void> {
  reporter.stage('reading the partition table')
  const tableBytes = await safe(() => readFlash(session, PARTITION_TABLE_OFFSET, PARTITION_TABLE_SIZE))
  if (!tableBytes) return
  const table = decodePartitionTable(tableBytes)
  if (table.entries.length === 0) {
    result.notes.push(`no partition table at ${hex(PARTITION_TABLE_OFFSET)}: the flash may be empty`)
    return
  }
  result.partitionTable = table.entries
  result.apps = []
  for (const entry of table.entries.filter((e) => e.type === 0)) {
    const head = await safe(() => readFlash(session, entry.offset, 0x120))
    const descriptor = head ? decodeAppDescriptor(head) : undefined
    result.apps.push({ partition: entry.name, offset: entry.offset, ...(descriptor ? { descriptor } : {}) })
  }
  const nvs = table.entries.find((e) => e.type === 1 && e.subtype === 2)
  if (nvs) {
    reporter.stage('reading the configuration')
    const image = await safe(() => readFlash(session, nvs.offset, nvs.size))
    // Secrets (Wi-Fi and broker passwords) never leave the flasher in a probe result.
    if (image) result.config = await safe(async () => {
      const read = configFromNvsImage(image)
      return { ...read, config: redactConfig(read.config) }
    })
  }
}

export interface FlashOptions extends ConnectOptions {
  regions: PlannedRegion[]
  /** The chip the bundle was built for, when known. */
  bundleChip?: string
  after?: AfterMode
  /** Compressed transfer; default on with the stub, off with the ROM (esptool's defaults). */
  compress?: boolean
  /** Write every block, without asking the device what it already holds. */
  full?: boolean
}

export async function flash(url: string, options: FlashOptions, reporter: JobReporter): Promise<FlashResult> {
  const started = performance.now()
  // Compress on the thread pool while we connect: when a whole region has to go, the wire is
  // then never idle waiting for it.
  const compress = options.compress ?? options.stub !== false
  const regions = options.regions.map((region) => ({ ...region, bytes: padToWord(region.bytes) }))
  const precompressed = new Map<PlannedRegion, Promise<Uint8Array>>()
  if (compress) {
    for (const [index, region] of regions.entries()) {
      const source = options.regions[index]?.bytes ?? region.bytes
      const compressing = compressShared(source, () => sectorPad(region.bytes))
      compressing.catch(() => {})
      precompressed.set(region, compressing)
    }
  }
  const session = await connect(url, options, reporter, 'when-writing')
  try {
    // The stub may be uploaded while connecting or before the first write: its own phase either way.
    const connected = performance.now() - session.stubSeconds * 1000
    const planned = checkPlan(regions, { chip: session.chipName, flashSize: session.flashSize }, options.bundleChip)
    const useCompression = compress
    const written = await writeVerified(session, planned, { compress: useCompression, precompressed, ...(options.full ? { full: true } : {}) }, reporter)
    const finishing = performance.now()
    reporter.deviceState = 'the firmware is written and verified; the device is still in its bootloader'
    reporter.deviceState = await finish(session, options.after ?? 'hard-reset', useCompression, written.wireBytes > 0)
    const ended = performance.now()
    const seconds = (ended - started) / 1000
    // At the rate's pace at most: a link faster than its nominal rate (a twin without wire timing) has no wait to show.
    const blocksSeconds = Math.min(written.blockWireSeconds, written.wireSeconds - written.beginSeconds)
    return {
      chip: session.chipName,
      baud: session.link.baudRate,
      stub: session.isStub,
      compressed: useCompression,
      full: options.full === true,
      regions: written.regions,
      bytes: written.total,
      wireBytes: written.wireBytes,
      seconds: round(seconds, 3),
      wireSeconds: round(written.wireSeconds, 3),
      effectiveKbps: round((written.total * 8) / seconds / 1000, 1),
      wireUtilisation: round(wireUtilisation(written.wireBytes, written.wireSeconds, session.link.baudRate), 4),
      phases: {
        connect: round((connected - started) / 1000, 3),
        stub: round(session.stubSeconds, 3),
        compare: round(written.compareSeconds, 3),
        erase: round(written.beginSeconds, 3),
        blocks: round(blocksSeconds, 3),
        acks: round(written.wireSeconds - written.beginSeconds - blocksSeconds, 3),
        verify: round(written.verifySeconds, 3),
        finish: round((ended - finishing) / 1000, 3),
      },
    }
  } finally {
    await session.close()
  }
}

export interface WrittenRegions {
  regions: WrittenRegion[]
  /** Bytes of the regions (uncompressed), bytes sent, and the time on the wire. */
  total: number
  wireBytes: number
  wireSeconds: number
  compareSeconds: number
  verifySeconds: number
  /** Parts of wireSeconds: FLASH_*_BEGIN round trips, the blocks' frames at the rate, and the rest (waiting for acknowledgements). */
  beginSeconds: number
  blockWireSeconds: number
}

export interface WriteVerifiedOptions {
  /** Send FLASH_DEFL_* (the stub or ROM inflates). */
  compress: boolean
  /** The zlib stream of a whole region (sector-padded), made ahead; used when every block of it is written. */
  precompressed?: ReadonlyMap<PlannedRegion, Promise<Uint8Array>>
  /** Write every block without comparing first. */
  full?: boolean
}

/** Errors during a write after which a slower rate may do better (not cancel, not a lost link). */
function isLineError(error: unknown): boolean {
  if (error instanceof CommandFailedError) return !error.unsupported
  return error instanceof PairKitError && error.code === 'TIMEOUT'
}

/** Whether some sector of `bytes` holds one value throughout (erased flash, zero fill). */
function hasUniformSector(bytes: Uint8Array): boolean {
  for (let start = 0; start < bytes.length; start += SECTOR) {
    const first = bytes[start]
    let uniform = true
    for (let i = start + 1; i < Math.min(bytes.length, start + SECTOR); i++) {
      if (bytes[i] !== first) {
        uniform = false
        break
      }
    }
    if (uniform) return true
  }
  return false
}

/** How often a job steps the baud rate down after write errors before it gives up. */
const MAX_BAUD_STEPS_DOWN = 3

/**
 * Writes regions in address order on an open session. Unless `full`, each region is first
 * compared with the device block by block (block-compare.ts) and only the 4 KiB blocks it does
 * not hold are written, each run of them compressed as its own stream. A region that was
 * written is then verified whole by MD5, and once more compared and rewritten where it still
 * differs. A region whose every block matched is verified by those MD5s already. A region that
 * ends inside a sector is compared and written up to the sector's end, padded with 0xFF: the
 * erase has always left those bytes so.
 */
export async function writeVerified(session: Session, planned: readonly PlannedRegion[], options: WriteVerifiedOptions, reporter: JobReporter): Promise<WrittenRegions> {
  const total = planned.reduce((sum, region) => sum + region.bytes.length, 0)
  const meter = new ProgressMeter(total)
  let doneBefore = 0
  let wire: WireState = { acked: 0, inFlight: 0, since: performance.now() }
  let current: { region: PlannedRegion; runBytes: number; runsDone: number; run: Run; payloadLength: number } | undefined
  const tick = () => {
    if (!current) return
    // Between acknowledgements, estimate the block in flight from the wire rate.
    const moving = Math.min(wire.inFlight, ((performance.now() - wire.since) / 1000) * (session.link.baudRate / 10))
    const inRun = Math.min(1, (wire.acked + Math.max(0, moving)) / Math.max(1, current.payloadLength))
    const fraction = Math.min(1, (current.runsDone + inRun * (current.run.end - current.run.start)) / Math.max(1, current.runBytes))
    meter.update(doneBefore + Math.floor(fraction * current.region.bytes.length))
    reporter.progress('write', meter.snapshot(), { offset: current.region.offset, size: current.region.bytes.length, name: current.region.name })
  }
  const result: WrittenRegions = { regions: [], total, wireBytes: 0, wireSeconds: 0, compareSeconds: 0, verifySeconds: 0, beginSeconds: 0, blockWireSeconds: 0 }
  let stepsDown = 0

  for (const region of planned) {
    const expected = sectorPad(region.bytes)
    const expectedMd5 = md5Hex(expected)
    const deviceMd5 = async (start: number, size: number) => {
      try {
        return await flashMd5(session, region.offset + start, size)
      } catch (error) {
        // One lost answer on a noisy line costs a timeout, not the job.
        if (!(error instanceof PairKitError) || error.code !== 'TIMEOUT') throw error
        return flashMd5(session, region.offset + start, size)
      }
    }
    const compare = async (full: boolean): Promise<Comparison> => {
      if (full) return { runs: [{ start: 0, end: expected.length }], sectors: expected.length / SECTOR, differing: expected.length / SECTOR, requests: 0 }
      reporter.stage(`comparing ${region.name} with the device`)
      const began = performance.now()
      try {
        return await compareWithDevice(expected, deviceMd5)
      } finally {
        result.compareSeconds += (performance.now() - began) / 1000
      }
    }
    const writeRuns = async (runs: readonly Run[]): Promise<number> => {
      if (runs.length === 0) return 0
      await session.ensureStub()
      reporter.deviceState = `the flash at ${hex(region.offset)} (${region.name}) is partly written: flash again before using the device; it stays in its bootloader`
      const runBytes = runs.reduce((sum, run) => sum + run.end - run.start, 0)
      let runsDone = 0
      let sent = 0
      // The next run's stream is made while the current one is on the wire.
      const payloadOf = (run: Run): Promise<Uint8Array | undefined> => {
        if (!options.compress) return Promise.resolve(undefined)
        const whole = run.start === 0 && run.end === expected.length ? options.precompressed?.get(region) : undefined
        return whole ?? compressImage(expected.subarray(run.start, run.end))
      }
      let next = runs[0] ? payloadOf(runs[0]) : undefined
      for (const [index, run] of runs.entries()) {
        const payload = await next
        const following = runs[index + 1]
        next = following ? payloadOf(following) : undefined
        next?.catch(() => {})
        const bytes = expected.subarray(run.start, run.end)
        current = { region, runBytes, runsDone, run, payloadLength: (payload ?? bytes).length }
        const stats = await ticking(tick, () =>
          writeRegion(session, region.offset + run.start, bytes, { ...(payload ? { compressed: payload } : {}), onWire: (state) => (wire = state) }),
        )
        current = undefined
        result.wireBytes += stats.wireBytes
        result.wireSeconds += stats.wireSeconds
        result.beginSeconds += stats.beginSeconds
        result.blockWireSeconds += stats.blockWireSeconds
        sent += stats.wireBytes
        runsDone += run.end - run.start
      }
      return sent
    }

    let comparison = await compare(options.full === true)
    const written = new Set<number>()
    let wireBytes = 0
    let retried = false
    for (let attempt = 1; ; attempt++) {
      try {
        wireBytes += await writeRuns(comparison.runs)
      } catch (error) {
        // Blocks that keep failing at a fast rate: one rung down, then compare again and go on.
        if (!isLineError(error) || stepsDown >= MAX_BAUD_STEPS_DOWN) throw error
        const lower = await session.stepDownBaud(`writing ${region.name} failed (${error instanceof Error ? error.message : String(error)})`)
        if (lower === undefined) throw error
        stepsDown++
        for (const run of comparison.runs) for (let at = run.start; at < run.end; at += SECTOR) written.add(at)
        comparison = await compare(false)
        attempt--
        continue
      }
      for (const run of comparison.runs) for (let at = run.start; at < run.end; at += SECTOR) written.add(at)
      // Every block matched: their MD5s were the verification, unless a block is uniform (all
      // 0xFF, say): a request damaged on the line could have hashed another range that looks
      // the same, so such a region is hashed once more as a whole.
      if (comparison.runs.length === 0 && !retried && attempt === 1 && !hasUniformSector(expected)) break
      reporter.stage(`verifying ${region.name}`)
      const began = performance.now()
      const got = await flashMd5(session, region.offset, expected.length)
      result.verifySeconds += (performance.now() - began) / 1000
      if (got === expectedMd5) break
      const at = await firstDifferingSector(session, region.offset, expected)
      if (attempt >= 2) throw new PairKitError('VERIFY_FAILED', `verify failed at ${hex(at)}`, { detail: `${region.name}: MD5 ${got}, expected ${expectedMd5}` })
      reporter.warning(`verify failed at ${hex(at)} (${region.name}); writing the blocks that differ again`)
      retried = true
      comparison = await compare(false)
    }
    result.regions.push({
      offset: region.offset,
      size: region.bytes.length,
      name: region.name,
      wireBytes,
      md5: md5Hex(region.bytes),
      verified: true,
      retried,
      blocks: expected.length / SECTOR,
      written: written.size,
    })
    doneBefore += region.bytes.length
    meter.update(doneBefore)
  }
  return result
}

export async function erase(url: string, options: ConnectOptions & { region?: { offset: number; size: number } }, reporter: JobReporter): Promise<{ erased: string }> {
  const session = await connect(url, options, reporter, true)
  try {
    const region = options.region
    reporter.deviceState = region ? `the flash at ${hex(region.offset)} is partly erased; the device stays in its bootloader` : 'the flash is partly erased; the device stays in its bootloader'
    reporter.stage(region ? `erasing ${hex(region.offset)}+${hex(region.size)}` : 'erasing the whole flash')
    if (region) {
      if (region.offset + region.size > session.flashSize) throw new PairKitError('FLASH_TOO_SMALL', `the region ends at ${hex(region.offset + region.size)}, past the end of the ${formatFlashSize(session.flashSize)} flash`)
      await eraseRegion(session, region.offset, region.size)
    } else await eraseAll(session)
    reporter.deviceState = 'the flash is erased; the device stays in its bootloader'
    return { erased: region ? `${hex(region.offset)}+${hex(region.size)}` : 'all' }
  } finally {
    await session.close()
  }
}

export async function readFlashRange(url: string, options: ConnectOptions & { offset: number; size: number }, reporter: JobReporter): Promise<Uint8Array> {
  const session = await connect(url, options, reporter, true)
  try {
    if (options.offset + options.size > session.flashSize) throw new PairKitError('FLASH_TOO_SMALL', `the range ends at ${hex(options.offset + options.size)}, past the end of the ${formatFlashSize(session.flashSize)} flash`)
    const meter = new ProgressMeter(options.size)
    let done = 0
    const region = { offset: options.offset, size: options.size }
    const data = await ticking(
      () => {
        meter.update(done)
        reporter.progress('read', meter.snapshot(), region)
      },
      () => readFlash(session, options.offset, options.size, (n) => (done = n)),
    )
    reporter.deviceState = 'the device is in its bootloader; nothing was changed'
    return data
  } finally {
    await session.close()
  }
}

function round(value: number, digits: number): number {
  const f = 10 ** digits
  return Math.round(value * f) / f
}
