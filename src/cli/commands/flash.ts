import { validateBundle } from '../../common/bundle'
import { PairKitError } from '../../common/errors'
import type { FlashResult } from '../../common/flasher/job-state'
import { hex } from '../../common/hex'
import type { Command } from '../command'
import { CONNECT_OPTIONS, connectOptionsFrom, runFlasherJob } from './flasher-job'
import { applyRawOffsets, describeForCli, RAW_OPTION, rawOffsetsFrom } from './raw-option'

export const flashCommand: Command = {
  name: 'flash',
  summary: 'Write a firmware bundle (or OFFSET=FILE parts) to an ESP32 and verify every region by MD5.',
  usage: 'flash --port URL (BUNDLE | OFFSET=FILE...) [--baud N] [--no-stub] [--no-reset] [--raw OFFSET]... [--json]',
  help: `
Checks the bundle (build directory, .zip, merged .bin, or OFFSET=FILE pairs) as
\`pairkit bundle inspect\` does and writes nothing when it has an error; then connects,
checks that it fits the device (chip, flash size), writes every part compressed through
the flasher stub at --baud (falling back to 115200 when the switch fails), verifies each
region by MD5 and resets the chip into the app.

  --port URL    /dev/ttyUSB0, COM3, socket://HOST:PORT or rfc2217://HOST:PORT
  --baud N      rate while writing (default 921600)
  --no-stub     ROM loader only, uncompressed (slower)
  --no-reset    no DTR/RTS: neither before (chip already in download mode) nor after
  --raw OFFSET  write the part at OFFSET as raw data, without checking that it is an app
                image or a partition table where one belongs; repeatable
  --json        one JSON object per event; the result last

Example: pairkit flash --port /dev/ttyUSB0 build/`,
  options: { ...CONNECT_OPTIONS, ...RAW_OPTION },
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
        options: connect,
      },
      out,
      signal,
    )
    const result = (state.type === 'done' ? state.result : undefined) as FlashResult
    const deviceState = state.type === 'done' ? state.deviceState : ''
    out.result({ type: 'flashed', ...result, deviceState }, () =>
      [
        ...result.regions.map((r) => `Wrote ${r.size} bytes (${r.wireBytes} on the wire) at ${hex(r.offset)}${r.name ? ` (${r.name})` : ''}, verified by MD5 ${r.md5}${r.retried ? ' after one rewrite' : ''}`),
        `${result.bytes} bytes in ${result.seconds.toFixed(1)} s (effective ${result.effectiveKbps.toFixed(0)} kbit/s at ${result.baud} baud, wire ${Math.round(result.wireUtilisation * 100)} % used)`,
        deviceState,
      ].join('\n'),
    )
    return 0
  },
}
