import { existsSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { PairKitError } from '../../common/errors'
import { generateNvsFromCsv, parseNvsSize } from '../../common/nvs'
import { readInputFile } from '../../main/bundle/read-input-file'
import { UsageError, type Command } from '../command'
import { writeOutputFile } from '../output-file'

export const nvsGenerateCommand: Command = {
  name: 'nvs generate',
  summary: 'Build an NVS partition image from a CSV, byte for byte what Espressif\'s nvs_partition_gen writes.',
  usage: 'nvs generate IN.csv OUT.bin SIZE [--version 1|2] [--json]',
  help: `
Reads a CSV in nvs_partition_gen's dialect (header key,type,encoding,value; rows of type
namespace, data or file; encodings u8 i8 u16 i16 u32 i32 u64 i64 string hex2bin base64 binary)
and writes a partition image of SIZE bytes (a multiple of 0x1000, at most 128 MB; under 0x3000
the partition must be flagged readonly). \`file\` rows name a file relative to the current
folder, like the generator; if it is not there, the CSV's folder is tried. The image is written
readable by its owner only (mode 0600): NVS images usually hold Wi-Fi passwords.

  --version 2   multi-page blobs (default); --version 1 writes old single-entry blobs
  --json        print {"output","size","readOnly"} as one JSON line

Example: pairkit nvs generate settings.csv nvs.bin 0x6000`,
  options: { version: { type: 'string' } },
  positionals: { min: 3, max: 3 },
  async run({ values, positionals, out }) {
    const [input, output, sizeText] = positionals as [string, string, string]
    const versionText = values.version === undefined ? '2' : String(values.version)
    if (versionText !== '1' && versionText !== '2') throw new UsageError('--version takes 1 or 2')
    const size = parseNvsSize(sizeText)
    const csv = new TextDecoder().decode(await readInputFile(input))
    const readFileRow = (file: string): Uint8Array => {
      const beside = path.resolve(path.dirname(input), file)
      const chosen = existsSync(file) || !existsSync(beside) ? file : beside
      const named = `the file "${file}" named in ${input}`
      try {
        // Only a regular file that fits the partition: /dev/zero would never end.
        const info = statSync(chosen)
        if (!info.isFile()) throw new PairKitError('BAD_INPUT', `${named} is not a regular file`, { hint: 'Name a file saved on disk.' })
        if (info.size > size) throw new PairKitError('BAD_INPUT', `${named} is ${info.size} bytes, more than the ${size}-byte partition`, { hint: 'Give a larger SIZE or a smaller file.' })
        return new Uint8Array(readFileSync(chosen))
      } catch (error) {
        if (error instanceof PairKitError) throw error
        throw new PairKitError('NOT_FOUND', `cannot read ${named}: ${(error as Error).message}`)
      }
    }
    const { image, readOnly } = generateNvsFromCsv(csv, size, { version: versionText === '1' ? 1 : 2, readFile: readFileRow })
    if (readOnly) out.warn(`a partition under 0x3000 has no spare page: flag it "readonly" in the partition table (the image is ${image.length} bytes)`)
    await writeOutputFile(output, image, 'nvs.bin', { secret: true })
    out.result({ output, size: image.length, readOnly }, () => `Wrote ${output}: ${image.length} bytes (0x${image.length.toString(16)}).`)
    return 0
  },
}
