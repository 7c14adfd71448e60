import { describe, expect, it } from 'vitest'
import { PairKitError } from '../../../src/common/errors'
import { parsePortUrl } from '../../../src/main/serial/link'

describe('port URLs', () => {
  it('tells the three link kinds apart', () => {
    expect(parsePortUrl('rfc2217://127.0.0.1:4000')).toEqual({ kind: 'rfc2217', host: '127.0.0.1', port: 4000 })
    expect(parsePortUrl('socket://[::1]:23')).toEqual({ kind: 'socket', host: '::1', port: 23 })
    expect(parsePortUrl('/dev/ttyUSB0')).toEqual({ kind: 'local', path: '/dev/ttyUSB0' })
  })
  it('refuses other schemes and bad ports with an actionable error', () => {
    for (const typo of ['http://x:1', 'socket://nohost']) {
      const error = (() => {
        try {
          parsePortUrl(typo)
        } catch (caught) {
          return caught
        }
      })()
      expect(error).toMatchObject({ code: 'BAD_INPUT', message: `${typo} is not a port address PairKit can open` })
      expect((error as PairKitError).hint).toMatch(/socket:\/\/HOST:PORT or rfc2217:\/\/HOST:PORT/)
    }
    expect(() => parsePortUrl('socket://x:70000')).toThrow(PairKitError)
  })
})
