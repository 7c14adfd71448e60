// One way to read and write flash sizes for every option, build file and message.
import { describe, expect, it } from 'vitest'
import { formatFlashSize, isStandardFlashSize, parseFlashSize } from '../../../src/common/esp/flash-size'
import { hex, hexBytes, hexDigits } from '../../../src/common/hex'

const STANDARD = [256 << 10, 512 << 10, 1 << 20, 2 << 20, 4 << 20, 8 << 20, 16 << 20, 32 << 20, 64 << 20, 128 << 20, 256 << 20]

describe('flash sizes', () => {
  it('round-trips every size a flash chip comes in, in both spellings', () => {
    for (const bytes of STANDARD) {
      expect(parseFlashSize(formatFlashSize(bytes))).toBe(bytes)
      expect(parseFlashSize(formatFlashSize(bytes, ' '))).toBe(bytes)
      expect(isStandardFlashSize(bytes)).toBe(true)
    }
  })

  it('writes esptool\'s spelling, and prose with a space', () => {
    expect(formatFlashSize(4 << 20)).toBe('4MB')
    expect(formatFlashSize(512 << 10)).toBe('512KB')
    expect(formatFlashSize(4 << 20, ' ')).toBe('4 MB')
    expect(formatFlashSize(0x180000)).toBe('1536KB')
    expect(formatFlashSize(1000)).toBe('1000bytes')
  })

  it('reads "4MB", "4 MB", "4M", "4mb", "512KB" and "512K"', () => {
    for (const text of ['4MB', '4 MB', '4M', '4mb', ' 4MB ']) expect(parseFlashSize(text), text).toBe(4 << 20)
    for (const text of ['512KB', '512K', '512 kb']) expect(parseFlashSize(text), text).toBe(512 << 10)
  })

  it('refuses what is not a size: keep, detect, bytes, units it does not know, zero', () => {
    for (const text of ['keep', 'detect', '4194304', '4GB', '4 M B', '0MB', '-4MB', '4.5MB', '']) expect(parseFlashSize(text), text).toBeUndefined()
  })

  it('tells sizes flash chips come in from the rest', () => {
    for (const bytes of [0, 128 << 10, 3 << 20, 512 << 20, 0x180000]) expect(isStandardFlashSize(bytes), String(bytes)).toBe(false)
  })
})

describe('hex', () => {
  it('prints addresses with 0x, padded on request, and bytes as digit pairs', () => {
    expect(hex(0x8000)).toBe('0x8000')
    expect(hex(5, 2)).toBe('0x05')
    expect(hex(0x40080400, 8)).toBe('0x40080400')
    expect(hexDigits(0x1a, 4)).toBe('001a')
    expect(hexBytes(Uint8Array.of(0xaa, 0x0b, 0x01), ':')).toBe('aa:0b:01')
    expect(hexBytes(Uint8Array.of(0x9e, 0x10))).toBe('9e10')
  })
})
