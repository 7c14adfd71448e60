// SPI_FLASH_MD5 (ROM: 32 hex characters, stub: 16 raw bytes), READ_FLASH (stub, streamed
// with acknowledgements and a trailing MD5) and READ_FLASH_SLOW (ROM, 64 bytes a time).
import { wordAt } from '../../common/esp/packet'
import { ROM_ERRORS, STUB_ERRORS } from '../../common/esp/status'
import { hexBytes } from '../../common/hex'
import { fail, ok, type LoaderContext, type Reply } from './context'

/**
 * How fast the loader hashes flash for SPI_FLASH_MD5, in bytes per millisecond. esp-flasher-stub
 * (command_handler.c, s_spi_flash_md5) reads the range in 4 KiB pieces through the SPI flash
 * driver and feeds them to the ROM's MD5 routines on a CPU left at the loader's clock, so it
 * hashes at a few MB/s. No published measurement was found; 4 MB/s is assumed (esptool only
 * bounds it, allowing 8 s per MB before giving up). Modelled with wire timing only.
 */
export const MD5_BYTES_PER_MS = 4000
/** The command's own cost: parsing, the SPI set-up and MD5Final. */
const MD5_BASE_MS = 0.2

export function md5CostMs(size: number): number {
  return MD5_BASE_MS + size / MD5_BYTES_PER_MS
}

export function handleFlashMd5(ctx: LoaderContext, data: Uint8Array): Reply {
  const rom = ctx.state.mode === 'rom'
  const offset = wordAt(data, 0)
  const size = wordAt(data, 1)
  if (offset === undefined || size === undefined) return fail(rom ? ROM_ERRORS.INVALID_MESSAGE : STUB_ERRORS.BAD_DATA_LEN)
  if (rom && !ctx.state.spiAttached) return fail(ROM_ERRORS.FLASH_READ) // assumed, see flash-write.ts
  if (!ctx.flash.contains(offset, size)) return fail(rom ? ROM_ERRORS.FLASH_READ_LENGTH : STUB_ERRORS.FAILED_SPI_OP)
  const digest = ctx.flash.md5(offset, size)
  const costMs = md5CostMs(size)
  return { ok: true, value: 0, data: rom ? new TextEncoder().encode(hexBytes(digest)) : digest, costMs }
}

export function handleReadFlash(ctx: LoaderContext, data: Uint8Array): Reply {
  const offset = wordAt(data, 0)
  const length = wordAt(data, 1)
  const packetSize = wordAt(data, 2)
  const maxUnacked = wordAt(data, 3)
  if (offset === undefined || length === undefined || packetSize === undefined || maxUnacked === undefined) return fail(STUB_ERRORS.BAD_DATA_LEN)
  if (packetSize === 0 || packetSize > 0x4000 || maxUnacked === 0) return fail(STUB_ERRORS.BAD_DATA_LEN)
  if (!ctx.flash.contains(offset, length)) return fail(STUB_ERRORS.FAILED_SPI_OP)
  // The answer leaves first; then the data packets stream.
  queueMicrotask(() => ctx.startReadFlash(offset, length, packetSize, maxUnacked))
  return ok()
}

const SLOW_BLOCK = 64

export function handleReadFlashSlow(ctx: LoaderContext, data: Uint8Array): Reply {
  const offset = wordAt(data, 0)
  const length = wordAt(data, 1)
  if (offset === undefined || length === undefined) return fail(ROM_ERRORS.INVALID_MESSAGE)
  if (length > SLOW_BLOCK) return fail(ROM_ERRORS.FLASH_READ_LENGTH)
  if (!ctx.state.spiAttached) return fail(ROM_ERRORS.FLASH_READ)
  if (!ctx.flash.contains(offset, length)) return fail(ROM_ERRORS.FLASH_READ_LENGTH)
  // The ROM always answers a 64-byte buffer, whatever length was asked for.
  const block = new Uint8Array(SLOW_BLOCK).fill(0xff)
  block.set(ctx.flash.read(offset, length))
  return ok(0, ctx.outgoingFlashData(block))
}
