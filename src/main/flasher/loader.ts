// The serial-bootloader client: one command at a time over a SerialLink, to the ROM or the
// flasher stub. Frames, packets and status codes come from common/esp; this file adds
// timing, matching answers to requests, cancellation and link loss.
import { CancelledError, PairKitError } from '../../common/errors'
import { OPCODES } from '../../common/esp/opcodes'
import { checksum, decodeResponse, encodeDataBlock, encodeRequest, packWords, SYNC_PAYLOAD, type Response } from '../../common/esp/packet'
import { slipEncode, SlipDecoder } from '../../common/esp/slip'
import { ROM_STATUS_LENGTH, STUB_STATUS_LENGTH } from '../../common/esp/status'
import type { SerialLink } from '../serial/link'
import { CommandFailedError, timeoutError } from './loader-errors'

export const DEFAULT_TIMEOUT_MS = 3000
export const SYNC_TIMEOUT_MS = 100
/** Max frames skipped while looking for the answer (esptool gives up after 100 too). */
const MAX_SKIPPED_FRAMES = 100
const MAX_BOOT_LOG = 8192
/** ROM error: the message was not understood (also its answer to an unknown command). */
const ROM_INVALID_MESSAGE = 0x05

export const OHAI = Uint8Array.from([0x4f, 0x48, 0x41, 0x49])

export interface CommandOptions {
  checksum?: number
  timeoutMs?: number
}

export interface LoaderOptions {
  signal?: AbortSignal
  /** Every frame in and out, for --trace style debugging. */
  trace?: (direction: 'out' | 'in', frame: Uint8Array) => void
}

export class Loader {
  isStub = false
  private readonly decoder = new SlipDecoder()
  private readonly frames: Uint8Array[] = []
  private wake: (() => void) | undefined
  private linkError: PairKitError | undefined
  private bootLogBytes: number[] = []
  private readonly unsubscribe: Array<() => void> = []

  constructor(
    readonly link: SerialLink,
    private readonly options: LoaderOptions = {},
  ) {
    this.unsubscribe.push(link.onData((chunk) => this.receive(chunk)))
    this.unsubscribe.push(
      link.onClose((error) => {
        this.linkError = error ?? new PairKitError('PORT_DISCONNECTED', `the port ${link.info.url} was closed`)
        this.wake?.()
      }),
    )
    options.signal?.addEventListener('abort', () => this.wake?.(), { once: true })
  }

  get signal(): AbortSignal | undefined {
    return this.options.signal
  }

  dispose(): void {
    for (const off of this.unsubscribe) off()
  }

  /** Text the chip printed outside SLIP frames since the last clearBootLog() (the ROM boot log). */
  get bootLog(): string {
    return new TextDecoder('latin1').decode(Uint8Array.from(this.bootLogBytes))
  }
  clearBootLog(): void {
    this.bootLogBytes = []
  }

  private receive(chunk: Uint8Array): void {
    for (const event of this.decoder.push(chunk)) {
      if (event.type === 'frame') {
        this.options.trace?.('in', event.frame)
        this.frames.push(event.frame)
      } else if (event.type === 'noise' && this.bootLogBytes.length < MAX_BOOT_LOG) {
        for (const byte of event.bytes) if (this.bootLogBytes.length < MAX_BOOT_LOG) this.bootLogBytes.push(byte)
      }
    }
    if (this.frames.length > 0) this.wake?.()
  }

  /** Throws when the job was cancelled or the link is gone. */
  checkAlive(): void {
    if (this.options.signal?.aborted) throw new CancelledError()
    if (this.linkError) throw this.linkError
  }

  /** Discards frames that arrived before the command we are about to send (stale answers). */
  flushInput(): void {
    this.frames.length = 0
    this.decoder.reset()
  }

  async writeFrame(packet: Uint8Array): Promise<void> {
    this.checkAlive()
    this.options.trace?.('out', packet)
    await this.link.write(slipEncode(packet))
  }

  /** Next raw frame within `timeoutMs`, or undefined on timeout. Throws on cancel / link loss. */
  async nextFrame(timeoutMs: number): Promise<Uint8Array | undefined> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      this.checkAlive()
      const frame = this.frames.shift()
      if (frame) return frame
      const left = deadline - Date.now()
      if (left <= 0) return undefined
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, left)
        function done() {
          clearTimeout(timer)
          resolve()
        }
        this.wake = done
      })
      this.wake = undefined
    }
  }

  /** Waits for the answer to `op`, skipping unrelated frames; undefined on timeout. */
  async readResponse(op: number, timeoutMs: number): Promise<Response | undefined> {
    const deadline = Date.now() + timeoutMs
    for (let skipped = 0; skipped < MAX_SKIPPED_FRAMES; skipped++) {
      const frame = await this.nextFrame(deadline - Date.now())
      if (!frame) return undefined
      const decoded = decodeResponse(frame)
      if (!decoded.ok) continue
      if (decoded.value.op === op) return decoded.value
      // A ROM answers a command it does not have with another op byte and status
      // "failed, invalid message" (0x05); esptool reads that as "unsupported command".
      if (decoded.value.data[0] !== 0 && decoded.value.data[1] === ROM_INVALID_MESSAGE) return { ...decoded.value, op }
    }
    return undefined
  }

  /** Sends one request and returns its answer; throws on timeout. Status is not checked. */
  async command(op: number, data: Uint8Array = new Uint8Array(0), options: CommandOptions = {}): Promise<Response> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
    this.flushInput()
    await this.writeFrame(encodeRequest(op, data, options.checksum ?? 0))
    const response = await this.readResponse(op, timeoutMs)
    if (!response) throw timeoutError(op, timeoutMs)
    return response
  }

  /** Sends a request, checks the status bytes, and returns the data before them and the value word. */
  async checkCommand(op: number, data: Uint8Array = new Uint8Array(0), options: CommandOptions = {}): Promise<{ value: number; data: Uint8Array }> {
    const response = await this.command(op, data, options)
    return { value: response.value, data: this.checkStatus(op, response) }
  }

  checkStatus(op: number, response: Response): Uint8Array {
    // The stub ends with 2 status bytes, the ESP32-family ROM with 4 (status, error, 2 reserved).
    const statusLength = this.isStub ? STUB_STATUS_LENGTH : ROM_STATUS_LENGTH
    const length = response.data.length >= statusLength ? statusLength : STUB_STATUS_LENGTH
    if (response.data.length < length) throw new CommandFailedError(op, 0x00)
    const at = response.data.length - length
    const status = response.data[at] ?? 1
    const error = response.data[at + 1] ?? 0
    if (status !== 0) throw new CommandFailedError(op, error)
    return response.data.subarray(0, at)
  }

  /** One SYNC: true when the chip answered within `timeoutMs`. The other 7 answers are drained later. */
  async sync(timeoutMs = SYNC_TIMEOUT_MS): Promise<{ ok: boolean; value: number }> {
    this.flushInput()
    await this.writeFrame(encodeRequest(OPCODES.SYNC, SYNC_PAYLOAD))
    const response = await this.readResponse(OPCODES.SYNC, timeoutMs)
    return response ? { ok: true, value: response.value } : { ok: false, value: 0 }
  }

  async readReg(address: number, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<number> {
    const { value } = await this.checkCommand(OPCODES.READ_REG, packWords(address), { timeoutMs })
    return value >>> 0
  }

  async writeReg(address: number, value: number, mask = 0xffffffff, delayUs = 0): Promise<void> {
    await this.checkCommand(OPCODES.WRITE_REG, packWords(address, value, mask, delayUs))
  }

  /** A checksummed _DATA command (MEM_DATA, FLASH_DATA, FLASH_DEFL_DATA). */
  async dataCommand(op: number, sequence: number, block: Uint8Array, timeoutMs: number): Promise<void> {
    await this.checkCommand(op, encodeDataBlock(sequence, block), { checksum: checksum(block), timeoutMs })
  }
}
