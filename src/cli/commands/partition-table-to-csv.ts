import { PairKitError } from '../../common/errors'
import { decodePartitionTable, formatPartitionCsv, hasErrors } from '../../common/partition-table'
import { readInputFile } from '../../main/bundle/read-input-file'
import type { Command } from '../command'
import { writeOutputFile } from '../output-file'

export const partitionTableToCsvCommand: Command = {
  name: 'partition-table to-csv',
  summary: 'Show a binary partition table (a build output or a flash read-back) as CSV.',
  usage: 'partition-table to-csv IN.bin [OUT.csv] [--json]',
  help: `
Decodes a binary partition table, checks its MD5 row, and prints it in the CSV dialect of
ESP-IDF's gen_esp32part.py (offsets in hex, sizes in K or M), or writes it to OUT.csv.
Problems (MD5 mismatch, a damaged row, no end marker) are reported; exit 1 on errors.

  --json   print {"entries": […], "md5": {…}, "problems": […]} as one JSON line

Example: pairkit partition-table to-csv build/partition_table/partition-table.bin`,
  options: {},
  positionals: { min: 1, max: 2 },
  async run({ positionals, out }) {
    const [input, output] = positionals as [string, string | undefined]
    const table = decodePartitionTable(await readInputFile(input))
    const csv = formatPartitionCsv(table.entries)
    for (const problem of table.problems) out.warn(problem.message)
    if (output !== undefined) await writeOutputFile(output, csv, 'partitions.csv')
    out.result({ entries: table.entries, md5: table.md5, terminated: table.terminated, problems: table.problems }, () =>
      output === undefined ? csv : `Wrote ${output}: ${table.entries.length} partitions.`)
    if (hasErrors(table.problems)) {
      throw new PairKitError('BAD_INPUT', `${input}: ${table.problems.find((p) => p.severity === 'error')?.message}`)
    }
    return 0
  },
}
