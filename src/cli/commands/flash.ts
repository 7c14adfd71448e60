import { validateBundle } from '../../common/bundle'
import { PairKitError } from '../../common/errors'
import type { FlashResult } from '../../common/flasher/job-state'
import { hex } from '../../common/hex'
import type { WrittenRegion } from '../../common/flasher/job-state'
import type { Command } from '../command'
import { CONNECT_OPTIONS, connectOptionsFrom, runFlasherJob } from './flasher-job'
import { applyRawOffsets, describeForCli, RAW_OPTION, rawOffsetsFrom } from './raw-option'

export const flashCommand: Command = {
  name: 'flash',
  summary: 'Write a firmware bundle (or OFFSET=FILE parts) to an ESP32 and verify every region by MD5.',
  usage: 'flash --port URL (BUNDLE | OFFSET=FILE...) [--full] [--baud N] [--no-stub] [--no-reset] [--raw OFFSET]... [--json]',
  help: `
Checks the bundle (build directory, .zip, merged .bin, or OFFSET=FILE pairs) as
\`pairkit bundle inspect\` does and writes nothing when it has an error; then connects,
checks that it fits the device (chip, flash size), asks the device for the MD5 of each
part's 4 KiB blocks and writes only those it does not already hold, compressed through the
flasher stub; verifies each written region by MD5 and resets the chip into the app. One line
per region says what was written ("app 0x10000: 3 of 256 blocks written, 253 unchanged").

  --port URL    /dev/ttyUSB0, COM3, socket://HOST:PORT or rfc2217://HOST:PORT
  --full        write every block, without comparing with the device first
  --baud N      rate while writing; default: the fastest the port's USB bridge takes
                (921600 for a remote link, whose bridge PairKit cannot see). A rate that
                does not work steps down (2 M, 1.5 M, 921600 …) with a warning
  --no-stub     ROM loader only, uncompressed (slower)
  --no-reset    no DTR/RTS: neither before (chip already in download mode) nor after
  --raw OFFSET  write the part at OFFSET as raw data, without checking that it is an app
                image or a partition table where one belongs; repeatable
  --json        one JSON object per event; the result last

Example: pairkit flash --port /dev/ttyUSB0 build/`,
  options: { ...CONNECT_OPTIONS, ...RAW_OPTION, full: { type: 'boolean' } },
  positionals: { min: 1, max: 64 },
  async run({ values, positionals, out, signal }) {
    const connect = connectOptionsFrom(values)
    const rawOffsets = rawOffsetsFrom(values)
    const { loadBundle } = await import('../../main/bundle')
    const bundle = await loadBundle(positionals)
    applyRawOffsets(bundle, rawOffsets)
    const report = validateBundle(bundle)
    for (const problem of report.problems.filter((p) => p.severity === 'warning')) out.warn(describeForCli(problem, bundle))
    const fatal = report.problems.find((p) => p.severity === 'error' && p.code !== 'NO_CHIP' && p.code !== 'NO_PARTITION_TABLE')
    if (fatal) throw new PairKitError('BAD_INPUT', `the bundle cannot be written: ${describeForCli(fatal, bundle)}`)
    const { state } = await runFlasherJob(
      {
        operation: 'flash',
        port: connect.port,
        regions: bundle.parts.map((part) => ({ offset: part.offset, name: part.name, bytes: part.bytes })),
        ...(report.chip ?? bundle.chip ? { bundleChip: (report.chip ?? bundle.chip) as string } : {}),
        after: connect.reset ? 'hard-reset' : 'no-reset',
        ...(values.full === true ? { full: true } : {}),
        options: connect,
      },
      out,
      signal,
    )
    const result = (state.type === 'done' ? state.result : undefined) as FlashResult
    const deviceState = state.type === 'done' ? state.deviceState : ''
    out.result({ type: 'flashed', ...result, deviceState }, () =>
      [
        ...result.regions.map((r) => regionLine(r)),
        `${result.bytes} bytes in ${result.seconds.toFixed(1)} s (effective ${result.effectiveKbps.toFixed(0)} kbit/s at ${result.baud} baud, wire ${Math.round(result.wireUtilisation * 100)} % used)`,
        deviceState,
      ].join('\n'),
    )
    return 0
  },
}

/** "app 0x10000: 3 of 256 blocks written, 253 unchanged (9461 bytes on the wire), verified by MD5 …" */
export function regionLine(region: WrittenRegion): string {
  const where = `${region.name ? `${region.name} ` : ''}${hex(region.offset)}`
  const what =
    region.written === 0
      ? `unchanged (${region.blocks} block${region.blocks === 1 ? '' : 's'} compared)`
      : `${region.written} of ${region.blocks} block${region.blocks === 1 ? '' : 's'} written${region.written < region.blocks ? `, ${region.blocks - region.written} unchanged` : ''} (${region.wireBytes} bytes on the wire)`
  return `${where}: ${what}, verified by MD5 ${region.md5}${region.retried ? ' after one rewrite' : ''}`
}
