// Flash operations on a connected Session: write a region (compressed or not) with
// per-block retries, MD5 verify (and where it differs), erase, read back, leave the loader.
import { promisify } from 'node:util'
import { deflate } from 'node:zlib'
import { PairKitError } from '../../common/errors'
import { OPCODES } from '../../common/esp/opcodes'
import { packWords } from '../../common/esp/packet'
import { slipEncode } from '../../common/esp/slip'
import { watchdogResetWrites } from '../../common/flasher/watchdog'
import { hex, hexBytes } from '../../common/hex'
import { wireTimeMs } from '../serial/link'
import { DEFAULT_TIMEOUT_MS } from './loader'
import { CommandFailedError } from './loader-errors'
import { md5Hex } from './block-compare'
import { hardReset } from './reset'
import type { Session } from './session'

const deflateAsync = promisify(deflate)
const SECTOR = 0x1000
const MB = 1 << 20
/** esptool's per-MB allowances: erase while FLASH_BEGIN (ROM), MD5, erase region. */
const ERASE_REGION_MS_PER_MB = 30_000
const MD5_MS_PER_MB = 8_000
const CHIP_ERASE_TIMEOUT_MS = 120_000
const BLOCK_RETRIES = 3

export function timeoutPerMb(msPerMb: number, bytes: number): number {
  return Math.max(DEFAULT_TIMEOUT_MS, Math.ceil((msPerMb * bytes) / MB))
}

/** zlib stream as the stub and ROM inflate it; on libuv's pool so the event loop keeps going. */
export async function compressImage(data: Uint8Array): Promise<Uint8Array> {
  const out = await deflateAsync(data, { level: 9 })
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength)
}

const shared = new WeakMap<Uint8Array, Promise<Uint8Array>>()

/**
 * compressImage(make()) once per `key` (the bytes a part came with): jobs that write one bundle
 * to several devices at once share the work. `make` must depend on `key` alone.
 */
export function compressShared(key: Uint8Array, make: () => Uint8Array): Promise<Uint8Array> {
  let compressing = shared.get(key)
  if (!compressing) {
    compressing = compressImage(make())
    compressing.catch(() => shared.delete(key))
    shared.set(key, compressing)
  }
  return compressing
}

export { md5Hex } from './block-compare'

/** Where the bytes of the block on the wire are: for progress between acknowledgements. */
export interface WireState {
  /** Wire (payload) bytes acknowledged so far in this region. */
  acked: number
  /** Bytes of the block in flight, and when it was handed to the link. */
  inFlight: number
  since: number
}

export interface WriteRegionOptions {
  /** Send FLASH_DEFL_* with this zlib stream (already compressed `data`). */
  compressed?: Uint8Array
  onWire?: (state: WireState) => void
}

export interface RegionWriteStats {
  offset: number
  size: number
  wireBytes: number
  /** From FLASH_*_BEGIN to the last block's acknowledgement. */
  wireSeconds: number
  /** FLASH_*_BEGIN's round trip: the ROM erases the whole range there, the stub as blocks arrive. */
  beginSeconds: number
  /** The blocks' frames at the link's rate (10 bits a byte), the part of wireSeconds no protocol can save. */
  blockWireSeconds: number
}

/** A data frame's bytes besides the block: SLIP ends, command header (8) and data header (16). */
const DATA_FRAME_OVERHEAD = 26

/** FLASH_BEGIN/DATA (or the DEFL_ variants) for one region; no END, no verify. */
export async function writeRegion(session: Session, offset: number, data: Uint8Array, options: WriteRegionOptions = {}): Promise<RegionWriteStats> {
  const loader = session.loader
  const blockSize = session.flashWriteSize
  const compressed = options.compressed
  const payload = compressed ?? data
  const blocks = Math.max(1, Math.ceil(payload.length / blockSize))
  const started = performance.now()
  // The stub erases as it goes and wants the exact size; the ROM erases everything at BEGIN.
  const eraseBlocks = Math.ceil(data.length / blockSize)
  const writeSize = compressed ? (session.isStub ? data.length : eraseBlocks * blockSize) : data.length
  const params = [writeSize, blocks, blockSize, offset]
  if (!session.isStub && session.chip.romFlashBeginEncryptedWord) params.push(0) // ROM "encrypted" word
  const beginTimeout = session.isStub ? DEFAULT_TIMEOUT_MS : timeoutPerMb(ERASE_REGION_MS_PER_MB, writeSize)
  await loader.checkCommand(compressed ? OPCODES.FLASH_DEFL_BEGIN : OPCODES.FLASH_BEGIN, packWords(...params), { timeoutMs: beginTimeout })
  const begun = performance.now()
  let blockWireMs = 0
  const op = compressed ? OPCODES.FLASH_DEFL_DATA : OPCODES.FLASH_DATA
  let acked = 0
  for (let seq = 0; seq < blocks; seq++) {
    let block = payload.subarray(seq * blockSize, (seq + 1) * blockSize)
    if (!compressed && block.length < blockSize) {
      // Uncompressed blocks are always full; the tail is padded with erased-flash 0xFF.
      const padded = new Uint8Array(blockSize).fill(0xff)
      padded.set(block)
      block = padded
    }
    // The stub acknowledges on receipt and writes while the next block arrives, so the
    // allowance covers the wire time of this block plus the previous block's flash write.
    const timeoutMs = DEFAULT_TIMEOUT_MS + wireTimeMs(block.length + 64, session.link.baudRate)
    for (let attempt = 1; ; attempt++) {
      options.onWire?.({ acked, inFlight: block.length, since: performance.now() })
      blockWireMs += wireTimeMs(block.length + DATA_FRAME_OVERHEAD, session.link.baudRate)
      try {
        await loader.dataCommand(op, seq, block, timeoutMs)
        break
      } catch (error) {
        const retryable = (error instanceof CommandFailedError && !error.unsupported) || (error instanceof PairKitError && error.code === 'TIMEOUT')
        if (!retryable || attempt >= BLOCK_RETRIES) throw error
      }
    }
    acked += Math.min(block.length, payload.length - seq * blockSize)
  }
  options.onWire?.({ acked: payload.length, inFlight: 0, since: performance.now() })
  return { offset, size: data.length, wireBytes: payload.length, wireSeconds: (performance.now() - started) / 1000, beginSeconds: (begun - started) / 1000, blockWireSeconds: blockWireMs / 1000 }
}

/** SPI_FLASH_MD5 of a flash range, as lower-case hex. */
export async function flashMd5(session: Session, offset: number, size: number): Promise<string> {
  const { data } = await session.loader.checkCommand(OPCODES.SPI_FLASH_MD5, packWords(offset, size, 0, 0), { timeoutMs: timeoutPerMb(MD5_MS_PER_MB, size) })
  // The stub answers 16 raw bytes, the ROM 32 ASCII hex characters.
  if (data.length >= 32) return new TextDecoder().decode(data.subarray(0, 32)).toLowerCase()
  if (data.length >= 16) return hexBytes(data.subarray(0, 16))
  throw new PairKitError('ROM_STATUS', `the chip sent a malformed MD5 answer (${data.length} bytes)`)
}

/** After an MD5 mismatch: bisect with MD5s of halves to the first differing 4 KiB sector. */
export async function firstDifferingSector(session: Session, offset: number, expected: Uint8Array): Promise<number> {
  let low = 0
  let high = Math.ceil(expected.length / SECTOR)
  while (high - low > 1) {
    const mid = low + Math.floor((high - low) / 2)
    const start = low * SECTOR
    const end = Math.min(mid * SECTOR, expected.length)
    const same = (await flashMd5(session, offset + start, end - start)) === md5Hex(expected.subarray(start, end))
    if (same) low = mid
    else high = mid
  }
  return offset + low * SECTOR
}

export async function eraseAll(session: Session): Promise<void> {
  if (!session.isStub) throw new PairKitError('UNAVAILABLE', 'erasing the whole flash needs the flasher stub', { hint: 'Erase with the flasher stub, which PairKit uses unless told not to.' })
  await session.loader.checkCommand(OPCODES.ERASE_FLASH, new Uint8Array(0), { timeoutMs: CHIP_ERASE_TIMEOUT_MS })
}

export async function eraseRegion(session: Session, offset: number, size: number): Promise<void> {
  if (offset % SECTOR !== 0 || size % SECTOR !== 0) {
    throw new PairKitError('BAD_INPUT', `erase region ${hex(offset)}:${hex(size)} is not aligned to 4 KiB sectors`)
  }
  const timeoutMs = timeoutPerMb(ERASE_REGION_MS_PER_MB, size)
  if (session.isStub) await session.loader.checkCommand(OPCODES.ERASE_REGION, packWords(offset, size), { timeoutMs })
  else {
    // The ROM has no ERASE_REGION; FLASH_BEGIN erases the range it announces.
    const params = [size, 0, session.flashWriteSize, offset]
    if (session.chip.romFlashBeginEncryptedWord) params.push(0)
    await session.loader.checkCommand(OPCODES.FLASH_BEGIN, packWords(...params), { timeoutMs })
  }
}

/**
 * Reads flash, checked by MD5 both ways: the stub streams packets we acknowledge, then its
 * MD5; the ROM answers 64 bytes at a time, then SPI_FLASH_MD5 of the range (every ESP32-family
 * ROM has it; esptool's read_flash --no-stub skips this check).
 */
export async function readFlash(session: Session, offset: number, size: number, onBytes?: (done: number) => void): Promise<Uint8Array> {
  const out = new Uint8Array(size)
  const loader = session.loader
  const damaged = () =>
    new PairKitError('VERIFY_FAILED', `read-back of 0x${offset.toString(16)}+0x${size.toString(16)} arrived damaged (MD5 mismatch)`, {
      hint: 'Read again; if it repeats, lower the baud rate or use a shorter cable.',
    })
  if (!session.isStub) {
    for (let at = 0; at < size; at += 64) {
      const length = Math.min(64, size - at)
      const { data } = await loader.checkCommand(OPCODES.READ_FLASH_SLOW, packWords(offset + at, 64))
      if (data.length < length) throw new PairKitError('ROM_STATUS', `short read at 0x${(offset + at).toString(16)}`)
      out.set(data.subarray(0, length), at)
      onBytes?.(at + length)
    }
    // READ_FLASH_SLOW answers carry no checksum: a bit flipped on the line would go unseen.
    if ((await flashMd5(session, offset, size)) !== md5Hex(out)) throw damaged()
    return out
  }
  const packetSize = 0x1000
  await loader.checkCommand(OPCODES.READ_FLASH, packWords(offset, size, packetSize, 64))
  let received = 0
  const packetTimeout = DEFAULT_TIMEOUT_MS + wireTimeMs(packetSize * 2, session.link.baudRate)
  while (received < size) {
    const frame = await loader.nextFrame(packetTimeout)
    if (!frame) throw new PairKitError('TIMEOUT', `reading flash stalled at 0x${(offset + received).toString(16)}: check the cable and retry`)
    if (frame.length > size - received) throw new PairKitError('ROM_STATUS', `the chip sent more flash data than asked for (${frame.length} bytes at 0x${(offset + received).toString(16)})`)
    out.set(frame, received)
    received += frame.length
    await loader.link.write(slipEncode(packWords(received)))
    onBytes?.(received)
  }
  const digest = await loader.nextFrame(DEFAULT_TIMEOUT_MS)
  const expected = md5Hex(out)
  const got = digest && digest.length === 16 ? hexBytes(digest) : undefined
  if (got !== expected) throw damaged()
  return out
}

export type AfterMode = 'hard-reset' | 'watchdog-reset' | 'no-reset' | 'bootloader'

/** Leaves the loader: tell the stub the flash writes are done (when there were any), then reset as asked. */
export async function finish(session: Session, after: AfterMode, compressedUsed: boolean, wrote = true): Promise<string> {
  const loader = session.loader
  if (session.isStub && wrote) {
    // esptool: an empty FLASH_BEGIN then *_END(reboot=false) so the stub flushes its last write.
    try {
      await loader.checkCommand(OPCODES.FLASH_BEGIN, packWords(0, 0, session.flashWriteSize, 0))
      await loader.checkCommand(compressedUsed ? OPCODES.FLASH_DEFL_END : OPCODES.FLASH_END, packWords(1))
    } catch (error) {
      if (!(error instanceof CommandFailedError)) throw error
    }
  }
  if (after === 'no-reset' || after === 'bootloader') return 'the chip stays in the bootloader'
  if (after === 'watchdog-reset') {
    const writes = watchdogResetWrites(session.chip)
    if (writes) {
      for (const [address, value] of writes) {
        try {
          await loader.writeReg(address, value)
        } catch {
          // The reset may hit before the answer to the last write leaves the chip.
        }
      }
      return 'the chip was reset by its watchdog and runs the app'
    }
  }
  if (!session.link.info.controlLines) return `the chip was not reset (${session.link.info.url} has no DTR/RTS): press EN to start the app`
  await hardReset(session.link, session.resetKind === 'usb-jtag')
  return 'the chip was reset and runs the app'
}
