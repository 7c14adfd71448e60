// The Configure view warns about public signalling brokers and STUN servers: the firmware's
// defaults among them.
import { describe, expect, it } from 'vitest'
import { defaultConfig, defaultSignallingUri } from '../../../src/common/config'
import { isPublicStunHost, publicBrokerHost } from '../../../src/renderer/src/data/public-servers'

describe('public servers', () => {
  it('knows the firmware defaults as public', () => {
    expect(publicBrokerHost(defaultConfig().signallingUri)).toBe('mqtt.eclipseprojects.io')
    expect(publicBrokerHost(defaultSignallingUri('webrtc'))).toBe('webrtc.espressif.com')
    expect(isPublicStunHost(defaultConfig().stunHost)).toBe(true)
  })

  it('sees through credentials, ports and case, and leaves a site broker alone', () => {
    expect(publicBrokerHost('mqtts://user:secret@Broker.EMQX.io:8883')).toBe('broker.emqx.io')
    expect(publicBrokerHost('mqtt://broker.farm.example')).toBeUndefined()
    expect(publicBrokerHost('not a uri')).toBeUndefined()
    expect(isPublicStunHost('stun.farm.example')).toBe(false)
  })
})
