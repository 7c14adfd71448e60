import { hex } from '../../common/hex'
import type { ProvisionResult } from '../../common/contract'
import { PairKitError } from '../../common/errors'
import { UsageError, type Command } from '../command'
import { CONNECT_OPTIONS, connectOptionsFrom, runFlasherJob } from './flasher-job'

export const provisionCommand: Command = {
  name: 'provision',
  summary: 'Write a pair\'s settings (or an NVS image) into the nvs partition of a device, verify them and probe it again.',
  usage: 'provision --port URL (--pair ID --role 1|2 | --nvs FILE) [--data-dir DIR] [--baud N] [--no-stub] [--no-reset] [--json]',
  help: `
Reads the partition table from the device and writes the settings over its whole "nvs"
partition (pages they do not fill are left empty, so no earlier setting survives), verifies
them by MD5, reads them back, resets the chip into its app and probes it again. Nothing
outside the nvs partition is touched. It refuses, before writing anything, a device without
an nvs partition, one too small for the settings, and an image larger than the partition.

  --pair ID     a pair made in the PairKit app (from its data folder), with --role
  --role 1|2    1 for site A, 2 for site B
  --nvs FILE    an NVS partition image instead, e.g. a-nvs.bin from \`pairkit config pair\`
  --data-dir DIR  PairKit's data folder (default: PAIRKIT_DATA_DIR, else the app's own)
  --port URL    /dev/ttyUSB0, COM3, socket://HOST:PORT or rfc2217://HOST:PORT
  --baud N      rate while writing (default 921600)
  --no-stub     ROM loader only (slower)
  --no-reset    no DTR/RTS: the chip must already be in download mode, and it is neither
                reset nor probed afterwards
  --json        one JSON object per event; the result last

The app keeps a pair's passwords where this command cannot read them (encrypted with the
system's keychain, or in memory only); --pair works for pairs without passwords. Otherwise
write the images with \`pairkit config pair\` (or download them in Configure) and use --nvs.

Example: pairkit provision --port /dev/ttyUSB0 --nvs pair-2024-07/a-nvs.bin`,
  options: { ...CONNECT_OPTIONS, pair: { type: 'string' }, role: { type: 'string' }, nvs: { type: 'string' }, 'data-dir': { type: 'string' } },
  positionals: { min: 0, max: 0 },
  async run({ values, out, signal }) {
    const connect = connectOptionsFrom(values)
    const pairId = typeof values.pair === 'string' ? values.pair : undefined
    const nvsFile = typeof values.nvs === 'string' ? values.nvs : undefined
    if ((pairId === undefined) === (nvsFile === undefined)) throw new UsageError('give either --pair ID with --role 1|2, or --nvs FILE')
    if (pairId !== undefined && values.role !== '1' && values.role !== '2') throw new UsageError('--role must be 1 (site A) or 2 (site B)')
    if (nvsFile !== undefined && values.role !== undefined) throw new UsageError('--role goes with --pair; an image from --nvs already holds its role')
    const role = values.role === '2' ? 2 : 1
    const { provisionSource } = await import('./provision-source')
    const source = await provisionSource({
      ...(pairId !== undefined ? { pair: { pairId, role } } : {}),
      ...(nvsFile !== undefined ? { nvsFile } : {}),
      ...(typeof values['data-dir'] === 'string' ? { dataDir: values['data-dir'] } : {}),
    })
    const { provisionNvs } = await import('../../main/provision/provision-nvs')
    const { state } = await runFlasherJob(
      {
        operation: 'provision',
        port: connect.port,
        run: ({ port, signal: jobSignal, reporter }) => provisionNvs(port, { ...connect, signal: jobSignal, ...source }, reporter),
      },
      out,
      signal,
    )
    const result = (state.type === 'done' ? state.result : undefined) as ProvisionResult
    const differences = result.readBack.differences ?? []
    out.result({ type: 'provisioned', ...result }, () => describe(result))
    if (differences.length > 0) throw new PairKitError('VERIFY_FAILED', `the settings read back differ from the pair's in ${differences.map((difference) => difference.label).join(', ')}`)
    return 0
  },
}

function describe(result: ProvisionResult): string {
  const what = result.pair ? `pair ${result.pair.pairId}'s settings for role ${result.pair.role} (site ${result.pair.role === 1 ? 'A' : 'B'})` : 'the NVS image'
  const read = result.readBack.config
  const lines = [
    `Wrote ${what} over the nvs partition "${result.partition.name}" at ${hex(result.partition.offset)} (${result.partition.size} bytes), verified by MD5 ${result.md5}`,
    `Read back: ${read.pairId ? `pair ${read.pairId}, ` : ''}role ${read.role}, Wi-Fi "${read.staSsid}", IoT network "${read.apSsid}"`,
  ]
  if (result.readBack.differences) lines.push(result.readBack.differences.length === 0 ? 'It matches the pair.' : `It differs from the pair in ${result.readBack.differences.length} settings.`)
  for (const problem of result.readBack.problems) lines.push(`${problem.severity}: ${problem.message}`)
  if (result.probe) lines.push(`Probed again: ${result.probe.chip}${result.probe.mac ? `, MAC ${result.probe.mac}` : ''}`)
  if (result.reprobeError) lines.push(`Probing again failed: ${result.reprobeError.message}`)
  lines.push(result.deviceState)
  return lines.join('\n')
}
