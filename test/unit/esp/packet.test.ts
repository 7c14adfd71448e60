import { describe, expect, it } from 'vitest'
import { checksum, decodeRequest, decodeResponse, encodeRequest, encodeResponse, packWords } from '../../../src/common/esp/packet'
import { describeOpcode } from '../../../src/common/esp/opcodes'
import { describeStatusError } from '../../../src/common/esp/status'
import { chipByMagic, chipBySecurityId, formatMac, macFromEfuseWords } from '../../../src/common/esp/chips'
import { flashSizeFromJedec } from '../../../src/common/esp/flash-id'

describe('ESP packets', () => {
  it('encodes READ_REG of the magic register as esptool does', () => {
    expect(Buffer.from(encodeRequest(0x0a, packWords(0x40001000))).toString('hex')).toBe('000a04000000000000100040')
  })

  it('decodes a real ESP32 READ_REG answer (esptool trace)', () => {
    const decoded = decodeResponse(Buffer.from('010a0400831df00000000000', 'hex'))
    expect(decoded.ok && decoded.value.value).toBe(0x00f01d83)
    expect(chipByMagic(0x00f01d83)?.displayName).toBe('ESP32')
  })

  it('computes the XOR checksum seeded with 0xEF', () => {
    expect(checksum(Uint8Array.of())).toBe(0xef)
    expect(checksum(Uint8Array.of(0xef))).toBe(0)
    expect(checksum(Uint8Array.of(1, 2, 4))).toBe(0xef ^ 7)
  })

  it('rejects a frame whose length field disagrees, with a reason', () => {
    const frame = encodeRequest(0x08, new Uint8Array(4))
    frame[2] = 9
    const decoded = decodeRequest(frame)
    expect(decoded.ok).toBe(false)
    expect(!decoded.ok && decoded.reason).toBe('length')
    expect(decodeRequest(encodeResponse(8, 0, new Uint8Array(2))).ok).toBe(false)
  })

  it('names opcodes and status codes from the tables', () => {
    expect(describeOpcode(0x11)).toBe('FLASH_DEFL_DATA (0x11)')
    expect(describeStatusError(0xc1)).toBe('0xc1 (bad data checksum)')
    expect(chipBySecurityId(5)?.name).toBe('esp32c3')
    expect(chipBySecurityId(0)).toBeUndefined()
  })

  it('unpacks the MAC from eFuse words (reference worked example) and the flash size from RDID', () => {
    expect(formatMac(macFromEfuseWords(0x11223344, 0x0000aabb))).toBe('aa:bb:11:22:33:44')
    expect(flashSizeFromJedec(0x1640ef)).toBe(4 << 20)
  })
})
