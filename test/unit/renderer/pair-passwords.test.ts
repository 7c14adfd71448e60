// After a restart of the browser host a pair's passwords are gone: the page asks for those the
// pair had (shown redacted), not for the empty ones, and sends them back in place.
import { describe, expect, it } from 'vitest'
import { defaultConfig, REDACTED } from '../../../src/common/config'
import type { PairSummary, ShownConfig } from '../../../src/common/contract'
import { neededPasswords, setPasswordsParams } from '../../../src/renderer/src/data/pair-passwords'

const side = (role: 1 | 2, extra: Partial<ShownConfig> = {}): ShownConfig => ({ ...defaultConfig(), role, pairId: '5f0c2a9e81d3b7a4', staPassword: REDACTED, apPassword: REDACTED, turnPassword: '', ...extra })
const pair = (a: ShownConfig, b: ShownConfig): PairSummary => ({ pairId: '5f0c2a9e81d3b7a4', createdAt: 1, a, b, nvsSize: 0x6000, passwords: 'missing' })

describe('pair passwords', () => {
  it('asks for the passwords the pair had, not for an open network', () => {
    const fields = neededPasswords(pair(side(1), side(2, { staPassword: '' })))
    expect(fields.map((field) => field.key)).toEqual(['a.staPassword', 'a.apPassword', 'b.apPassword'])
    expect(fields[0]?.label).toBe('Site A: Upstream Wi-Fi password')
  })

  it('asks for the TURN password and the broker address\'s password when the pair has them', () => {
    const uri = 'mqtt://tech:***@broker.example.net:1883'
    const fields = neededPasswords(pair(side(1, { turnPassword: REDACTED, signallingUri: uri }), side(2, { turnPassword: REDACTED, signallingUri: uri })))
    expect(fields.map((field) => field.key)).toEqual(['a.staPassword', 'a.apPassword', 'b.staPassword', 'b.apPassword', 'turnPassword', 'signallingUri'])
  })

  it('sends what was entered, empty where the pair had none, and the broker address with its password', () => {
    const uri = 'mqtt://tech:***@broker.example.net:1883'
    const params = setPasswordsParams(pair(side(1, { signallingUri: uri }), side(2, { staPassword: '', signallingUri: uri })), {
      'a.staPassword': 'wifi-a', 'a.apPassword': 'iot-a', 'b.staPassword': 'ignored', 'b.apPassword': 'iot-b', signallingUri: 'broker-secret',
    })
    expect(params).toEqual({
      pairId: '5f0c2a9e81d3b7a4', a: { staPassword: 'wifi-a', apPassword: 'iot-a' }, b: { staPassword: '', apPassword: 'iot-b' }, turnPassword: '',
      signallingUri: 'mqtt://tech:broker-secret@broker.example.net:1883',
    })
  })
})
