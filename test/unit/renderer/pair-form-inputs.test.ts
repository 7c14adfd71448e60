// The pair wizard's inputs are kept between runs without a single password: not the Wi-Fi or
// TURN passwords, not the one in the broker address.
import { describe, expect, it } from 'vitest'
import { keptPairInputs, restorePairInputs, withoutUrlPassword } from '../../../src/renderer/src/data/pair-form-inputs'

describe('pair wizard inputs kept', () => {
  it('leaves every password out', () => {
    const kept = keptPairInputs({
      a: { staSsid: 'Farm', staPassword: 'secret-1', apSsid: 'Sensors', apPassword: 'secret-2', apChannel: 0 },
      b: { staSsid: 'Barn', staPassword: 'secret-3' },
      shared: { signallingUri: 'mqtts://tech:secret-4@broker.example:8883', turnUser: 'tech', turnPassword: 'secret-5' },
    })
    expect(kept).toEqual({ a: { staSsid: 'Farm', apSsid: 'Sensors', apChannel: 0 }, b: { staSsid: 'Barn' }, shared: { signallingUri: 'mqtts://tech@broker.example:8883', turnUser: 'tech' } })
    expect(JSON.stringify(kept)).not.toMatch(/secret/)
  })

  it('puts back only the form\'s own fields, of their own type, never a password', () => {
    const form: Record<string, string | number> = { staSsid: '', staPassword: '', apChannel: 0 }
    restorePairInputs(form, { staSsid: 'Farm', staPassword: 'x', apChannel: 'six', other: 'y' })
    expect(form).toEqual({ staSsid: 'Farm', staPassword: '', apChannel: 0 })
    restorePairInputs(form, 'not an object')
    expect(form.staSsid).toBe('Farm')
  })

  it('takes the password out of a broker address and leaves others alone', () => {
    expect(withoutUrlPassword('mqtt://user:p@ss@host:1883')).toBe('mqtt://user@host:1883')
    expect(withoutUrlPassword('mqtt://host:1883')).toBe('mqtt://host:1883')
  })
})
