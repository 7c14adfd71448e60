// Both devices of a pair on one view: A's local candidates are B's remote ones.
import { describe, expect, it } from 'vitest'
import { buildIceModel, joinPair } from '../../../src/common/ice'
import { parseLog, peerEventToLogEvents } from '../../../src/common/logs'
import type { PeerEvent } from '../../../src/common/serverless/peer-events'
import { consoleText, HOST_A, HOST_B, juiceRound, romReset, SRFLX_A, SRFLX_B } from './device-log'

const RELAY_A = 'a=candidate:3 1 UDP 16777215 198.51.100.1 3478 typ relay raddr 0.0.0.0 rport 0'

function device(lines: string[]) {
  return buildIceModel(parseLog(consoleText(lines)))
}

describe('joinPair', () => {
  it('matches the two devices\' sessions by ufrag and shows which candidates arrived', () => {
    // A (PEER1) offered a relay candidate B never got; B's older boot had other ufrags.
    const a = device(juiceRound({ role: 1, ufrag: 'AAAA', remoteUfrag: 'BBBB', local: [HOST_A, SRFLX_A, RELAY_A], remote: [HOST_B, SRFLX_B], outcome: 'connected' }))
    const b = device([
      ...juiceRound({ role: 2, ufrag: 'OLD0', remoteUfrag: 'XXXX', local: [HOST_B], remote: [HOST_A], outcome: 'checks-failed' }),
      ...romReset('software'),
      ...juiceRound({ role: 2, ufrag: 'BBBB', remoteUfrag: 'AAAA', local: [HOST_B, SRFLX_B], remote: [HOST_A, SRFLX_A], outcome: 'connected' }),
      ...romReset('software'),
      ...juiceRound({ role: 2, ufrag: 'NEW0', remoteUfrag: 'YYYY', local: [HOST_B], outcome: 'sync-timeout' }),
    ])
    const view = joinPair({ name: 'A', model: a }, { name: 'B', model: b })
    expect(view.b.session?.localUfrag).toBe('BBBB')
    expect(view.sameRound).toBe(true)
    expect(view.aToB.map((row) => [row.candidate.type, row.received])).toEqual([
      ['host', true],
      ['srflx', true],
      ['relay', false],
    ])
    expect(view.bToA.map((row) => [row.candidate.type, row.received])).toEqual([
      ['host', true],
      ['srflx', true],
    ])
    expect(view.unknownAtA).toEqual([])
    expect(view.unknownAtB).toEqual([])
    expect(view.pairs.map((pair) => `${pair.local.type}→${pair.remote.type}`)).toEqual(['host→host', 'host→srflx', 'relay→host', 'relay→srflx'])
  })

  it('without matching ufrags takes each side\'s latest session and says they are not one round', () => {
    const a = device(juiceRound({ ufrag: 'AAAA', remoteUfrag: 'BBBB', local: [HOST_A], remote: [HOST_B], outcome: 'connected' }))
    const b = device(juiceRound({ role: 2, ufrag: 'CCCC', remoteUfrag: 'DDDD', local: [HOST_B], remote: ['a=candidate:1 1 UDP 2122317823 192.168.9.9 1234 typ host'], outcome: 'connected' }))
    const view = joinPair({ name: 'A', model: a }, { name: 'B', model: b })
    expect(view.sameRound).toBe(false)
    expect(view.b.session?.localUfrag).toBe('CCCC')
    expect(view.aToB.map((row) => row.received)).toEqual([false])
    expect(view.unknownAtB.map((candidate) => candidate.address)).toEqual(['192.168.9.9'])
  })

  it('marks on A\'s pairs the pair B (PairKit\'s peer) selected, seen from A', () => {
    const a = device(juiceRound({ ufrag: 'AAAA', local: [HOST_A, SRFLX_A], remote: [HOST_B, SRFLX_B], outcome: 'connected' }))
    const at = 1_700_000_000_000
    const peer: PeerEvent[] = [
      { at, type: 'ice-state', state: 'gathering', controlling: false },
      { at, type: 'local-candidate', candidate: HOST_B },
      { at, type: 'local-candidate', candidate: SRFLX_B },
      { at, type: 'remote-candidate', candidate: HOST_A },
      { at, type: 'remote-candidate', candidate: SRFLX_A },
      { at, type: 'ice-state', state: 'connected', controlling: false },
      { at, type: 'selected-pair', local: 'srflx 203.0.113.9:41000', remote: 'srflx 185.194.44.31:62703' },
    ]
    const b = buildIceModel(peer.flatMap(peerEventToLogEvents))
    const view = joinPair({ name: 'A', model: a }, { name: 'laptop', model: b })
    expect(view.pairs.map((pair) => [`${pair.local.address}→${pair.remote.address}`, pair.selectedBy])).toEqual([
      ['192.168.0.40→10.0.0.7', []],
      ['192.168.0.40→203.0.113.9', ['b']],
    ])
  })
})
