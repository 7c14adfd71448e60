// A device is its link written one way: every spelling of one link gives one id, different
// links give different ids, an id is its own id, and what is not a link is refused with
// what to type instead.
import { describe, expect, it } from 'vitest'
import { canonicalIpv6, deviceIdOf, parseDeviceLink, sameDevice } from '../../../src/common/devices/device-id'
import { PairKitError } from '../../../src/common/errors'
import { seededRandom } from '../../../src/common/seeded-random'

describe('device ids', () => {
  it('writes remote links one way', () => {
    const same = [
      'rfc2217://127.0.0.1:36907',
      'rfc2217://127.0.0.1:36907/',
      'RFC2217://127.0.0.1:36907',
      '  rfc2217://127.0.0.1:036907 ',
      'rfc2217://127.0.0.1:36907?ign_set_control',
      'rfc2217://127.0.0.1:36907/?logging=debug',
    ]
    for (const link of same) expect(deviceIdOf(link), link).toBe('rfc2217://127.0.0.1:36907')
    expect(deviceIdOf('socket://Bench-Pi.Local.:4000')).toBe('socket://bench-pi.local:4000')
    expect(parseDeviceLink('socket://[::1]:23')).toEqual({ id: 'socket://[::1]:23', kind: 'socket', host: '::1', port: 23 })
    expect(deviceIdOf('socket://[0:0:0:0:0:0:0:1]:23')).toBe('socket://[::1]:23')
    expect(deviceIdOf('rfc2217://[FE80:0:0:0:0:0:0:0AB]:5000/')).toBe('rfc2217://[fe80::ab]:5000')
  })

  it('keeps what is really another device apart', () => {
    // localhost may resolve to ::1 or 127.0.0.1, where another server may listen: names are not resolved.
    expect(sameDevice('socket://localhost:4000', 'socket://127.0.0.1:4000')).toBe(false)
    expect(sameDevice('socket://127.0.0.1:4000', 'rfc2217://127.0.0.1:4000')).toBe(false)
    expect(sameDevice('socket://127.0.0.1:4000', 'socket://127.0.0.1:4001')).toBe(false)
    // Local paths are case-sensitive on Linux and macOS; Windows COM ports are not.
    expect(sameDevice('/dev/ttyUSB0', '/dev/ttyusb0')).toBe(false)
    expect(deviceIdOf('com3')).toBe('COM3')
    expect(deviceIdOf('\\\\.\\COM12')).toBe('COM12')
    expect(deviceIdOf('/dev/serial/by-id/usb-Silicon_Labs_CP2102-if00-port0')).toBe('/dev/serial/by-id/usb-Silicon_Labs_CP2102-if00-port0')
  })

  it('refuses what is not a link, saying what to type', () => {
    const refused: Array<[string, RegExp]> = [
      ['', /no device given/],
      ['http://127.0.0.1:80', /not a link PairKit can open/],
      ['socket://127.0.0.1', /no port number/],
      ['socket://127.0.0.1:0', /out of range/],
      ['socket://127.0.0.1:65536', /out of range/],
      ['rfc2217://:4000', /has no host/],
      ['rfc2217://bad_host!:4000', /not a host name/],
      ['socket://[::1::2]:4000', /not an IPv6 address/],
      ['socket://127.0.0.1:4000/extra', /not HOST:PORT/],
      ['/dev/tty\u0000USB0', /control characters/],
      ['x'.repeat(301), /characters long/],
    ]
    for (const [link, message] of refused) {
      let caught: unknown
      try {
        parseDeviceLink(link)
      } catch (error) {
        caught = error
      }
      expect(caught, link).toBeInstanceOf(PairKitError)
      expect((caught as PairKitError).code).toBe('BAD_INPUT')
      expect((caught as PairKitError).message, link).toMatch(message)
    }
  })

  it('writes IPv6 as RFC 5952 does', () => {
    expect(canonicalIpv6('2001:0db8:0000:0000:0000:ff00:0042:8329')).toBe('2001:db8::ff00:42:8329')
    expect(canonicalIpv6('2001:db8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1') // the first of two equal runs
    expect(canonicalIpv6('2001:db8:0:1:1:1:1:1')).toBe('2001:db8:0:1:1:1:1:1') // one zero word stays
    expect(canonicalIpv6('::')).toBe('::')
    expect(canonicalIpv6('::ffff:192.0.2.1')).toBe('::ffff:c000:201')
    for (const bad of ['1:2:3:4:5:6:7:8:9', '12345::', 'g::1', '1::2::3', '::1.2.3.256', '1.2.3.4']) expect(canonicalIpv6(bad), bad).toBeUndefined()
  })

  it('gives every random spelling of a random link the same id, and the id is its own id', () => {
    const random = seededRandom(16)
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T
    const flipCase = (text: string) => [...text].map((char) => (random() < 0.5 ? char.toUpperCase() : char.toLowerCase())).join('')
    for (let i = 0; i < 500; i++) {
      const scheme = pick(['socket', 'rfc2217'] as const)
      const port = 1 + Math.floor(random() * 65535)
      const words = Array.from({ length: 8 }, () => (random() < 0.4 ? 0 : Math.floor(random() * 0x10000)))
      const host = pick([
        `${Math.floor(random() * 256)}.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}`,
        pick(['bench', 'ser2net-3.lab.example', 'localhost']),
        `[${words.map((word) => word.toString(16)).join(':')}]`,
      ])
      const id = deviceIdOf(`${scheme}://${host}:${port}`)
      expect(deviceIdOf(id)).toBe(id)
      const spelled = `${' '.repeat(Math.floor(random() * 3))}${flipCase(scheme)}://${host.startsWith('[') ? host.toUpperCase() : flipCase(host)}:${'0'.repeat(Math.floor(random() * 3))}${port}${pick(['', '/', '?x=1', '/?x=1'])}`
      expect(deviceIdOf(spelled), spelled).toBe(id)
      const other = `${scheme}://${host}:${port === 65535 ? 1 : port + 1}`
      expect(deviceIdOf(other)).not.toBe(id)
    }
  })
})
