import { redactNvsValue } from '../../common/config/redact'
import { formatNvsEntries, nvsEntriesToJson, readNvsPartition, type NvsEntry } from '../../common/nvs'
import { readInputFile } from '../../main/bundle/read-input-file'
import type { Command } from '../command'

export const nvsDumpCommand: Command = {
  name: 'nvs dump',
  summary: 'List the namespaces, keys and values in an NVS partition image, with any damage found.',
  usage: 'nvs dump IN.bin [--show-secrets] [--json]',
  help: `
Reads an NVS partition image (from the generator or read back from a device) and lists every
entry the firmware would see: namespace, key, type and value. Damaged entries (CRC mismatch,
interrupted writes, missing blob chunks) are listed on stderr; the rest is still shown.
Exits 1 when something the firmware would drop was found. The bridge's passwords (sta_pass,
ap_pass, turn_pass) show as •••• and a password in signal_uri as *** unless --show-secrets.

  --show-secrets  show the passwords
  --json          print one JSON array of {"namespace","key","type","value"}: integers as
                  numbers (64-bit as decimal strings), strings as text, blobs as lowercase hex

Example: pairkit nvs dump nvs.bin --json`,
  options: { 'show-secrets': { type: 'boolean' } },
  positionals: { min: 1, max: 1 },
  async run({ values, positionals, out }) {
    const [input] = positionals as [string]
    const image = await readInputFile(input)
    const result = readNvsPartition(image)
    const entries = values['show-secrets'] === true ? result.entries : result.entries.map(redactEntry)
    if (out.json) out.result(nvsEntriesToJson(entries), () => '')
    else out.info(entries.length > 0 ? formatNvsEntries(entries) : 'No entries: the partition is empty.')
    for (const problem of result.problems) out.warn(problem.message)
    return result.problems.some((problem) => problem.severity === 'error') ? 1 : 0
  },
}

function redactEntry(entry: NvsEntry): NvsEntry {
  const value = redactNvsValue(entry.key, entry.value)
  return value === entry.value ? entry : { ...entry, value }
}
