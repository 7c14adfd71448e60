import { describe, expect, it } from 'vitest'
import { defaultConfig } from '../../../src/common/config'
import { checkReach, hostOfUri, isLoopbackHost } from '../../../src/twin/firmware/network-policy'

describe('twin network policy', () => {
  it('knows loopback hosts', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) expect(isLoopbackHost(host), host).toBe(true)
    for (const host of ['mqtt.eclipseprojects.io', '10.0.0.1', '192.168.1.2', '1.127.0.0', '']) expect(isLoopbackHost(host), host).toBe(false)
    expect(hostOfUri('mqtt://user:pw@127.0.0.1:1883')).toBe('127.0.0.1')
    expect(hostOfUri('mqtts://[::1]:8883/')).toBe('[::1]')
  })

  it('by default keeps the Kconfig defaults (public servers) from being contacted, and says so', () => {
    const reach = checkReach(defaultConfig(), 'loopback')
    expect(reach.signalling).toBe(false)
    expect(reach.stun).toBe(false)
    expect(reach.lines.map((line) => line.message).join('\n')).toMatch(/mqtt\.eclipseprojects\.io is not on this computer.*--network any/)
  })

  it('uses loopback signalling without a remote STUN server', () => {
    const reach = checkReach({ ...defaultConfig(), signallingUri: 'mqtt://127.0.0.1:1883' }, 'loopback')
    expect(reach).toMatchObject({ signalling: true, stun: false, turn: false })
    expect(reach.lines[0]?.message).toMatch(/STUN server stun\.l\.google\.com is not on this computer: gathering host candidates only/)
    expect(checkReach({ ...defaultConfig(), signallingUri: 'mqtt://127.0.0.1:1883', stunHost: '127.0.0.1' }, 'loopback').lines).toEqual([])
  })

  it('reaches everything configured with --network any', () => {
    expect(checkReach(defaultConfig(), 'any')).toEqual({ signalling: true, stun: true, turn: false, lines: [] })
  })
})
