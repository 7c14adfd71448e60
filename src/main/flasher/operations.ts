// The technician-level operations, each on one port from connect to reset: probe, flash
// (compressed, verified by MD5, rewritten once on mismatch), erase and read-flash. They
// report through `JobReporter` and leave a sentence about the device's state on failure.
import { decodeAppDescriptor } from '../../common/app-image'
import { configFromNvsImage, redactConfig } from '../../common/config'
import { PairKitError } from '../../common/errors'
import { formatFlashSize } from '../../common/esp/flash-size'
import { wireUtilisation, type FlashResult, type FlasherPhase, type RegionRef } from '../../common/flasher/job-state'
import type { ProbeResult } from '../../common/flasher/probe-result'
import { checkPlan, padToWord, type PlannedRegion } from '../../common/flasher/plan'
import { ProgressMeter, type Progress } from '../../common/flasher/progress'
import { hex } from '../../common/hex'
import { decodePartitionTable } from '../../common/partition-table'
import { compressImage, eraseAll, eraseRegion, finish, firstDifferingSector, flashMd5, md5Hex, readFlash, writeRegion, type AfterMode, type WireState } from './flash-ops'
import { hardReset } from './reset'
import { DEFAULT_FLASH_BAUD, ROM_BAUD, Session, type SessionOptions } from './session'

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

/** Opens a session: reset into the bootloader, sync, identify, the stub (when wanted), the baud switch and the flash. */
export async function connect(url: string, options: ConnectOptions, reporter: JobReporter, wantStub: boolean): Promise<Session> {
  const sessionOptions: SessionOptions = {
    ...(options.reset === false ? { reset: false } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    onWarning: (text) => reporter.warning(text),
    onStage: (text) => reporter.stage(text),
  }
  const session = await Session.open(url, sessionOptions)
  reporter.deviceState = 'the device is in its bootloader; nothing was changed'
  try {
    if (wantStub && options.stub !== false) await session.runStub()
    const baud = options.baud ?? DEFAULT_FLASH_BAUD
    // The baud switch goes through CHANGE_BAUDRATE; the ROM accepts it too (with old baud 0).
    if (baud !== ROM_BAUD) await session.changeBaud(baud)
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
}

export async function flash(url: string, options: FlashOptions, reporter: JobReporter): Promise<FlashResult> {
  const started = performance.now()
  // Compress on the thread pool while we connect: the wire is then never idle waiting for it.
  const compressWanted = options.compress ?? options.stub !== false
  const regions = options.regions.map((region) => ({ ...region, bytes: padToWord(region.bytes) }))
  const compressing = compressWanted ? Promise.all(regions.map((region) => compressImage(region.bytes))) : undefined
  compressing?.catch(() => {})
  const session = await connect(url, options, reporter, true)
  try {
    const planned = checkPlan(regions, { chip: session.chipName, flashSize: session.flashSize }, options.bundleChip)
    const compressed = compressing ? await compressing : undefined
    const payloadOf = new Map(regions.map((region, index) => [region, compressed?.[index]]))
    const { written, total, wireBytes, wireSeconds } = await writeVerified(session, planned, payloadOf, reporter)
    reporter.deviceState = 'the firmware is written and verified; the device is still in its bootloader'
    reporter.deviceState = await finish(session, options.after ?? 'hard-reset', compressed !== undefined)
    const seconds = (performance.now() - started) / 1000
    return {
      chip: session.chipName,
      baud: session.link.baudRate,
      stub: session.isStub,
      compressed: compressed !== undefined,
      regions: written,
      bytes: total,
      wireBytes,
      seconds: round(seconds, 3),
      wireSeconds: round(wireSeconds, 3),
      effectiveKbps: round((total * 8) / seconds / 1000, 1),
      wireUtilisation: round(wireUtilisation(wireBytes, wireSeconds, session.link.baudRate), 4),
    }
  } finally {
    await session.close()
  }
}

export interface WrittenRegions {
  written: FlashResult['regions']
  /** Bytes written (uncompressed), on the wire, and the time on the wire. */
  total: number
  wireBytes: number
  wireSeconds: number
}

/**
 * Writes regions in address order on an open session (compressed where `payloadOf` gives a
 * zlib stream), verifies each by MD5, and writes a region once more when it differs.
 */
export async function writeVerified(session: Session, planned: readonly PlannedRegion[], payloadOf: ReadonlyMap<PlannedRegion, Uint8Array | undefined>, reporter: JobReporter): Promise<WrittenRegions> {
  const total = planned.reduce((sum, region) => sum + region.bytes.length, 0)
  const meter = new ProgressMeter(total)
  let doneBefore = 0
  let wire: WireState = { acked: 0, inFlight: 0, since: performance.now() }
  let current: { region: PlannedRegion; payloadLength: number } | undefined
  const tick = () => {
    if (!current) return
    // Between acknowledgements, estimate the block in flight from the wire rate.
    const moving = Math.min(wire.inFlight, ((performance.now() - wire.since) / 1000) * (session.link.baudRate / 10))
    const fraction = Math.min(1, (wire.acked + Math.max(0, moving)) / Math.max(1, current.payloadLength))
    meter.update(doneBefore + Math.floor(fraction * current.region.bytes.length))
    reporter.progress('write', meter.snapshot(), { offset: current.region.offset, size: current.region.bytes.length, name: current.region.name })
  }
  const written: FlashResult['regions'] = []
  let wireBytes = 0
  let wireSeconds = 0
  for (const region of planned) {
    const payload = payloadOf.get(region)
    const expected = md5Hex(region.bytes)
    let retried = false
    for (let attempt = 1; ; attempt++) {
      reporter.deviceState = `the flash at ${hex(region.offset)} (${region.name}) is partly written: flash again before using the device; it stays in its bootloader`
      current = { region, payloadLength: (payload ?? region.bytes).length }
      const stats = await ticking(tick, () =>
        writeRegion(session, region.offset, region.bytes, { ...(payload ? { compressed: payload } : {}), onWire: (state) => (wire = state) }),
      )
      wireBytes += stats.wireBytes
      wireSeconds += stats.wireSeconds
      current = undefined
      reporter.stage(`verifying ${region.name}`)
      const got = await flashMd5(session, region.offset, region.bytes.length)
      if (got === expected) break
      const at = await firstDifferingSector(session, region.offset, region.bytes)
      if (attempt >= 2) throw new PairKitError('VERIFY_FAILED', `verify failed at ${hex(at)}`, { detail: `${region.name}: MD5 ${got}, expected ${expected}` })
      reporter.warning(`verify failed at ${hex(at)} (${region.name}); writing the region again`)
      retried = true
    }
    written.push({ offset: region.offset, size: region.bytes.length, name: region.name, wireBytes: (payload ?? region.bytes).length, md5: expected, verified: true, retried })
    doneBefore += region.bytes.length
    meter.update(doneBefore)
  }
  return { written, total, wireBytes, wireSeconds }
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
