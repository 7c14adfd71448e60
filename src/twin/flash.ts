// The SPI NOR flash of the twin, backed by a file so contents survive restarts.
// NOR semantics: erase sets bytes to 0xFF, programming can only clear bits (AND).
import { closeSync, existsSync, fstatSync, openSync, readSync, writeSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { PairKitError } from '../common/errors'

export const SECTOR_SIZE = 0x1000

export class FlashMemory {
  private readonly data: Uint8Array
  private fd: number | undefined

  private constructor(
    readonly size: number,
    data: Uint8Array,
    fd: number | undefined,
  ) {
    this.data = data
    this.fd = fd
  }

  /** Opens (or creates 0xFF-filled) the backing file; a shorter file is padded with 0xFF. */
  static open(path: string, size: number): FlashMemory {
    const created = !existsSync(path)
    const fd = openSync(path, created ? 'w+' : 'r+')
    const data = new Uint8Array(size).fill(0xff)
    const fileSize = fstatSync(fd).size
    if (fileSize > size) {
      closeSync(fd)
      throw new PairKitError('BAD_INPUT', `The flash file ${path} holds ${fileSize} bytes, more than the ${size}-byte flash`, {
        hint: 'Pass a matching --flash-size, or use a new --flash file.',
      })
    }
    if (fileSize > 0) readSync(fd, data, 0, fileSize, 0)
    if (fileSize < size) writeSync(fd, data, fileSize, size - fileSize, fileSize)
    return new FlashMemory(size, data, fd)
  }

  /** A flash that lives only in memory (tests, benchmarks). */
  static inMemory(size: number): FlashMemory {
    return new FlashMemory(size, new Uint8Array(size).fill(0xff), undefined)
  }

  contains(offset: number, length: number): boolean {
    return offset >= 0 && length >= 0 && offset + length <= this.size
  }

  read(offset: number, length: number): Uint8Array {
    return this.data.slice(offset, offset + length)
  }

  /** Programs bytes (AND with what is there, as NOR flash does). */
  program(offset: number, bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length; i++) this.data[offset + i] = (this.data[offset + i] ?? 0xff) & (bytes[i] ?? 0xff)
    this.persist(offset, bytes.length)
  }

  erase(offset: number, length: number): void {
    this.data.fill(0xff, offset, offset + length)
    this.persist(offset, length)
  }

  md5(offset: number, length: number): Uint8Array {
    return new Uint8Array(createHash('md5').update(this.data.subarray(offset, offset + length)).digest())
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd)
    this.fd = undefined
  }

  private persist(offset: number, length: number): void {
    if (this.fd !== undefined && length > 0) writeSync(this.fd, this.data, offset, length, offset)
  }
}
