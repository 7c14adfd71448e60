// SLIP framing as the ESP ROM and stub use it: every frame starts and ends with 0xC0;
// inside a frame 0xC0 travels as DB DC and 0xDB as DB DD. Escaping is applied after
// lengths and checksums are computed, so this layer knows nothing about packets.

export const SLIP_END = 0xc0
export const SLIP_ESC = 0xdb
export const SLIP_ESC_END = 0xdc
export const SLIP_ESC_ESC = 0xdd

/** Wraps one frame: C0, escaped payload, C0. */
export function slipEncode(payload: Uint8Array): Uint8Array {
  let extra = 0
  for (const byte of payload) if (byte === SLIP_END || byte === SLIP_ESC) extra++
  const out = new Uint8Array(payload.length + extra + 2)
  let at = 0
  out[at++] = SLIP_END
  for (const byte of payload) {
    if (byte === SLIP_END) {
      out[at++] = SLIP_ESC
      out[at++] = SLIP_ESC_END
    } else if (byte === SLIP_ESC) {
      out[at++] = SLIP_ESC
      out[at++] = SLIP_ESC_ESC
    } else out[at++] = byte
  }
  out[at] = SLIP_END
  return out
}

/** What the incremental decoder saw besides frames: the receiver decides whether it matters. */
export type SlipEvent =
  | { type: 'frame'; frame: Uint8Array }
  /** Bytes outside any frame (boot log text, line noise). */
  | { type: 'noise'; bytes: Uint8Array }
  /** A frame longer than maxFrame: it was dropped whole, up to its closing C0. */
  | { type: 'oversized'; length: number }
  /** DB followed by something other than DC/DD; the ROM drops such a frame. */
  | { type: 'bad-escape' }

export interface SlipDecoderOptions {
  /** Longest unescaped frame kept; longer ones are dropped (bounded memory). Default 64 KiB + headers. */
  maxFrame?: number
  /**
   * What bytes after a frame's closing C0 are. 'noise' (default, the host side, like
   * esptool's slip_reader): text until the next C0 is reported as noise. 'frame' (the
   * chip side): every C0 is only a delimiter, so anything between two C0s is a frame
   * candidate and the packet layer rejects it if malformed.
   */
  betweenFrames?: 'noise' | 'frame'
}

/**
 * Incremental SLIP decoder: push() any chunking of the byte stream, get back complete
 * frames and what else happened. Empty frames (C0 C0 between packets) are not reported.
 */
export class SlipDecoder {
  private readonly maxFrame: number
  private readonly delimiterOnly: boolean
  private buffer: Uint8Array
  private length = 0
  private inFrame = false
  private escaping = false
  private overflowed = 0
  private badEscape = false
  private noise: number[] = []

  constructor(options: SlipDecoderOptions = {}) {
    this.maxFrame = options.maxFrame ?? 0x10000 + 0x200
    this.delimiterOnly = options.betweenFrames === 'frame'
    this.buffer = new Uint8Array(Math.min(this.maxFrame, 0x4400))
  }

  /** True while part of a frame has been received. */
  get pending(): boolean {
    return this.inFrame && (this.length > 0 || this.overflowed > 0)
  }

  reset(): void {
    this.length = 0
    this.inFrame = false
    this.escaping = false
    this.overflowed = 0
    this.badEscape = false
    this.noise = []
  }

  push(chunk: Uint8Array): SlipEvent[] {
    const events: SlipEvent[] = []
    for (const byte of chunk) {
      if (!this.inFrame) {
        if (byte === SLIP_END) {
          this.flushNoise(events)
          this.inFrame = true
          this.length = 0
        } else if (this.noise.length < 4096) this.noise.push(byte)
        continue
      }
      if (byte === SLIP_END) {
        this.endFrame(events)
        continue
      }
      let value = byte
      if (this.escaping) {
        this.escaping = false
        if (byte === SLIP_ESC_END) value = SLIP_END
        else if (byte === SLIP_ESC_ESC) value = SLIP_ESC
        else this.badEscape = true
      } else if (byte === SLIP_ESC) {
        this.escaping = true
        continue
      }
      this.append(value)
    }
    this.flushNoise(events)
    return events
  }

  private append(value: number): void {
    if (this.overflowed > 0 || this.length >= this.maxFrame) {
      this.overflowed = Math.max(this.overflowed, this.length) + 1
      return
    }
    if (this.length === this.buffer.length) {
      const grown = new Uint8Array(Math.min(this.maxFrame, this.buffer.length * 2))
      grown.set(this.buffer)
      this.buffer = grown
    }
    this.buffer[this.length++] = value
  }

  private endFrame(events: SlipEvent[]): void {
    if (this.overflowed > 0) events.push({ type: 'oversized', length: this.overflowed })
    else if (this.badEscape) events.push({ type: 'bad-escape' })
    else if (this.length > 0) events.push({ type: 'frame', frame: this.buffer.slice(0, this.length) })
    // An empty frame (C0 C0) is ignored; it just keeps us in frame mode.
    const wasEmpty = this.length === 0 && this.overflowed === 0 && !this.badEscape
    this.length = 0
    this.escaping = false
    this.overflowed = 0
    this.badEscape = false
    this.inFrame = this.delimiterOnly || wasEmpty
  }

  private flushNoise(events: SlipEvent[]): void {
    if (this.noise.length > 0) {
      events.push({ type: 'noise', bytes: Uint8Array.from(this.noise) })
      this.noise = []
    }
  }
}
