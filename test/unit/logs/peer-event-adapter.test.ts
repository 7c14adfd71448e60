// PairKit's own peer's events as log events: the same kinds and names a device's log gives.
import { describe, expect, it } from 'vitest'
import { LogEventSchema, peerEventToLogEvents } from '../../../src/common/logs'
import { PeerEventSchema, type PeerEvent } from '../../../src/common/serverless/peer-events'
import { fields } from './log-helpers'

const at = 1_700_000_000_000

function adapt(event: PeerEvent) {
  PeerEventSchema.parse(event)
  const events = peerEventToLogEvents(event)
  for (const item of events) {
    LogEventSchema.parse(item)
    expect(item.hostTime).toBe(at)
    expect(item.format).toBe('pairkit')
  }
  return events.map(fields)
}

describe('peerEventToLogEvents', () => {
  it('maps signalling steps onto the firmware\'s, failures with the firmware\'s reasons', () => {
    expect(adapt({ at, type: 'signalling', step: 'connecting', attempt: 1, detail: 'mqtt://127.0.0.1:1883' })).toEqual([{ kind: 'signalling', t: null, format: 'pairkit', event: 'connecting', url: 'mqtt://127.0.0.1:1883' }])
    expect(adapt({ at, type: 'signalling', step: 'subscribed', attempt: 1 })).toEqual([{ kind: 'signalling', t: null, format: 'pairkit', event: 'waiting' }])
    expect(adapt({ at, type: 'signalling', step: 'sync-done', attempt: 1 }).map((e) => e.event)).toEqual(['sync-done'])
    expect(adapt({ at, type: 'signalling', step: 'description-received', attempt: 1 }).map((e) => e.event)).toEqual(['description-received'])
    expect(adapt({ at, type: 'signalling', step: 'sync-ping', attempt: 1 })).toEqual([])
    const reason = (detail: string) => adapt({ at, type: 'signalling', step: 'failed', attempt: 1, detail })[0]?.reason
    expect(reason('The other peer did not answer the sync handshake within 61 s')).toBe('sync-timeout')
    expect(reason("The other peer's description did not arrive within 10 s of the sync")).toBe('description-timeout')
    expect(reason('Failed to connect to the sync broker: connect ECONNREFUSED 127.0.0.1:1883')).toBe('broker-unreachable')
    expect(reason('The signalling broker closed the connection during the handshake')).toBe('sync-lost')
    expect(reason('something else')).toBe('other')
  })

  it('maps ICE states, candidates and the selected pair', () => {
    expect(adapt({ at, type: 'ice-state', state: 'checking', controlling: true })).toEqual([{ kind: 'ice-state', t: null, format: 'pairkit', state: 'connecting', controlling: true }])
    expect(adapt({ at, type: 'ice-state', state: 'closed', controlling: false }).map((e) => e.state)).toEqual(['disconnected'])
    expect(adapt({ at, type: 'local-candidate', candidate: 'a=candidate:1 1 UDP 2122317823 10.0.0.7 50123 typ host' })).toEqual([
      { kind: 'candidate', t: null, format: 'pairkit', side: 'local', foundation: '1', component: 1, transport: 'UDP', priority: 2122317823, address: '10.0.0.7', port: 50123, type: 'host' },
    ])
    expect(adapt({ at, type: 'selected-pair', local: 'host 10.0.0.7:50123', remote: 'srflx 203.0.113.9:41000' })).toEqual([
      { kind: 'selected-pair', t: null, format: 'pairkit', remote: { address: '203.0.113.9', port: 41000 }, remoteType: 'srflx', local: { address: '10.0.0.7', port: 50123 }, localType: 'host' },
    ])
  })

  it('maps the link, messages, drops, the STUN warning and errors', () => {
    expect(adapt({ at, type: 'linked', attempt: 1 }).map((e) => e.event)).toEqual(['connected'])
    expect(adapt({ at, type: 'unlinked', reason: 'x' }).map((e) => e.event)).toEqual(['disconnected'])
    expect(adapt({ at, type: 'message', direction: 'from-peer', topic: 'a/b', bytes: 3 })).toEqual([{ kind: 'forward', t: null, format: 'pairkit', direction: 'from-peer', topic: 'a/b' }])
    expect(adapt({ at, type: 'message', direction: 'local', topic: 'a/b', bytes: 3 })).toEqual([])
    expect(adapt({ at, type: 'drop', direction: 'to-peer', reason: 'not-linked', count: 4, bytes: 40, topic: 'a/b', detail: 'no link' })).toEqual([
      { kind: 'drop', t: null, format: 'pairkit', reason: 'not-linked', direction: 'to-peer', topic: 'a/b', count: 4 },
    ])
    expect(adapt({ at, type: 'warning', code: 'stun-no-answer', message: 'The STUN server did not answer' }).map((e) => [e.kind, e.event])).toEqual([['stun', 'binding-failed']])
    expect(adapt({ at, type: 'error', code: 'TIMEOUT', message: 'ICE found no working candidate pair within 40 s' }).map((e) => [e.kind, e.event ?? e.message])).toEqual([
      ['error', 'TIMEOUT: ICE found no working candidate pair within 40 s'],
      ['ice', 'timer-expired'],
    ])
    expect(adapt({ at, type: 'broker', url: 'mqtt://127.0.0.1:1883', embedded: true })).toEqual([{ kind: 'broker', t: null, format: 'pairkit', event: 'running', port: 1883 }])
  })
})
