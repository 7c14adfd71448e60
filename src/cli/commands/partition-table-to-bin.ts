import { parseFlashSize } from '../../common/esp/flash-size'
import { PairKitError } from '../../common/errors'
import { encodePartitionTable, hasErrors, parsePartitionCsv, validatePartitionTable } from '../../common/partition-table'
import { parseGeneratorNumber } from '../../common/partition-table/parse-number'
import { readInputFile } from '../../main/bundle/read-input-file'
import { UsageError, type Command } from '../command'
import { writeOutputFile } from '../output-file'

export const partitionTableToBinCommand: Command = {
  name: 'partition-table to-bin',
  summary: 'Convert a partition table CSV to the binary gen_esp32part.py writes, after checking it.',
  usage: 'partition-table to-bin IN.csv OUT.bin [--flash-size 4MB] [--offset 0x8000] [--no-md5] [--json]',
  help: `
Reads a partition CSV in ESP-IDF's dialect (Name, Type, SubType, Offset, Size, Flags;
empty offsets placed automatically; sizes like 1M or 64K; flags encrypted, readonly),
checks it (alignment, overlaps, names, otadata, fits the flash) and writes the 0xC00-byte
binary, byte for byte what ESP-IDF's gen_esp32part.py writes. Nothing is written when the
table has an error.

  --flash-size S   refuse tables that do not fit a flash of this size (e.g. 4MB)
  --offset N       where the table sits in flash (default 0x8000)
  --no-md5         leave out the MD5 row (CONFIG_PARTITION_TABLE_MD5 off)
  --json           print {"entries": […], "problems": […]} as one JSON line

Example: pairkit partition-table to-bin partitions.csv partition-table.bin --flash-size 4MB`,
  options: { 'flash-size': { type: 'string' }, offset: { type: 'string' }, 'no-md5': { type: 'boolean' } },
  positionals: { min: 2, max: 2 },
  async run({ values, positionals, out }) {
    const [input, output] = positionals as [string, string]
    const flashSize = values['flash-size'] === undefined ? undefined : parseFlashSize(String(values['flash-size']))
    if (values['flash-size'] !== undefined && flashSize === undefined) throw new UsageError('--flash-size takes a size such as 4MB')
    const offset = values.offset === undefined ? undefined : parseGeneratorNumber(String(values.offset))
    if (offset && !offset.ok) throw new UsageError('--offset takes a number such as 0x8000')
    const tableOffset = offset?.ok ? offset.value : undefined

    const text = new TextDecoder().decode(await readInputFile(input))
    const parsed = parsePartitionCsv(text, { tableOffset })
    const problems = [...parsed.problems, ...(hasErrors(parsed.problems) ? [] : validatePartitionTable(parsed.entries, { tableOffset, flashSize }))]
    for (const problem of problems.filter((p) => p.severity === 'warning')) out.warn(problem.message)
    if (hasErrors(problems)) {
      const errors = problems.filter((p) => p.severity === 'error')
      if (out.json) out.result({ entries: parsed.entries, problems }, () => '')
      for (const problem of errors.slice(1)) out.error(problem.message)
      throw new PairKitError('BAD_INPUT', `${input}: ${errors[0]?.message}`, { hint: 'Fix the partition CSV; nothing was written.' })
    }
    await writeOutputFile(output, encodePartitionTable(parsed.entries, { md5: values['no-md5'] !== true }), 'partition-table.bin')
    out.result({ entries: parsed.entries, problems, output }, () => `Wrote ${output}: ${parsed.entries.length} partitions.`)
    return 0
  },
}
