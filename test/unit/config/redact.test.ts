import { describe, expect, it } from 'vitest'
import { defaultConfig, diffConfig, formatConfig, formatConfigDiff, pairingProblems, provisionPair, redactConfig, redactDifferences, redactNvsValue } from '../../../src/common/config'

describe('redaction of a configuration', () => {
  const config = { ...defaultConfig(), staPassword: 'wifi-secret-1', apPassword: 'iot-secret-22', turnPassword: 'turn-secret-3', turnHost: 'turn.example', turnUser: 'tech', signallingUri: 'mqtt://tech:broker-secret-4@broker.example.net' }
  const secrets = ['wifi-secret-1', 'iot-secret-22', 'turn-secret-3', 'broker-secret-4']

  it('hides passwords and masks the signalling URI in what the UI and exports get', () => {
    const shown = redactConfig(config)
    expect(shown).toMatchObject({ staPassword: '••••', apPassword: '••••', turnPassword: '••••', signallingUri: 'mqtt://tech:***@broker.example.net', staSsid: config.staSsid })
    const text = JSON.stringify(shown) + formatConfig(config)
    for (const secret of secrets) expect(text).not.toContain(secret)
    expect(formatConfig(config)).toMatch(/Signalling broker address\s+mqtt:\/\/tech:\*\*\*@broker\.example\.net/)
    expect(formatConfig(config, { showSecrets: true })).toContain('broker-secret-4')
  })

  it('masks the signalling URI in differences', () => {
    const other = { ...config, signallingUri: 'mqtt://tech:other-secret@broker.example.net', staPassword: 'wifi-secret-9' }
    const differences = diffConfig(config, other)
    expect(differences.map((difference) => difference.field)).toEqual(['staPassword', 'signallingUri'])
    const text = JSON.stringify(redactDifferences(differences)) + formatConfigDiff(differences)
    for (const secret of [...secrets, 'other-secret', 'wifi-secret-9']) expect(text).not.toContain(secret)
    expect(formatConfigDiff(differences, { showSecrets: true })).toContain('other-secret')
  })

  it('masks the signalling URI in messages about two sites or devices that disagree', () => {
    const wifi = { staSsid: 'Farm', staPassword: 'wifi-secret-1', apSsid: 'Sensors', apPassword: 'iot-secret-22' }
    const random = (length: number) => new Uint8Array(length).fill(7)
    const disagreeing = () => provisionPair({ ...wifi, signallingUri: 'mqtt://tech:broker-secret-4@b' }, { ...wifi, signallingUri: 'mqtt://tech:other-secret@b' }, random)
    expect(disagreeing).toThrow('different values for "Signalling broker address" ("mqtt://tech:***@b" and "mqtt://tech:***@b")')
    const problems = pairingProblems({ ...config, role: 1 }, { ...config, role: 2, signallingUri: 'mqtt://tech:other-secret@broker.example.net' }).join('\n')
    expect(problems).toMatch(/Signalling broker address differs/)
    expect(problems).not.toMatch(/broker-secret-4|other-secret/)
  })

  it('hides the password keys of an NVS dump, whatever their type, and masks URIs', () => {
    expect(redactNvsValue('sta_pass', 'wifi-secret-1')).toBe('••••')
    expect(redactNvsValue('ap_pass', new Uint8Array([1, 2, 3]))).toBe('••••')
    expect(redactNvsValue('turn_pass', 42)).toBe('••••')
    expect(redactNvsValue('sta_pass', '')).toBe('')
    expect(redactNvsValue('signal_uri', 'mqtt://u:broker-secret-4@h')).toBe('mqtt://u:***@h')
    expect(redactNvsValue('sta_ssid', 'Farm')).toBe('Farm')
    expect(redactNvsValue('u32key', 7)).toBe(7)
  })
})
