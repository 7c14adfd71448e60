// What every command handler gets: the chip's state and a way to answer. Handlers return
// a Reply; the loader adds the status bytes in the ROM's or the stub's layout.
import type { TwinChipDef } from '../../common/esp/chips'
import type { FlashMemory } from '../flash'
import type { RegisterFile } from '../registers'

export type LoaderMode = 'rom' | 'stub'

export type Reply =
  /** `costMs`: how long the chip computes before it answers (modelled only with wire timing). */
  | { ok: true; value?: number; data?: Uint8Array; costMs?: number }
  | { ok: false; error: number }
  /** Say nothing (the chip ignores the packet). */
  | { silent: true }

export interface FlashWriteSession {
  kind: 'plain' | 'deflate'
  offset: number
  /** Bytes the host announced (stub: exact; ROM: the erase size). */
  size: number
  blockSize: number
  blocks: number
  /** Where the next decompressed/plain byte goes. */
  writeAt: number
  /** Stub: sectors are erased just in time up to here. */
  erasedTo: number
  inflater?: { push(chunk: Uint8Array): Uint8Array; finished: boolean }
  nextSequence: number
}

export interface MemSession {
  address: number
  size: number
  blockSize: number
  received: number
}

export interface LoaderState {
  mode: LoaderMode
  spiAttached: boolean
  /** Flash size the host told us with SPI_SET_PARAMS (defaults to the physical size). */
  declaredFlashSize: number
  flashWrite: FlashWriteSession | undefined
  mem: MemSession | undefined
}

export interface LoaderContext {
  readonly chip: TwinChipDef
  readonly flash: FlashMemory
  readonly registers: RegisterFile
  readonly state: LoaderState
  /** Sends one raw frame (already a complete packet or stub data frame). */
  sendFrame(frame: Uint8Array): void
  /** Switches the UART after everything queued so far has left at the old rate. */
  changeBaud(baud: number): void
  /** Leaves the loader: reboot into the app (FLASH_END/RUN_USER_CODE). */
  runUserCode(): void
  /** Flash data on its way to the host: unchanged, or damaged by the corrupt-reads fault. */
  outgoingFlashData(data: Uint8Array): Uint8Array
  /** Start streaming READ_FLASH data (stub protocol with acks). */
  startReadFlash(offset: number, length: number, packetSize: number, maxUnacked: number): void
}

export const ok = (value = 0, data?: Uint8Array): Reply => (data ? { ok: true, value, data } : { ok: true, value })
export const fail = (error: number): Reply => ({ ok: false, error })
