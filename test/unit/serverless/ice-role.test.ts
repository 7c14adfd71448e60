import { describe, expect, it } from 'vitest'
import { chooseIceRole } from '../../../src/common/serverless/ice-role'
import { classifySignal, type RemoteDescription } from '../../../src/common/serverless/signal-message'

const DESC = 'a=ice-ufrag:sGdl\r\na=ice-pwd:R4IPGsFctITbT1dCZbfQTL\r\na=ice-options:ice2,trickle\r\n'

function remote(candidates: string[]): RemoteDescription {
  const object: Record<string, string> = { desc: DESC }
  candidates.forEach((line, index) => (object[`cand${index}`] = line))
  const message = classifySignal(new TextEncoder().encode(JSON.stringify(object)), 't')
  if (message.kind !== 'description') throw new Error(`not a description: ${JSON.stringify(message)}`)
  return message.remote
}

// The ESP's own lines (reference §3.5) and a PairKit/werift line (hex foundation).
const esp = remote(['a=candidate:1 1 UDP 2122317823 192.168.0.40 62703 typ host', 'a=candidate:2 1 UDP 1686109951 185.194.44.31 62703 typ srflx raddr 0.0.0.0 rport 0'])
const pairkit = remote(['a=candidate:fa88176589df222a501a05c0a 1 UDP 2116026367 10.0.1.2 39293 typ host'])

describe('ICE role', () => {
  it('is controlled against a libjuice peer in both firmware roles', () => {
    expect(chooseIceRole(1, esp)).toEqual({ controlling: false, reason: 'remote-is-libjuice' })
    expect(chooseIceRole(2, esp)).toEqual({ controlling: false, reason: 'remote-is-libjuice' })
  })

  it('makes exactly one of two PairKit peers controlling: PEER1', () => {
    expect(chooseIceRole(1, pairkit).controlling).toBe(true)
    expect(chooseIceRole(2, pairkit).controlling).toBe(false)
  })

  it('treats a description without candidates as non-libjuice', () => {
    expect(chooseIceRole(1, remote([])).reason).toBe('pairkit-peer1')
  })
})
