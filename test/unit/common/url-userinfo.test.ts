import { describe, expect, it } from 'vitest'
import { hasUrlPassword, maskUrlPassword } from '../../../src/common/url-userinfo'

describe('maskUrlPassword', () => {
  it('replaces the password of the userinfo and keeps the user and the rest as typed', () => {
    expect(maskUrlPassword('mqtt://tech:s3cret@192.168.1.10:1883')).toBe('mqtt://tech:***@192.168.1.10:1883')
    expect(maskUrlPassword('mqtts://Tech:pw@Broker.Example/path?q=1#f')).toBe('mqtts://Tech:***@Broker.Example/path?q=1#f')
    expect(maskUrlPassword('ws://u:@host')).toBe('ws://u:***@host')
    expect(maskUrlPassword('mqtt://:only-password@host')).toBe('mqtt://:***@host')
  })

  it('masks all of a password that holds "@", ":", "/" or "#" unencoded', () => {
    expect(maskUrlPassword('mqtt://u:p@ss:w/o#rd@host:1883')).toBe('mqtt://u:***@host:1883')
    expect(maskUrlPassword('mqtt://u:p%40ss@host')).toBe('mqtt://u:***@host')
    // The same text could be a port and a path with "@": it is masked rather than risk a leak.
    expect(maskUrlPassword('mqtt://host:1883/a@b')).toBe('mqtt://host:***@b')
    expect(maskUrlPassword('mqtt://broker/user:pass@path')).toBe('mqtt://broker/user:***@path')
    expect(maskUrlPassword('MQTT://Tech:Pa:ss@host')).toBe('MQTT://Tech:***@host')
    expect(maskUrlPassword('https://:token@signal.example/join/abc')).toBe('https://:***@signal.example/join/abc')
  })

  it('leaves URLs without a password and anything that is not a URL untouched', () => {
    for (const text of ['mqtt://user@host:1883', 'mqtt://host:1883', 'mqtt://host/a@b', 'user:pass@host', 'not a url', '', 'mailto:a:b@c', '://x:y@z', 'mqtt://broker.example.net', 'mystationssid']) {
      expect(maskUrlPassword(text)).toBe(text)
      expect(hasUrlPassword(text)).toBe(false)
    }
    expect(hasUrlPassword('mqtt://tech:s3cret@broker')).toBe(true)
    expect(hasUrlPassword('mqtt://tech:@broker')).toBe(true)
  })

  it('never throws, whatever it is given', () => {
    for (const value of [undefined, null, 42, {}] as unknown as string[]) expect(() => maskUrlPassword(value)).not.toThrow()
  })
})
