// The ICE model of one device from its log, and of PairKit's own peer from its event stream.
import { describe, expect, it } from 'vitest'
import { buildIceModel, IceDeviceModelSchema, IceModel, pairPriority } from '../../../src/common/ice'
import { parseLog, peerEventToLogEvents } from '../../../src/common/logs'
import type { PeerEvent } from '../../../src/common/serverless/peer-events'
import { crlf, fixture } from '../logs/log-helpers'
import { consoleText, HOST_A, HOST_B, juiceRound, romReset, SRFLX_A, SRFLX_B } from './device-log'

function model(text: string) {
  const snapshot = buildIceModel(parseLog(text))
  IceDeviceModelSchema.parse(snapshot)
  return snapshot
}

describe('IceModel from a device log', () => {
  it('the README\'s libjuice output: one session, merged state timeline, local candidates, STUN result', () => {
    const snapshot = model(crlf(fixture('readme-libjuice.txt')))
    expect(snapshot.timeline).toEqual([
      { t: 4776, state: 'gathering', session: 0, sourceLine: 10 },
      { t: 4786, state: 'connecting', session: 0, sourceLine: 12 },
    ])
    expect(snapshot.sessions).toHaveLength(1)
    const session = snapshot.sessions[0]
    expect(session).toMatchObject({ variant: 'libjuice', role: 'controlling', roleLogged: false, localUfrag: 'sGdl', state: 'connecting', connected: false, stun: { server: 'stun.l.google.com:19302', mapped: { address: '185.194.44.31', port: 62703 }, failed: false } })
    expect(session?.local.map((c) => [c.type, c.address, c.port, c.priority, c.key])).toEqual([
      ['host', '192.168.0.40', 62703, 2122317823, 'cand0'],
      ['srflx', '185.194.44.31', 62703, 1686109951, 'cand1'],
    ])
    expect(session?.remote).toEqual([])
    expect(session?.pairs).toEqual([])
  })

  it('the README\'s esp-peer output: its logged pairs as they are, the selected one marked, checks counted', () => {
    const snapshot = model(crlf(fixture('readme-esp-peer.txt')))
    expect(snapshot.timeline.map((entry) => [entry.state, entry.t])).toEqual([
      ['gathering', 13502],
      ['connecting', 21642],
      ['connected', 22422],
      ['completed', 23852],
    ])
    const session = snapshot.sessions[0]
    expect(session).toMatchObject({ variant: 'esp-peer', role: 'controlling', roleLogged: true, connected: true })
    expect(session?.remote.map((c) => c.type)).toEqual(['srflx', 'relay', 'host'])
    // esp-peer does not log its own candidates: they are known from its pairs.
    expect(session?.local.map((c) => [c.type, c.address, c.inferred])).toEqual([
      ['host', '192.168.0.42', true],
      ['srflx', '185.194.44.31', true],
      ['relay', '172.31.6.33', true],
    ])
    expect(session?.pairs.map((pair) => [pair.index, pair.origin, pair.local.address, pair.remote.address, pair.remote.type, pair.selected, pair.checksSent])).toEqual([
      [0, 'logged', '192.168.0.42', '192.168.0.41', 'host', true, 2],
      [1, 'logged', '185.194.44.31', '185.194.44.31', 'srflx', false, 1],
      [2, 'logged', '172.31.6.33', '172.31.6.33', 'relay', false, 1],
    ])
  })

  it('forms libjuice\'s pairs by RFC 8445 once both sides\' candidates are known', () => {
    const text = consoleText(juiceRound({ ufrag: 'Aaaa', remoteUfrag: 'Bbbb', local: [HOST_A, SRFLX_A], remote: [HOST_B, SRFLX_B], outcome: 'connected' }))
    const session = model(text).sessions[0]
    expect(session).toMatchObject({ localUfrag: 'Aaaa', remoteUfrag: 'Bbbb', state: 'completed', connected: true })
    expect(session?.pairs.map((pair) => [`${pair.local.type} ${pair.local.address}`, `${pair.remote.type} ${pair.remote.address}`, pair.priority, pair.origin])).toEqual([
      ['host 192.168.0.40', 'host 10.0.0.7', pairPriority(2122317823, 2122317823).toString(), 'formed'],
      ['host 192.168.0.40', 'srflx 203.0.113.9', pairPriority(2122317823, 1686109951).toString(), 'formed'],
    ])
    // libjuice logs no selected pair: none is claimed.
    expect(session?.pairs.some((pair) => pair.selected)).toBe(false)
  })

  it('keeps a srflx candidate that has its host candidate\'s address (no NAT in between): the device announced both', () => {
    const host = 'a=candidate:1 1 UDP 2122317823 127.0.0.1 55679 typ host'
    const srflx = 'a=candidate:2 1 UDP 1686109951 127.0.0.1 55679 typ srflx raddr 0.0.0.0 rport 0'
    const session = model(consoleText(juiceRound({ ufrag: 'Aaaa', remoteUfrag: 'Bbbb', local: [host, srflx], remote: [HOST_B], outcome: 'connected' }))).sessions[0]
    expect(session?.local.map((c) => [c.type, c.address, c.port])).toEqual([
      ['host', '127.0.0.1', 55679],
      ['srflx', '127.0.0.1', 55679],
    ])
    // Paired from its base, the srflx candidate adds no pair of its own.
    expect(session?.pairs.map((pair) => [pair.local.type, pair.remote.address])).toEqual([['host', '10.0.0.7']])
  })

  it('starts a session per boot, merges an announced reboot with the ROM line that follows it, and bounds what it keeps', () => {
    const lines = [
      ...romReset('power-on'),
      ...juiceRound({ ufrag: 'One1', local: [HOST_A], remote: [HOST_B], outcome: 'checks-failed' }),
      ...romReset('software'),
      ...juiceRound({ ufrag: 'Two2', local: [HOST_A], remote: [HOST_B], outcome: 'connected' }),
    ]
    const snapshot = model(consoleText(lines))
    expect(snapshot.sessions.map((session) => [session.index, session.localUfrag, session.state, session.connected])).toEqual([
      [0, 'One1', 'failed', false],
      [1, 'Two2', 'completed', true],
    ])
    expect(snapshot.reboots.map((reboot) => reboot.cause)).toEqual(['power-on', 'ice-failure'])
    expect(snapshot.timeline.map((entry) => `${entry.session}:${entry.state}`)).toEqual(['0:gathering', '0:connecting', '0:failed', '1:gathering', '1:connecting', '1:connected', '1:completed'])

    const bounded = new IceModel({ maxSessions: 1, maxTimeline: 3 }).applyAll(parseLog(consoleText(lines))).snapshot()
    expect(bounded.sessions.map((session) => session.localUfrag)).toEqual(['Two2'])
    expect(bounded.droppedSessions).toBe(1)
    expect(bounded.timeline).toHaveLength(3)
    expect(bounded.droppedTimeline).toBe(4)
  })
})

describe('IceModel from PairKit\'s own peer', () => {
  const at = 1_700_000_000_000
  const events: PeerEvent[] = [
    { at, type: 'ice-state', state: 'gathering', controlling: false },
    { at: at + 10, type: 'local-candidate', candidate: HOST_B },
    { at: at + 20, type: 'signalling', step: 'sync-done', attempt: 1 },
    { at: at + 30, type: 'remote-candidate', candidate: HOST_A },
    { at: at + 31, type: 'remote-candidate', candidate: SRFLX_A },
    { at: at + 40, type: 'ice-state', state: 'checking', controlling: false, reason: 'remote-is-libjuice' },
    { at: at + 90, type: 'ice-state', state: 'connected', controlling: false },
    { at: at + 91, type: 'selected-pair', local: 'host 10.0.0.7:50123', remote: 'host 192.168.0.40:62703' },
    { at: at + 92, type: 'linked', attempt: 1 },
    { at: at + 40_000, type: 'ice-state', state: 'failed', controlling: false },
    { at: at + 40_001, type: 'ice-state', state: 'gathering', controlling: false },
  ]

  it('feeds the same model: role as logged, host times, selected pair marked, a new round as a new session', () => {
    const snapshot = buildIceModel(events.flatMap(peerEventToLogEvents))
    IceDeviceModelSchema.parse(snapshot)
    expect(snapshot.timeline.map((entry) => [entry.session, entry.state, entry.t, entry.hostTime])).toEqual([
      [0, 'gathering', null, at],
      [0, 'connecting', null, at + 40],
      [0, 'connected', null, at + 90],
      [0, 'failed', null, at + 40_000],
      [1, 'gathering', null, at + 40_001],
    ])
    const session = snapshot.sessions[0]
    expect(session).toMatchObject({ variant: 'pairkit', role: 'controlled', roleLogged: true, connected: true })
    expect(session?.pairs.map((pair) => [pair.local.address, pair.remote.address, pair.selected, pair.priority])).toEqual([
      ['10.0.0.7', '192.168.0.40', true, pairPriority(2122317823, 2122317823).toString()],
      ['10.0.0.7', '185.194.44.31', false, pairPriority(1686109951, 2122317823).toString()],
    ])
  })
})
