import { describe, expect, it } from 'vitest'
import { nvsCrc32 } from '../../../src/common/nvs'

describe('NVS CRC32', () => {
  it('gives the ESP-IDF check value, not the standard CRC-32', () => {
    expect(nvsCrc32(new TextEncoder().encode('123456789'))).toBe(0xd202d277)
  })

  it('maps empty and all-zero input to 0xFFFFFFFF', () => {
    expect(nvsCrc32(new Uint8Array(0))).toBe(0xffffffff)
    expect(nvsCrc32(new Uint8Array(1))).toBe(0xffffffff)
    expect(nvsCrc32(new Uint8Array(32))).toBe(0xffffffff)
  })

  it('reproduces the page header CRCs of the format reference', () => {
    const header = (sequence: number, version: number) => {
      const bytes = new Uint8Array(24).fill(0xff)
      new DataView(bytes.buffer).setUint32(0, sequence, true)
      bytes[4] = version
      return nvsCrc32(bytes)
    }
    expect([0, 1, 2, 3, 4].map((sequence) => header(sequence, 0xfe))).toEqual([0xb9ba2d84, 0x389f48a3, 0x6081e18b, 0xe1a484ac, 0xd0bcb3db])
    expect(header(0, 0xff)).toBe(0xdcdd16c2)
  })
})
