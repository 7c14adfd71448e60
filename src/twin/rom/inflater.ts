// Incremental zlib inflate for FLASH_DEFL_DATA blocks (the stream spans many packets).
import { Unzlib } from 'fflate'

export class BlockInflater {
  private readonly stream: Unzlib
  private output: Uint8Array[] = []
  finished = false

  constructor() {
    this.stream = new Unzlib((chunk, final) => {
      this.output.push(chunk)
      if (final) this.finished = true
    })
  }

  /** Inflates one compressed block; throws on a corrupt stream. */
  push(chunk: Uint8Array): Uint8Array {
    this.output = []
    this.stream.push(chunk, false)
    const total = this.output.reduce((sum, part) => sum + part.length, 0)
    const out = new Uint8Array(total)
    let at = 0
    for (const part of this.output) {
      out.set(part, at)
      at += part.length
    }
    return out
  }
}
