import { describe, expect, it } from 'vitest'
import { peerOptionsFrom } from '../../../src/cli/commands/peer'
import { UsageError } from '../../../src/cli/command'

const base = { role: '2', signal: 'mqtt://10.0.0.1:1883', topic: '/topic/serverless_mqtt' }

describe('pairkit peer options', () => {
  it('maps the flags onto the peer options', () => {
    const options = peerOptionsFrom({ ...base, stun: 'stun.example:3478', turn: 'u:p@turn.example:3479', bind: '192.168.1.20', 'broker-port': '1884', 'ice-role': 'controlled' })
    expect(options).toMatchObject({
      role: 2,
      signalUrl: 'mqtt://10.0.0.1:1883',
      topicPrefix: '/topic/serverless_mqtt',
      stun: { host: 'stun.example', port: 3478 },
      turn: { host: 'turn.example', port: 3479, username: 'u', password: 'p' },
      bind: '192.168.1.20',
      broker: { kind: 'embedded', port: 1884, host: '127.0.0.1' },
      iceControlling: false,
    })
    expect(peerOptionsFrom({ ...base, stun: 'stun.example' }).stun).toEqual({ host: 'stun.example', port: 19302 })
    expect(peerOptionsFrom({ ...base, broker: 'mqtt://127.0.0.1:1883' }).broker).toEqual({ kind: 'external', url: 'mqtt://127.0.0.1:1883' })
  })

  it('runs the embedded broker as plain aedes with --plain-broker, and its fast paths otherwise', () => {
    expect(peerOptionsFrom({ ...base, 'plain-broker': true }).broker).toEqual({ kind: 'embedded', port: 1883, host: '127.0.0.1', plain: true })
    expect(peerOptionsFrom(base).broker).toEqual({ kind: 'embedded', port: 1883, host: '127.0.0.1' })
  })

  it.each([
    [{ ...base, role: '3' }],
    [{ ...base, signal: 'http://x' }],
    [{ role: '1', signal: 'mqtt://x' }],
    [{ ...base, broker: 'mqtt://x', 'broker-port': '1' }],
    [{ ...base, bind: 'fe80::1' }],
    [{ ...base, 'broker-port': '99999' }],
    [{ ...base, turn: 'turn.example' }],
    [{ ...base, 'ice-role': 'lite' }],
    [{ ...base, broker: 'mqtt://x', 'plain-broker': true }],
  ])('refuses %o as a usage error', (values) => {
    expect(() => peerOptionsFrom(values)).toThrow(UsageError)
  })
})
