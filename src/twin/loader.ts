// The serial bootloader of the twin: decodes request frames, routes them to the command
// handlers in rom/, and answers in the ROM's layout (4 status bytes) or, once the stub
// runs, in the stub's (2 status bytes). Also streams READ_FLASH with acknowledgements.
import type { TwinChipDef } from '../common/esp/chips'
import { opcodeName, OPCODES, STUB_ONLY_OPCODES } from '../common/esp/opcodes'
import { decodeRequest, encodeResponse } from '../common/esp/packet'
import { ROM_ERRORS, ROM_STATUS_LENGTH, STUB_STATUS_LENGTH } from '../common/esp/status'
import type { FlashMemory } from './flash'
import type { RegisterFile } from './registers'
import type { LoaderContext, LoaderMode, LoaderState, Reply } from './rom/context'
import * as control from './rom/control'
import { handleEraseFlash, handleEraseRegion, handleFlashBegin, handleFlashData, handleFlashEnd } from './rom/flash-write'
import { handleFlashMd5, handleReadFlash, handleReadFlashSlow } from './rom/flash-read'
import { handleMemBegin, handleMemData, handleMemEnd } from './rom/memory'
import { handleReadReg, handleWriteReg } from './rom/registers'

export interface LoaderHooks {
  /** One frame to SLIP-encode and send. */
  send(frame: Uint8Array): void
  /** Whether the chip's compute time is modelled (wire timing on). */
  timed?(): boolean
  changeBaud(baud: number): void
  runUserCode(): void
  /** Fault injection on flash data sent to the host (corrupt-reads); unchanged when absent. */
  outgoingFlashData?(data: Uint8Array): Uint8Array
}

/** Commands this chip's ROM implements (GET_SECURITY_INFO only on chips that have it). */
function isRomCommand(op: number): boolean {
  return op !== OPCODES.GET_SECURITY_INFO && !STUB_ONLY_OPCODES.has(op) && opcodeName(op) !== undefined
}

interface ReadFlashStream {
  offset: number
  length: number
  packetSize: number
  maxUnacked: number
  sent: number
  acked: number
}

export class Loader {
  readonly state: LoaderState
  private readonly ctx: LoaderContext
  private reading: ReadFlashStream | undefined
  /** The answer of a command still being computed (see Reply.costMs). */
  private pending: Uint8Array | undefined

  constructor(
    readonly chip: TwinChipDef,
    private readonly flash: FlashMemory,
    registers: RegisterFile,
    private readonly hooks: LoaderHooks,
  ) {
    this.state = { mode: 'rom', spiAttached: false, declaredFlashSize: flash.size, flashWrite: undefined, mem: undefined }
    this.ctx = {
      chip,
      flash,
      registers,
      state: this.state,
      sendFrame: (frame) => hooks.send(frame),
      changeBaud: (baud) => hooks.changeBaud(baud),
      runUserCode: () => hooks.runUserCode(),
      outgoingFlashData: (data) => hooks.outgoingFlashData?.(data) ?? data,
      startReadFlash: (offset, length, packetSize, maxUnacked) => {
        this.reading = { offset, length, packetSize, maxUnacked, sent: 0, acked: 0 }
        this.pumpReadFlash()
      },
    }
  }

  get mode(): LoaderMode {
    return this.state.mode
  }

  /**
   * Handles one de-SLIPped frame from the host. Returns how long the chip is busy with it (ms):
   * its answer then leaves when finishBusy() is called, and no other frame is handled before.
   */
  receive(frame: Uint8Array): number {
    if (this.reading) {
      this.receiveAck(frame)
      return 0
    }
    const request = decodeRequest(frame)
    // A frame that is not a well-formed request (noise, a truncated or overlong packet)
    // gets no answer, as on the chip: the host times out and retries.
    if (!request.ok) return 0
    const { op, data, checksum } = request.value
    const reply = this.dispatch(op, data, checksum)
    if ('silent' in reply) return 0
    // Assumption: the ROM's answer to a command it does not know carries another op byte
    // (0x00 here): esptool and esptool-js only raise "unsupported command" when the op
    // differs from the request, and both rely on that to detect an ESP32 via its magic word.
    const unknownToRom = this.state.mode === 'rom' && !reply.ok && reply.error === ROM_ERRORS.INVALID_MESSAGE && !isRomCommand(op)
    const answer = this.encodeReply(unknownToRom ? 0x00 : op, reply)
    const cost = reply.ok && reply.costMs && this.hooks.timed?.() ? reply.costMs : 0
    if (cost > 0) {
      this.pending = answer
      return cost
    }
    this.hooks.send(answer)
    return 0
  }

  /** The computation receive() reported is over: its answer leaves. */
  finishBusy(): void {
    const answer = this.pending
    this.pending = undefined
    if (answer) this.hooks.send(answer)
  }

  private dispatch(op: number, data: Uint8Array, check: number): Reply {
    const ctx = this.ctx
    if (this.state.mode === 'rom' && STUB_ONLY_OPCODES.has(op)) return control.unsupported(ctx)
    switch (op) {
      case OPCODES.SYNC: return control.handleSync(ctx, data)
      case OPCODES.READ_REG: return handleReadReg(ctx, data)
      case OPCODES.WRITE_REG: return handleWriteReg(ctx, data)
      case OPCODES.SPI_ATTACH: return control.handleSpiAttach(ctx, data)
      case OPCODES.SPI_SET_PARAMS: return control.handleSpiSetParams(ctx, data)
      case OPCODES.CHANGE_BAUDRATE: return control.handleChangeBaudrate(ctx, data)
      case OPCODES.GET_SECURITY_INFO: return control.handleGetSecurityInfo(ctx)
      case OPCODES.MEM_BEGIN: return handleMemBegin(ctx, data)
      case OPCODES.MEM_DATA: return handleMemData(ctx, data, check)
      case OPCODES.MEM_END: return handleMemEnd(ctx, data)
      case OPCODES.FLASH_BEGIN: return handleFlashBegin(ctx, data, 'plain')
      case OPCODES.FLASH_DATA: return handleFlashData(ctx, data, check, 'plain')
      case OPCODES.FLASH_END: return handleFlashEnd(ctx, data, 'plain')
      case OPCODES.FLASH_DEFL_BEGIN: return handleFlashBegin(ctx, data, 'deflate')
      case OPCODES.FLASH_DEFL_DATA: return handleFlashData(ctx, data, check, 'deflate')
      case OPCODES.FLASH_DEFL_END: return handleFlashEnd(ctx, data, 'deflate')
      case OPCODES.SPI_FLASH_MD5: return handleFlashMd5(ctx, data)
      case OPCODES.READ_FLASH_SLOW:
        return this.state.mode === 'rom' ? handleReadFlashSlow(ctx, data) : control.unsupported(ctx)
      case OPCODES.ERASE_FLASH: return handleEraseFlash(ctx)
      case OPCODES.ERASE_REGION: return handleEraseRegion(ctx, data)
      case OPCODES.READ_FLASH: return handleReadFlash(ctx, data)
      case OPCODES.RUN_USER_CODE: return control.handleRunUserCode(ctx)
      default: return control.unsupported(ctx)
    }
  }

  private encodeReply(op: number, reply: Exclude<Reply, { silent: true }>): Uint8Array {
    const statusLength = this.state.mode === 'rom' ? ROM_STATUS_LENGTH : STUB_STATUS_LENGTH
    const body = reply.ok ? (reply.data ?? new Uint8Array(0)) : new Uint8Array(0)
    const data = new Uint8Array(body.length + statusLength)
    data.set(body)
    if (!reply.ok) {
      data[body.length] = 1
      data[body.length + 1] = reply.error
    }
    return encodeResponse(op, reply.ok ? (reply.value ?? 0) : 0, data)
  }

  /** While READ_FLASH streams, every host frame is an ack: u32 total bytes received. */
  private receiveAck(frame: Uint8Array): void {
    const reading = this.reading
    if (!reading) return
    if (frame.length !== 4) return
    const acked = new DataView(frame.buffer, frame.byteOffset, 4).getUint32(0, true)
    if (acked > reading.sent) return
    reading.acked = acked
    this.pumpReadFlash()
  }

  private pumpReadFlash(): void {
    const reading = this.reading
    if (!reading) return
    while (reading.sent < reading.length && reading.sent - reading.acked < reading.maxUnacked * reading.packetSize) {
      const size = Math.min(reading.packetSize, reading.length - reading.sent)
      this.hooks.send(this.ctx.outgoingFlashData(this.flash.read(reading.offset + reading.sent, size)))
      reading.sent += size
    }
    if (reading.acked >= reading.length) {
      this.reading = undefined
      this.hooks.send(this.flash.md5(reading.offset, reading.length))
    }
  }

  /** Back to the ROM loader (after a reset). */
  resetToRom(): void {
    this.state.mode = 'rom'
    this.state.spiAttached = false
    this.state.declaredFlashSize = this.flash.size
    this.state.flashWrite = undefined
    this.state.mem = undefined
    this.reading = undefined
    this.pending = undefined
  }
}
