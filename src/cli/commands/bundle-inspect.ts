import { formatBundleReport, validateBundle } from '../../common/bundle'
import { chipByName, CHIP_NAMES } from '../../common/esp/chips'
import { parseFlashSize } from '../../common/esp/flash-size'
import { UsageError, type Command } from '../command'
import { applyRawOffsets, describeForCli, RAW_OPTION, rawOffsetsFrom } from './raw-option'

export const bundleInspectCommand: Command = {
  name: 'bundle inspect',
  summary: 'Show what a firmware would write where, and check it before anything is flashed.',
  usage: 'bundle inspect PATH... [--chip esp32] [--flash-size 4MB] [--raw OFFSET]... [--json]',
  help: `
Loads a firmware from an ESP-IDF build directory (through build/flasher_args.json, ESP-IDF
4.x to 6.x), a .zip of one, a merged flash image (esptool merge_bin), or a list of
OFFSET=FILE pairs, and checks it: files present, no two parts in one 4 KiB sector, every
image intact and built for the chip, the bootloader at the chip's offset, an app image at
the start of every app partition (0x10000 when there is no table) and a partition table at
its offset (0x8000), each app inside its partition, everything inside the flash. Exit 1 when
the firmware is not ready to flash.

  --chip C         the device's chip (e.g. esp32c3); default: what the build says
  --flash-size S   the device's flash size (e.g. 4MB); default: the build's setting
  --raw OFFSET     write the part at OFFSET as raw data, without checking that it is an
                   app image or a partition table where one belongs; repeatable
  --json           one JSON object: chip, flash, parts, partitions, problems, ok

Examples:
  pairkit bundle inspect ~/bridge/build
  pairkit bundle inspect bridge-merged.bin --chip esp32s3 --flash-size 8MB
  pairkit bundle inspect 0x0=bootloader.bin 0x8000=partition-table.bin 0x10000=bridge.bin --chip esp32c3`,
  options: { chip: { type: 'string' }, 'flash-size': { type: 'string' }, ...RAW_OPTION },
  positionals: { min: 1, max: 64 },
  async run({ values, positionals, out }) {
    const chip = values.chip === undefined ? undefined : String(values.chip)
    if (chip !== undefined && !chipByName(chip)) throw new UsageError(`--chip takes one of ${CHIP_NAMES.join(', ')}`)
    const flashSize = values['flash-size'] === undefined ? undefined : parseFlashSize(String(values['flash-size']))
    if (values['flash-size'] !== undefined && flashSize === undefined) throw new UsageError('--flash-size takes a size such as 4MB')

    const rawOffsets = rawOffsetsFrom(values)
    const { loadBundle } = await import('../../main/bundle')
    const bundle = await loadBundle(positionals, chip ? { chip } : {})
    applyRawOffsets(bundle, rawOffsets)
    const report = validateBundle(bundle, { ...(chip ? { chip } : {}), ...(flashSize ? { flashSize } : {}) })
    const json = {
      source: bundle.source,
      chip: report.chip ?? null,
      flash: { ...bundle.flash, ...(report.flashSize ? { sizeBytes: report.flashSize } : {}) },
      parts: bundle.parts.map((part) => {
        const info = report.images.find((image) => image.part === part.name)?.info
        return {
          offset: part.offset, name: part.name, kind: part.kind, size: part.bytes.length,
          ...(part.encrypted ? { encrypted: true } : {}),
          ...(part.raw ? { raw: true } : {}),
          ...(info?.appDescriptor ? { app: info.appDescriptor } : {}),
          ...(info?.bootloaderDescriptor ? { bootloader: info.bootloaderDescriptor } : {}),
          ...(info ? { imageChip: info.header.chip ?? info.header.chipId } : {}),
        }
      }),
      partitions: report.partitionTable?.table.entries ?? null,
      problems: report.problems,
      ok: report.ok,
    }
    out.result(json, () => formatBundleReport(bundle, report, (problem) => describeForCli(problem, bundle)))
    return report.ok ? 0 : 1
  },
}
