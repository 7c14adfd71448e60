import { parseFlashOffset } from '../../common/bundle'
import { UsageError, type Command } from '../command'
import { CONNECT_OPTIONS, connectOptionsFrom, runFlasherJob } from './flasher-job'

export const eraseCommand: Command = {
  name: 'erase',
  summary: 'Erase the whole flash of an ESP32, or one region of it.',
  usage: 'erase --port URL [--region OFFSET:SIZE] [--json]',
  help: `
Erases the whole flash (needs the flasher stub), or with --region only OFFSET:SIZE
(both 4 KiB aligned, e.g. 0x9000:0x6000 for a default nvs partition).

Example: pairkit erase --port /dev/ttyUSB0 --region 0x9000:0x6000`,
  options: { ...CONNECT_OPTIONS, region: { type: 'string' } },
  async run({ values, out, signal }) {
    const connect = connectOptionsFrom(values)
    let region: { offset: number; size: number } | undefined
    if (typeof values.region === 'string') {
      const [offsetText = '', sizeText = ''] = values.region.split(':')
      const offset = parseFlashOffset(offsetText)
      const size = parseFlashOffset(sizeText)
      if (offset === undefined || !size) throw new UsageError(`--region ${values.region} is not OFFSET:SIZE (e.g. 0x9000:0x6000)`)
      region = { offset, size }
    }
    const { state } = await runFlasherJob({ operation: 'erase', port: connect.port, ...(region ? { region } : {}), options: connect }, out, signal)
    const deviceState = state.type === 'done' ? state.deviceState : ''
    out.result({ type: 'erased', ...(state.type === 'done' ? (state.result as object) : {}), deviceState }, () => `Erased ${region ? values.region : 'the whole flash'}; ${deviceState}`)
    return 0
  },
}
