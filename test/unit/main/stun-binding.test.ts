import { describe, expect, it } from 'vitest'
import { parseMessage } from 'werift-ice'
import { bindingResponse } from '../../../src/main/peer/stun-server'
import { hex, randomBytes, seededRandom } from '../serverless/seeded-random'

// A Binding request with no attributes (RFC 5769 style header, transaction id 0x01..0x0c).
const REQUEST = hex('00 01 00 00 21 12 a4 42 01 02 03 04 05 06 07 08 09 0a 0b 0c')

describe('STUN binding server', () => {
  it('answers with the XOR-mapped address that an independent STUN parser reads', () => {
    const response = bindingResponse(REQUEST, '192.0.2.1', 32853) as Uint8Array
    expect([...response.subarray(0, 2)]).toEqual([0x01, 0x01])
    expect([...response.subarray(8, 20)]).toEqual([...REQUEST.subarray(8, 20)])
    // XOR-MAPPED-ADDRESS of 192.0.2.1:32853 (RFC 5769 §2.2 example values).
    expect([...response.subarray(24, 32)]).toEqual([0x00, 0x01, 0xa1, 0x47, 0xe1, 0x12, 0xa6, 0x43])
    const parsed = parseMessage(Buffer.from(response))
    expect(parsed?.getAttributeValue('XOR-MAPPED-ADDRESS')).toEqual(['192.0.2.1', 32853])
  })

  it('ignores anything that is not a well-formed Binding request', () => {
    expect(bindingResponse(REQUEST.subarray(0, 19), '1.2.3.4', 1)).toBeUndefined()
    const response = REQUEST.slice()
    response[1] = 0x01
    response[0] = 0x01
    expect(bindingResponse(response, '1.2.3.4', 1)).toBeUndefined()
    const badCookie = REQUEST.slice()
    badCookie[4] = 0
    expect(bindingResponse(badCookie, '1.2.3.4', 1)).toBeUndefined()
    const random = seededRandom(3)
    for (let i = 0; i < 2000; i++) expect(() => bindingResponse(randomBytes(random, Math.floor(random() * 40)), '1.2.3.4', 1)).not.toThrow()
  })
})
