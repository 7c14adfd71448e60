import { writeFile } from 'node:fs/promises'
import { parseFlashOffset } from '../../common/bundle'
import { UsageError, type Command } from '../command'
import { CONNECT_OPTIONS, connectOptionsFrom, runFlasherJob } from './flasher-job'

export const readFlashCommand: Command = {
  name: 'read-flash',
  summary: 'Copy a range of an ESP32\'s flash into a file (checked by MD5 on the way).',
  usage: 'read-flash --port URL OFFSET SIZE OUT [--json]',
  help: `
Reads SIZE bytes from flash address OFFSET into the file OUT. Numbers take 0x…, decimal,
or K/M suffixes: pairkit read-flash --port /dev/ttyUSB0 0x8000 0xc00 table.bin`,
  options: CONNECT_OPTIONS,
  positionals: { min: 3, max: 3 },
  async run({ values, positionals, out, signal }) {
    const connect = connectOptionsFrom(values)
    const [offsetText = '', sizeText = '', file = ''] = positionals
    const offset = parseFlashOffset(offsetText)
    const size = parseFlashOffset(sizeText)
    if (offset === undefined) throw new UsageError(`OFFSET ${offsetText} is not a flash address`)
    if (!size) throw new UsageError(`SIZE ${sizeText} is not a positive size`)
    const { value } = await runFlasherJob({ operation: 'read-flash', port: connect.port, offset, size, options: connect }, out, signal)
    const bytes = value as Uint8Array
    await writeFile(file, bytes)
    out.result({ type: 'read', offset, size: bytes.length, file }, () => `Read ${bytes.length} bytes from 0x${offset.toString(16)} into ${file}`)
    return 0
  },
}
