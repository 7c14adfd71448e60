// SYNC, CHANGE_BAUDRATE, SPI_ATTACH, SPI_SET_PARAMS, GET_SECURITY_INFO, RUN_USER_CODE.
import { OPCODES } from '../../common/esp/opcodes'
import { encodeResponse, packWords, SYNC_PAYLOAD, wordAt } from '../../common/esp/packet'
import { ROM_ERRORS, STUB_ERRORS } from '../../common/esp/status'
import { fail, ok, type LoaderContext, type Reply } from './context'

/** The value field of the ROM's SYNC answer (its bytes are the SYNC payload's first word). */
export const ROM_SYNC_VALUE = 0x20120707
/** Both the ROM and the stubs answer one SYNC with 8 identical replies. */
const SYNC_REPLIES = 8

export function handleSync(ctx: LoaderContext, data: Uint8Array): Reply {
  if (data.length !== SYNC_PAYLOAD.length || data.some((byte, i) => byte !== SYNC_PAYLOAD[i])) {
    return fail(ctx.state.mode === 'rom' ? ROM_ERRORS.INVALID_MESSAGE : STUB_ERRORS.BAD_DATA_LEN)
  }
  const value = ctx.state.mode === 'rom' ? ROM_SYNC_VALUE : 0
  const status = ctx.state.mode === 'rom' ? new Uint8Array(4) : new Uint8Array(2)
  // The first reply goes out like any answer; the 7 copies follow it.
  for (let i = 1; i < SYNC_REPLIES; i++) queueMicrotask(() => ctx.sendFrame(encodeResponse(OPCODES.SYNC, value, status)))
  return ok(value)
}

export function handleChangeBaudrate(ctx: LoaderContext, data: Uint8Array): Reply {
  const baud = wordAt(data, 0)
  if (baud === undefined || baud < 300 || baud > 5_000_000) return fail(ctx.state.mode === 'rom' ? ROM_ERRORS.INVALID_PARAMETER : STUB_ERRORS.BAD_DATA_LEN)
  // The answer still goes out at the old rate; the switch happens once it has left.
  queueMicrotask(() => ctx.changeBaud(baud))
  return ok()
}

export function handleSpiAttach(ctx: LoaderContext, data: Uint8Array): Reply {
  // ROM: pin config + a second word; stub: pin config only.
  if (data.length < 4) return fail(ctx.state.mode === 'rom' ? ROM_ERRORS.INVALID_MESSAGE : STUB_ERRORS.BAD_DATA_LEN)
  ctx.state.spiAttached = true
  return ok()
}

export function handleSpiSetParams(ctx: LoaderContext, data: Uint8Array): Reply {
  const totalSize = wordAt(data, 1)
  if (data.length < 24 || totalSize === undefined) return fail(ctx.state.mode === 'rom' ? ROM_ERRORS.INVALID_MESSAGE : STUB_ERRORS.BAD_DATA_LEN)
  ctx.state.declaredFlashSize = totalSize
  return ok()
}

export function handleGetSecurityInfo(ctx: LoaderContext): Reply {
  if (!ctx.chip.romHasSecurityInfo) return unsupported(ctx)
  // flags u32, flash_crypt_cnt u8, 7 key purposes, chip id u32, eco version u32: a
  // development chip with secure boot and flash encryption off.
  const info = new Uint8Array(20)
  info.set(packWords(ctx.chip.imageChipId), 12)
  return ok(0, info)
}

export function handleRunUserCode(ctx: LoaderContext): Reply {
  queueMicrotask(() => ctx.runUserCode())
  return { silent: true }
}

/** What a chip answers to a command it does not know. */
export function unsupported(ctx: LoaderContext): Reply {
  return fail(ctx.state.mode === 'rom' ? ROM_ERRORS.INVALID_MESSAGE : STUB_ERRORS.CMD_NOT_IMPLEMENTED)
}
