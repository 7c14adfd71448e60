// What the Traffic view asks to watch: checked before it goes out, and kept without passwords.
import { describe, expect, it } from 'vitest'
import { defaultSetup, keptSetup, restoreSetup, startParams, withoutUrlPassword } from '../../../src/renderer/src/data/traffic-setup'

describe('Traffic setup', () => {
  it('asks for sites by hand with their brokers and devices, and for a pair with its signalling broker', () => {
    const inputs = { ...defaultSetup(), a: { mqtt: ' mqtt://127.0.0.1:1883 ', device: '' }, b: { mqtt: '', device: '/dev/ttyUSB1' } }
    expect(startParams(inputs)).toEqual({ params: { a: { mqtt: 'mqtt://127.0.0.1:1883' }, b: { deviceId: '/dev/ttyUSB1' } } })
    expect(startParams({ ...inputs, pairId: 'a1b2c3d4', signalling: true, windowMs: 5000 })).toEqual({
      params: { pairId: 'a1b2c3d4', a: { mqtt: 'mqtt://127.0.0.1:1883' }, b: { deviceId: '/dev/ttyUSB1' }, signalling: true, windowMs: 5000 },
    })
    // Signalling needs the pair.
    expect(startParams({ ...inputs, signalling: true })).toEqual({ params: { a: { mqtt: 'mqtt://127.0.0.1:1883' }, b: { deviceId: '/dev/ttyUSB1' } } })
  })

  it('says what to correct, in a sentence, without showing a password', () => {
    const bad = startParams({ ...defaultSetup(), a: { mqtt: 'user:secret@192.168.4.1', device: '' } })
    expect(bad).toMatchObject({ field: 'traffic-a-mqtt', error: { hint: "Write site A's broker as mqtt://HOST:PORT, e.g. mqtt://192.168.4.1:1883." } })
    const nothing = startParams({ ...defaultSetup(), a: { mqtt: '', device: '' } })
    expect(nothing).toMatchObject({ error: { message: 'Nothing to watch yet.' } })
    expect(startParams({ ...defaultSetup(), capacity: 50 })).toMatchObject({ field: 'traffic-capacity' })
    const masked = startParams({ ...defaultSetup(), b: { mqtt: 'tcp://user:secret@host', device: '' } })
    expect(JSON.stringify(masked)).not.toContain('secret')
  })

  it('keeps the inputs without any broker password, and restores only values of the right type', () => {
    expect(withoutUrlPassword('mqtt://tech:s3cret@192.168.4.1:1883')).toBe('mqtt://tech@192.168.4.1:1883')
    expect(withoutUrlPassword('mqtt://192.168.4.1:1883')).toBe('mqtt://192.168.4.1:1883')
    const kept = keptSetup({ ...defaultSetup(), a: { mqtt: 'mqtt://tech:s3cret@host:1883', device: 'rfc2217://h:1' } })
    expect(JSON.stringify(kept)).not.toContain('s3cret')
    const restored = defaultSetup()
    restoreSetup(restored, { ...kept, b: { mqtt: 42, device: '/dev/ttyUSB0' }, capacity: 'lots' })
    expect(restored.a).toEqual({ mqtt: 'mqtt://tech@host:1883', device: 'rfc2217://h:1' })
    expect(restored.b).toEqual({ mqtt: '', device: '/dev/ttyUSB0' })
    expect(restored.capacity).toBe(100_000)
  })
})
