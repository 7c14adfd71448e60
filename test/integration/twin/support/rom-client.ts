// A minimal host side of the serial bootloader protocol over any byte pipe, for tests that
// need ROM-mode flashing or raw boot-log capture. PairKit's real flasher lives elsewhere.
import { OPCODES } from '../../../../src/common/esp/opcodes'
import { checksum, decodeResponse, encodeDataBlock, encodeRequest, packWords, SYNC_PAYLOAD } from '../../../../src/common/esp/packet'
import { SlipDecoder, slipEncode } from '../../../../src/common/esp/slip'

export interface BytePipe {
  write(bytes: Uint8Array): void
  onData(listener: (bytes: Uint8Array) => void): void
}

export class RomClient {
  private readonly slip = new SlipDecoder()
  private waiting: { op: number; resolve: (r: { value: number; data: Uint8Array }) => void } | undefined
  text = ''

  constructor(private readonly pipe: BytePipe) {
    pipe.onData((bytes) => {
      for (const event of this.slip.push(bytes)) {
        if (event.type === 'noise') this.text += new TextDecoder().decode(event.bytes)
        if (event.type !== 'frame') continue
        const decoded = decodeResponse(event.frame)
        if (decoded.ok && this.waiting && decoded.value.op === this.waiting.op) {
          const waiting = this.waiting
          this.waiting = undefined
          waiting.resolve(decoded.value)
        }
      }
    })
  }

  command(op: number, data: Uint8Array = new Uint8Array(0), check = 0, timeoutMs = 2000): Promise<{ value: number; data: Uint8Array }> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting = undefined
        reject(new Error(`no answer to op 0x${op.toString(16)}`))
      }, timeoutMs)
      this.waiting = { op, resolve: (r) => (clearTimeout(timer), resolve(r)) }
      this.pipe.write(slipEncode(encodeRequest(op, data, check)))
    })
  }

  async sync(attempts = 10): Promise<number> {
    for (let i = 0; i < attempts; i++) {
      try {
        const answer = await this.command(OPCODES.SYNC, SYNC_PAYLOAD, 0, 200)
        await new Promise((resolve) => setTimeout(resolve, 50)) // let the 7 copies pass
        return answer.value
      } catch {
        // retry, as esptool does
      }
    }
    throw new Error('no SYNC answer')
  }

  /** ROM-mode uncompressed write (1 KiB blocks, padded with 0xFF as esptool does). */
  async writeFlashRom(offset: number, image: Uint8Array): Promise<void> {
    await this.command(OPCODES.SPI_ATTACH, packWords(0, 0))
    const block = 0x400
    const blocks = Math.ceil(image.length / block)
    await this.expectOk(OPCODES.FLASH_BEGIN, packWords(image.length, blocks, block, offset))
    for (let seq = 0; seq < blocks; seq++) {
      const chunk = new Uint8Array(block).fill(0xff)
      chunk.set(image.subarray(seq * block, seq * block + block))
      await this.expectOk(OPCODES.FLASH_DATA, encodeDataBlock(seq, chunk), checksum(chunk))
    }
  }

  async md5Rom(offset: number, length: number): Promise<string> {
    const answer = await this.expectOk(OPCODES.SPI_FLASH_MD5, packWords(offset, length, 0, 0))
    return new TextDecoder().decode(answer.data.subarray(0, 32))
  }

  private async expectOk(op: number, data: Uint8Array, check = 0): Promise<{ value: number; data: Uint8Array }> {
    const answer = await this.command(op, data, check)
    const status = answer.data[answer.data.length - 4]
    if (status !== 0) throw new Error(`op 0x${op.toString(16)} failed: ${Array.from(answer.data.subarray(-4)).join(',')}`)
    return answer
  }
}
