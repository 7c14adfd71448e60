// The Commission view's inputs: each problem named with its field before anything is sent, and
// what is kept across reloads never holds a broker's password.
import { describe, expect, it } from 'vitest'
import { emptyInputs, keptInputs, restoreInputs, startParams, type CommissionInputs } from '../../../src/renderer/src/data/commission-inputs'

const READY: CommissionInputs = { a: 'rfc2217://127.0.0.1:4001', b: 'rfc2217://127.0.0.1:4002', pairId: 'ab12cd34ef56ab78', siteA: '', siteB: '', notes: 'cabinet 3' }

describe('commissioning inputs', () => {
  it('asks for what is missing, one thing at a time, naming the field to correct', () => {
    expect(startParams({ ...READY, a: '' }, 'bundle-1')).toMatchObject({ field: 'commission-a', error: { message: 'Choose device A (site A, role 1).' } })
    expect(startParams({ ...READY, b: READY.a }, 'bundle-1')).toMatchObject({ field: 'commission-b', error: { hint: 'Choose two different devices.' } })
    expect(startParams(READY, undefined)).toMatchObject({ error: { message: 'No firmware is chosen.' } })
    expect(startParams({ ...READY, pairId: '' }, 'bundle-1')).toMatchObject({ field: 'commission-pair' })
    const wrong = startParams({ ...READY, siteB: 'http://user:hunter22@10.0.0.5' }, 'bundle-1')
    expect(wrong).toMatchObject({ field: 'commission-site-b' })
    expect(JSON.stringify(wrong)).not.toContain('hunter22')
  })

  it('sends the brokers only when given, and the notes as written', () => {
    expect(startParams(READY, 'bundle-1')).toEqual({ params: { a: READY.a, b: READY.b, pairId: READY.pairId, bundleId: 'bundle-1', notes: 'cabinet 3' } })
    expect(startParams({ ...READY, siteA: ' mqtt://192.168.4.1:1883 ' }, 'bundle-1')).toMatchObject({ params: { siteAMqtt: 'mqtt://192.168.4.1:1883' } })
  })

  it('keeps the inputs without passwords and restores only what it knows', () => {
    const kept = keptInputs({ ...READY, siteA: 'mqtt://tech:s3cret-pw@10.1.1.1:1883' })
    expect(kept.siteA).toBe('mqtt://tech@10.1.1.1:1883')
    expect(JSON.stringify(kept)).not.toContain('s3cret-pw')
    const inputs = emptyInputs()
    restoreInputs(inputs, { ...kept, pairId: 42, extra: 'ignored' })
    expect(inputs).toEqual({ ...READY, pairId: '', siteA: 'mqtt://tech@10.1.1.1:1883' })
    restoreInputs(inputs, 'not an object')
    expect(inputs.a).toBe(READY.a)
  })
})
