// READ_REG and WRITE_REG.
import { wordAt } from '../../common/esp/packet'
import { ROM_ERRORS, STUB_ERRORS } from '../../common/esp/status'
import { fail, ok, type LoaderContext, type Reply } from './context'

export function handleReadReg(ctx: LoaderContext, data: Uint8Array): Reply {
  const address = wordAt(data, 0)
  if (address === undefined) return fail(ctx.state.mode === 'rom' ? ROM_ERRORS.INVALID_MESSAGE : STUB_ERRORS.BAD_DATA_LEN)
  return ok(ctx.registers.read(address))
}

/** One or more 16-byte groups: address, value, mask, delay µs (esptool-js may send two). */
export function handleWriteReg(ctx: LoaderContext, data: Uint8Array): Reply {
  if (data.length === 0 || data.length % 16 !== 0) return fail(ctx.state.mode === 'rom' ? ROM_ERRORS.INVALID_MESSAGE : STUB_ERRORS.BAD_DATA_LEN)
  for (let group = 0; group < data.length / 16; group++) {
    const address = wordAt(data, group * 4) ?? 0
    const value = wordAt(data, group * 4 + 1) ?? 0
    const mask = wordAt(data, group * 4 + 2) ?? 0xffffffff
    ctx.registers.write(address, value, mask)
  }
  return ok()
}
