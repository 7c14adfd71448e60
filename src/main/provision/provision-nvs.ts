// Writing a pair's settings to a device: one job on one device, from connect to the probe
// after the reset.
//
//   connect ─► read the partition table from the device ─► find its "nvs" partition
//     ─► make the image for that partition's size ─► write it over the whole partition,
//        verified by MD5 ─► read it back (the settings, compared with the intended ones)
//     ─► reset into the app ─► probe again (pair id and role as the device now reports them)
//
// Every refusal (no nvs partition, too small, the image larger than the partition, passwords
// not available) happens before the first write. The image covers the whole partition, its
// unused pages 0xFF: NVS pages left from earlier settings are erased with it, so nothing of
// the old configuration (an old Wi-Fi password) survives, and nothing outside the partition
// is touched.
import type { ProbeResult, ProvisionResult, ReadBack } from '../../common/contract'
import { CancelledError, PairKitError, serializeError } from '../../common/errors'
import { DEFAULT_TABLE_OFFSET, decodePartitionTable, TABLE_MAX_LENGTH, type PartitionEntry } from '../../common/partition-table'
import { finish, readFlash } from '../flasher/flash-ops'
import { connect, probe, writeVerified, type ConnectOptions, type JobReporter } from '../flasher/operations'
import { fillPartition, settingsPartition } from './nvs-partition'

export interface ProvisionNvsOptions extends ConnectOptions {
  /** The image for the partition the device has (at most its size; padded with 0xFF to it). */
  image: (partition: PartitionEntry) => Uint8Array
  /** The settings read back from the partition, for the technician (compared with the intended ones). */
  describe: (partition: Uint8Array) => ReadBack
  pair?: { pairId: string; role: 1 | 2 }
}

export async function provisionNvs(url: string, options: ProvisionNvsOptions, reporter: JobReporter): Promise<ProvisionResult> {
  const session = await connect(url, options, reporter, true)
  let written: Omit<ProvisionResult, 'deviceState'>
  try {
    reporter.stage('reading the partition table')
    const table = decodePartitionTable(await readFlash(session, DEFAULT_TABLE_OFFSET, TABLE_MAX_LENGTH))
    const partition = settingsPartition(table, session.flashSize)
    const bytes = fillPartition(imageFor(options, partition), partition)
    const region = { offset: partition.offset, name: partition.name, bytes }
    // Only the pages that differ are written: settings written again unchanged cost a comparison.
    const compress = options.stub !== false
    const { regions } = await writeVerified(session, [region], { compress }, reporter)
    reporter.deviceState = 'the settings are written and verified; the device is still in its bootloader'
    reporter.stage('reading the settings back')
    const readBack = options.describe(await readFlash(session, partition.offset, partition.size))
    reporter.deviceState = await finish(session, options.reset === false ? 'no-reset' : 'hard-reset', compress)
    written = {
      partition: { name: partition.name, offset: partition.offset, size: partition.size },
      bytes: bytes.length,
      md5: regions[0]?.md5 ?? '',
      blocks: regions[0]?.blocks ?? 0,
      written: regions[0]?.written ?? 0,
      ...(options.pair ? { pair: options.pair } : {}),
      readBack,
    }
  } finally {
    await session.close()
  }
  if (options.reset === false) return { ...written, deviceState: reporter.deviceState }
  // The probe after the reset reads what the device now holds, and leaves it running its app.
  reporter.stage('probing the device again')
  const probeReporter: JobReporter = { ...reporter }
  let probed: ProbeResult | undefined
  try {
    probed = await probe(url, { ...options, resetAfter: true }, probeReporter)
  } catch (error) {
    if (error instanceof CancelledError || options.signal?.aborted) throw error
    const shown = error instanceof PairKitError ? error : new PairKitError('INTERNAL', String(error))
    return { ...written, reprobeError: serializeError(shown), deviceState: `the settings are written and verified, but probing the device again failed (${shown.message})` }
  }
  return { ...written, probe: probed, deviceState: probeReporter.deviceState }
}

/** The image for the partition; a failure to make it (settings that do not fit) is said as a refusal. */
function imageFor(options: ProvisionNvsOptions, partition: PartitionEntry): Uint8Array {
  try {
    return options.image(partition)
  } catch (error) {
    if (!(error instanceof PairKitError)) throw error
    throw new PairKitError(error.code, `${error.message}; nothing was written`, { hint: error.hint })
  }
}
