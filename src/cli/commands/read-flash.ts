import { parseFlashOffset } from '../../common/bundle'
import { UsageError, type Command } from '../command'
import { checkOutputPath, writeOutputFile } from '../output-file'
import { CONNECT_OPTIONS, connectOptionsFrom, runFlasherJob } from './flasher-job'

export const readFlashCommand: Command = {
  name: 'read-flash',
  summary: 'Copy a range of an ESP32\'s flash into a file (checked by MD5 on the way).',
  usage: 'read-flash --port URL OFFSET SIZE OUT [--baud N] [--no-stub] [--no-reset] [--json]',
  help: `
Reads SIZE bytes from flash address OFFSET into the file OUT, and checks them against the
chip's MD5 of the range; nothing is written when they differ. Numbers take 0x…, decimal,
or K/M suffixes.

  --port URL    /dev/ttyUSB0, COM3, socket://HOST:PORT or rfc2217://HOST:PORT
  --baud N      rate while reading (default 921600)
  --no-stub     ROM loader only: 64 bytes per request (slow), then the ROM's MD5
  --no-reset    no DTR/RTS: the chip must already be in download mode
  --json        one JSON object per event; the result last

Example: pairkit read-flash --port /dev/ttyUSB0 0x8000 0xc00 table.bin`,
  options: CONNECT_OPTIONS,
  positionals: { min: 3, max: 3 },
  async run({ values, positionals, out, signal }) {
    const connect = connectOptionsFrom(values)
    const [offsetText = '', sizeText = '', file = ''] = positionals
    const offset = parseFlashOffset(offsetText)
    const size = parseFlashOffset(sizeText)
    if (offset === undefined) throw new UsageError(`OFFSET ${offsetText} is not a flash address`)
    if (!size) throw new UsageError(`SIZE ${sizeText} is not a positive size`)
    // Before a read that may take minutes, not after it.
    await checkOutputPath(file, 'flash.bin')
    const { value } = await runFlasherJob({ operation: 'read-flash', port: connect.port, offset, size, options: connect }, out, signal)
    const bytes = value as Uint8Array
    await writeOutputFile(file, bytes, 'flash.bin')
    out.result({ type: 'read', offset, size: bytes.length, file }, () => `Read ${bytes.length} bytes from 0x${offset.toString(16)} into ${file}`)
    return 0
  },
}
