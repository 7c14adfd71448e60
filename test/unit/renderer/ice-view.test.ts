// The ICE and Monitor views' words: what a pair or a device is to pick, the pair in use (as logged,
// or most probably for libjuice, which does not log it), a merged timeline, the handshake in words,
// and a monitor session's state.
import { describe, expect, it } from 'vitest'
import type { Device, MonitorSession, SignallingMessage } from '../../../src/common/contract'
import type { IceSession, ModelPair } from '../../../src/common/ice'
import { mergedTimeline, selectedPair, signallingSummary } from '../../../src/renderer/src/data/ice-view'
import { monitorStatusView } from '../../../src/renderer/src/data/monitor-status'
import { chooseTarget, siteOf, targetChoices, targetDevices } from '../../../src/renderer/src/data/targets'

const probe = { port: 'x', chip: 'esp32', features: [], stub: true, baud: 115200, notes: [], partitionTable: [] }
function device(id: string, pairId?: string, role?: 1 | 2, probedAt = 1): Device {
  return { id, kind: 'rfc2217', presence: 'reachable', facts: { probedAt, chip: 'esp32', ...(pairId ? { pairId } : {}), ...(role ? { role } : {}), probe } }
}

describe('targets', () => {
  it('offers each pair with its two sides, then every device', () => {
    const choices = targetChoices([device('rfc2217://h:1', 'p1', 2), device('rfc2217://h:2', 'p1', 1), device('rfc2217://h:3')])
    expect(choices.pairs).toEqual([{ key: 'pair:p1', label: 'Pair p1: site A rfc2217://h:2, site B rfc2217://h:1', target: { kind: 'pair', pairId: 'p1', a: 'rfc2217://h:2', b: 'rfc2217://h:1' } }])
    expect(choices.devices.map((choice) => choice.key)).toEqual(['device:rfc2217://h:1', 'device:rfc2217://h:2', 'device:rfc2217://h:3'])
    const pair = choices.pairs[0]!.target
    expect(targetDevices(pair)).toEqual(['rfc2217://h:2', 'rfc2217://h:1'])
    expect(siteOf(pair, 'rfc2217://h:1')).toBe('B')
    expect(chooseTarget(choices, 'device:rfc2217://h:3')?.key).toBe('device:rfc2217://h:3')
    expect(chooseTarget(choices, 'device:gone')?.key).toBe('pair:p1')
  })

  it('takes the later probe when two devices claim one side, as the backend does', () => {
    const choices = targetChoices([device('rfc2217://old:1', 'p1', 1, 5), device('rfc2217://new:1', 'p1', 1, 9)])
    expect(choices.pairs[0]?.target).toEqual({ kind: 'pair', pairId: 'p1', a: 'rfc2217://new:1' })
    expect(choices.pairs[0]?.label).toBe('Pair p1: site A rfc2217://new:1, site B (no device)')
  })
})

const pair = (local: [string, number, string], remote: [string, number, string], extra: Partial<ModelPair> = {}): ModelPair => ({
  local: { address: local[0], port: local[1], type: local[2] as 'host' },
  remote: { address: remote[0], port: remote[1], type: remote[2] as 'host' },
  priority: '1', origin: 'formed', selected: false, checksSent: 0, ...extra,
})
const session = (pairs: ModelPair[], extra: Partial<IceSession> = {}): IceSession => ({
  index: 0, variant: 'libjuice', role: 'controlling', roleLogged: false, roleConflict: false, state: 'connected', connected: true, local: [], remote: [], pairs, stun: { failed: false }, ...extra,
})

describe('the selected pair', () => {
  it('is the one the log marks', () => {
    const pairs = [pair(['10.0.0.2', 1, 'host'], ['10.0.0.3', 2, 'host']), pair(['10.0.0.2', 1, 'host'], ['1.2.3.4', 5, 'srflx'], { selected: true })]
    expect(selectedPair(session(pairs, { variant: 'esp-peer' }))).toEqual({ index: 1, logged: true })
  })

  it('for a connected libjuice session, the highest pair that can work: a host pair only within one network', () => {
    const behindNats = [pair(['192.168.0.40', 1, 'host'], ['10.0.0.7', 2, 'host']), pair(['192.168.0.40', 1, 'host'], ['203.0.113.9', 3, 'srflx'])]
    expect(selectedPair(session(behindNats))).toEqual({ index: 1, logged: false })
    const oneLan = [pair(['192.168.0.40', 1, 'host'], ['192.168.0.41', 2, 'host']), pair(['192.168.0.40', 1, 'host'], ['203.0.113.9', 3, 'srflx'])]
    expect(selectedPair(session(oneLan))).toEqual({ index: 0, logged: false })
    expect(selectedPair(session([pair(['127.0.0.1', 1, 'host'], ['127.0.0.1', 2, 'host'])]))).toEqual({ index: 0, logged: false })
  })

  it('is not guessed before the session connected, nor for other agents', () => {
    const pairs = [pair(['127.0.0.1', 1, 'host'], ['127.0.0.1', 2, 'host'])]
    expect(selectedPair(session(pairs, { connected: false, state: 'connecting' }))).toBeUndefined()
    expect(selectedPair(session(pairs, { variant: 'pairkit' }))).toBeUndefined()
    expect(selectedPair(undefined)).toBeUndefined()
  })
})

describe('a pair\'s timeline and signalling', () => {
  it('merges both devices\' state changes by this computer\'s time', () => {
    const merged = mergedTimeline([{ t: 1, hostTime: 30, state: 'connected', session: 0 }], [{ t: 5, hostTime: 10, state: 'gathering', session: 0 }, { t: 9, hostTime: 40, state: 'connected', session: 0 }])
    expect(merged.map((entry) => `${entry.site} ${entry.state}`)).toEqual(['B gathering', 'A connected', 'B connected'])
  })

  it('says what each handshake step and description is', () => {
    const message = (body: SignallingMessage['message'], from: 1 | 2): SignallingMessage => ({ pairId: 'p', at: 0, topic: 't', from, bytes: 1, retained: false, message: body })
    expect(signallingSummary(message({ kind: 'handshake', step: '0' }, 1))).toBe('Site A asks whether site B is there ("0")')
    expect(signallingSummary(message({ kind: 'handshake', step: '1' }, 2))).toBe('Site B answers that it is there ("1")')
    expect(signallingSummary(message({ kind: 'description', ufrag: 'ab12', pwd: 'x', candidates: [{ line: 'l', type: 'host', address: '1.2.3.4', port: 5, priority: 1 }], rejected: [] }, 2))).toBe("Site B's description: ufrag ab12, 1 candidate")
    expect(signallingSummary(message({ kind: 'rejected', reason: 'not-json', detail: 'the payload is not JSON' }, 1))).toBe('Not for the firmware (not-json): the payload is not JSON')
  })
})

describe('a monitor session\'s state', () => {
  const base: Omit<MonitorSession, 'status'> = { sessionId: 's', deviceId: 'd', baud: 115200, reset: false, autoResume: true, startedAt: 0, counters: { bytes: 0, lines: 0, spooledBytes: 0, unspooledBytes: 0 } }
  it('names who has the port, why it ended, and whether it can resume', () => {
    const at = new Date(2030, 0, 1, 14, 2, 33).getTime()
    expect(monitorStatusView({ ...base, status: { state: 'yielded', since: at, to: 'flash' } }, at)).toMatchObject({ label: 'handed over', tone: 'warning', live: true, resumable: false })
    expect(monitorStatusView({ ...base, status: { state: 'yielded', since: at, to: 'flash' } }, at).detail).toMatch(/^The port is with the flasher since .*; the monitor takes it back when that ends\.$/)
    const lost = monitorStatusView({ ...base, status: { state: 'ended', since: at, reason: 'port-lost', message: 'the port went away: check the cable', resumable: true, waitingForPort: true } }, at)
    expect(lost).toMatchObject({ label: 'ended', tone: 'danger', resumable: true, live: false })
    expect(lost.detail).toMatch(/^The port went away: check the cable \(.*\)\. PairKit opens it again when the port is back\.$/)
    expect(monitorStatusView({ ...base, status: { state: 'ended', since: at, reason: 'closed', resumable: false } }, at)).toMatchObject({ label: 'closed', resumable: false, live: false })
  })
})
