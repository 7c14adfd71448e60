// FLASH_BEGIN/DATA/END, their deflate variants, ERASE_FLASH and ERASE_REGION.
//
// ROM: FLASH_BEGIN erases the whole region up front, each block is written before the
// answer. Stub: sectors are erased just in time as data arrives, never past the region
// the host announced. Errors use the ROM's or the stub's codes (status.ts).
import { checksum, decodeDataBlock, wordAt } from '../../common/esp/packet'
import { ROM_ERRORS, STUB_ERRORS } from '../../common/esp/status'
import { SECTOR_SIZE } from '../flash'
import { fail, ok, type FlashWriteSession, type LoaderContext, type Reply } from './context'
import { BlockInflater } from './inflater'

const sectorFloor = (value: number) => value - (value % SECTOR_SIZE)
const sectorCeil = (value: number) => Math.ceil(value / SECTOR_SIZE) * SECTOR_SIZE

export function handleFlashBegin(ctx: LoaderContext, data: Uint8Array, kind: 'plain' | 'deflate'): Reply {
  const rom = ctx.state.mode === 'rom'
  const size = wordAt(data, 0)
  const blocks = wordAt(data, 1)
  const blockSize = wordAt(data, 2)
  const offset = wordAt(data, 3)
  // ROMs with encrypted-flash support take a 5th word; the stub accepts 16 or 20 bytes.
  const validLength = data.length === 16 || (data.length === 20 && (!rom || ctx.chip.romFlashBeginEncryptedWord))
  if (!validLength || size === undefined || blocks === undefined || blockSize === undefined || offset === undefined) {
    return fail(rom ? ROM_ERRORS.INVALID_MESSAGE : STUB_ERRORS.BAD_DATA_LEN)
  }
  if (rom && !ctx.state.spiAttached) return fail(ROM_ERRORS.FLASH_WRITE) // assumed: an unattached SPI flash fails the erase
  if (!ctx.flash.contains(offset, size)) return fail(rom ? ROM_ERRORS.INVALID_PARAMETER : STUB_ERRORS.BAD_DATA_LEN)
  if (blockSize === 0 || blockSize > 0x10000) return fail(rom ? ROM_ERRORS.INVALID_PARAMETER : STUB_ERRORS.BAD_BLOCKSIZE)
  const session: FlashWriteSession = {
    kind,
    offset,
    size,
    blockSize,
    blocks,
    writeAt: offset,
    erasedTo: sectorFloor(offset),
    nextSequence: 0,
  }
  if (kind === 'deflate') session.inflater = new BlockInflater()
  if (rom && size > 0) {
    const start = sectorFloor(offset)
    const end = Math.min(ctx.flash.size, sectorCeil(offset + size))
    ctx.flash.erase(start, end - start)
    session.erasedTo = end
  }
  ctx.state.flashWrite = session
  return ok()
}

export function handleFlashData(ctx: LoaderContext, data: Uint8Array, check: number, kind: 'plain' | 'deflate'): Reply {
  const rom = ctx.state.mode === 'rom'
  const block = decodeDataBlock(data)
  if (!block || block.length !== block.data.length) return fail(rom ? ROM_ERRORS.INVALID_MESSAGE : STUB_ERRORS.BAD_DATA_LEN)
  if (checksum(block.data) !== (check & 0xff)) return fail(rom ? ROM_ERRORS.CHECKSUM : STUB_ERRORS.BAD_DATA_CHECKSUM)
  const session = ctx.state.flashWrite
  if (!session || session.kind !== kind) return fail(rom ? ROM_ERRORS.INVALID_PARAMETER : STUB_ERRORS.NOT_IN_FLASH_MODE)
  if (block.length > session.blockSize) return fail(rom ? ROM_ERRORS.INVALID_MESSAGE : STUB_ERRORS.BAD_BLOCKSIZE)
  session.nextSequence = block.sequence + 1

  let bytes = block.data
  if (session.inflater) {
    if (session.inflater.finished) return fail(rom ? ROM_ERRORS.DEFLATE_FAILED : STUB_ERRORS.TOO_MUCH_DATA)
    try {
      bytes = session.inflater.push(block.data)
    } catch {
      ctx.state.flashWrite = undefined
      return fail(rom ? ROM_ERRORS.DEFLATE_FAILED : STUB_ERRORS.INFLATE_ERROR)
    }
  }
  const end = session.offset + session.size
  if (!rom || kind === 'deflate') {
    // The stub writes only what the host announced; the ROM's size is rounded up to blocks.
    if (session.writeAt + bytes.length > end) {
      if (!rom) return fail(STUB_ERRORS.TOO_MUCH_DATA)
      bytes = bytes.subarray(0, Math.max(0, end - session.writeAt))
    }
  }
  const writable = Math.max(0, Math.min(bytes.length, ctx.flash.size - session.writeAt))
  if (writable < bytes.length && bytes.subarray(writable).some((byte) => byte !== 0xff)) {
    return fail(rom ? ROM_ERRORS.FLASH_WRITE : STUB_ERRORS.FAILED_SPI_OP)
  }
  if (!rom) eraseAhead(ctx, session, Math.min(session.writeAt + writable, end))
  ctx.flash.program(session.writeAt, bytes.subarray(0, writable))
  session.writeAt += bytes.length
  return ok()
}

/** The stub erases whole sectors just before writing into them, never past the announced region. */
function eraseAhead(ctx: LoaderContext, session: FlashWriteSession, upTo: number): void {
  const limit = Math.min(ctx.flash.size, sectorCeil(session.offset + session.size))
  const target = Math.min(limit, sectorCeil(upTo))
  if (session.erasedTo < target) {
    ctx.flash.erase(session.erasedTo, target - session.erasedTo)
    session.erasedTo = target
  }
}

export function handleFlashEnd(ctx: LoaderContext, data: Uint8Array, kind: 'plain' | 'deflate'): Reply {
  const rom = ctx.state.mode === 'rom'
  const stay = wordAt(data, 0)
  const session = ctx.state.flashWrite
  if (!rom) {
    if (!session) return fail(STUB_ERRORS.NOT_IN_FLASH_MODE)
    if (kind === 'deflate' && session.kind === 'deflate' && session.writeAt < session.offset + session.size) return fail(STUB_ERRORS.NOT_ENOUGH_DATA)
  }
  ctx.state.flashWrite = undefined
  // 0 = leave the loader and run the app; anything else (esptool sends 1) = stay.
  if (stay === 0) queueMicrotask(() => ctx.runUserCode())
  return ok()
}

export function handleEraseFlash(ctx: LoaderContext): Reply {
  ctx.flash.erase(0, ctx.flash.size)
  return ok()
}

export function handleEraseRegion(ctx: LoaderContext, data: Uint8Array): Reply {
  const offset = wordAt(data, 0)
  const size = wordAt(data, 1)
  if (offset === undefined || size === undefined) return fail(STUB_ERRORS.BAD_DATA_LEN)
  if (offset % SECTOR_SIZE !== 0 || size % SECTOR_SIZE !== 0) return fail(STUB_ERRORS.BAD_DATA_LEN)
  if (!ctx.flash.contains(offset, size)) return fail(STUB_ERRORS.FAILED_SPI_OP)
  ctx.flash.erase(offset, size)
  return ok()
}
