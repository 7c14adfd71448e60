// MEM_BEGIN / MEM_DATA / MEM_END: uploading code to RAM. The twin keeps no RAM: it checks
// the framing as the ROM does and, when the host starts the program, behaves as esptool's
// flasher stub (it says "OHAI" and answers with 2-byte status from then on). Assumption:
// any program started this way is the stub; the twin does not execute code.
import { checksum, decodeDataBlock, wordAt } from '../../common/esp/packet'
import { ROM_ERRORS, STUB_ERRORS } from '../../common/esp/status'
import { fail, ok, type LoaderContext, type Reply } from './context'

const OHAI = new TextEncoder().encode('OHAI')
/** Largest RAM upload the ROM is asked for in one MEM_BEGIN (well above any stub segment). */
const MAX_RAM_UPLOAD = 0x80000

export function handleMemBegin(ctx: LoaderContext, data: Uint8Array): Reply {
  const size = wordAt(data, 0)
  const blockSize = wordAt(data, 2)
  const address = wordAt(data, 3)
  const rom = ctx.state.mode === 'rom'
  if (size === undefined || blockSize === undefined || address === undefined) return fail(rom ? ROM_ERRORS.INVALID_MESSAGE : STUB_ERRORS.BAD_DATA_LEN)
  if (size > MAX_RAM_UPLOAD) return fail(rom ? ROM_ERRORS.INVALID_RAM_SIZE : STUB_ERRORS.TOO_MUCH_DATA)
  const inRam = ctx.chip.memoryMap.some((region) => region.name !== 'PADDING' && address >= region.start && address + size <= region.end)
  if (!inRam) return fail(rom ? ROM_ERRORS.INVALID_RAM_ADDRESS : STUB_ERRORS.BAD_DATA_LEN)
  ctx.state.mem = { address, size, blockSize, received: 0 }
  return ok()
}

export function handleMemData(ctx: LoaderContext, data: Uint8Array, check: number): Reply {
  const rom = ctx.state.mode === 'rom'
  const block = decodeDataBlock(data)
  if (!block || block.length !== block.data.length) return fail(rom ? ROM_ERRORS.INVALID_MESSAGE : STUB_ERRORS.BAD_DATA_LEN)
  if (checksum(block.data) !== (check & 0xff)) return fail(rom ? ROM_ERRORS.CHECKSUM : STUB_ERRORS.BAD_DATA_CHECKSUM)
  const mem = ctx.state.mem
  if (!mem) return fail(rom ? ROM_ERRORS.INVALID_PARAMETER : STUB_ERRORS.NOT_IN_FLASH_MODE)
  if (mem.received + block.length > mem.size + mem.blockSize) return fail(rom ? ROM_ERRORS.INVALID_RAM_SIZE : STUB_ERRORS.TOO_MUCH_DATA)
  mem.received += block.length
  return ok()
}

export function handleMemEnd(ctx: LoaderContext, data: Uint8Array): Reply {
  const noExecute = wordAt(data, 0)
  const entry = wordAt(data, 1)
  if (noExecute === undefined || entry === undefined) return fail(ctx.state.mode === 'rom' ? ROM_ERRORS.INVALID_MESSAGE : STUB_ERRORS.BAD_DATA_LEN)
  ctx.state.mem = undefined
  if (noExecute === 0 && entry !== 0 && ctx.state.mode === 'rom') {
    // The answer leaves first, then the started stub greets the host.
    queueMicrotask(() => {
      ctx.state.mode = 'stub'
      ctx.state.flashWrite = undefined
      ctx.sendFrame(OHAI)
    })
  }
  return ok()
}

