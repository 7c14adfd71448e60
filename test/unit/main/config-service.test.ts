// The UI's pair service keeps every secret in the SecretStore: what the renderer, the pair
// record on disk and the export get has no password, a password in the signalling URI included.
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { base64ToBytes, bytesToBase64 } from '../../../src/common/base64'
import { configFromNvsImage, configToNvsImage, defaultConfig } from '../../../src/common/config'
import { MemorySecretStore } from '../../../src/main/secrets/secret-store'
import { ConfigService } from '../../../src/main/services/config-service'
import { makeTempDir } from '../../support/temp-dir'

const URI = 'mqtt://tech:broker-secret-4@broker.example.net:1883'
const SECRETS = ['wifi-secret-a1', 'wifi-secret-b2', 'iot-secret-33', 'turn-secret-44', 'broker-secret-4']
const site = (staSsid: string, staPassword: string) => ({ staSsid, staPassword, apSsid: 'Sensors', apPassword: 'iot-secret-33', signallingUri: URI, turnHost: 'turn.example', turnUser: 'tech', turnPassword: 'turn-secret-44' })

function expectNoSecret(text: string): void {
  for (const secret of SECRETS) expect(text).not.toContain(secret)
}

describe('ConfigService and secrets', () => {
  it('shows the UI the signalling URI masked, keeps the pair record on disk without it, and puts it in the NVS image', () => {
    const dataDir = makeTempDir('pairkit-config-service-')
    const secrets = new MemorySecretStore()
    const service = new ConfigService(secrets, dataDir)
    const summary = service.pair({ siteA: site('Farm', 'wifi-secret-a1'), siteB: site('Barn', 'wifi-secret-b2') })
    expect(summary.a.signallingUri).toBe('mqtt://tech:***@broker.example.net:1883')
    expectNoSecret(JSON.stringify(summary) + JSON.stringify(service.list()))
    expectNoSecret(readFileSync(path.join(dataDir, 'pairs.json'), 'utf8'))
    const exported = service.exportPair(summary.pairId).text
    expectNoSecret(exported)
    expect(exported).toContain('mqtt://tech:***@broker.example.net:1883')

    const image = base64ToBytes(service.nvsImage(summary.pairId, 'b').base64) as Uint8Array
    expect(configFromNvsImage(image).config).toMatchObject({ signallingUri: URI, staPassword: 'wifi-secret-b2', turnPassword: 'turn-secret-44' })

    // Another run with the same records and secrets still builds the image with the password.
    const again = new ConfigService(secrets, dataDir)
    const imageAgain = base64ToBytes(again.nvsImage(summary.pairId, 'a').base64) as Uint8Array
    expect(configFromNvsImage(imageAgain).config.signallingUri).toBe(URI)
  })

  it('masks the URI in read-back and its differences', () => {
    const service = new ConfigService(new MemorySecretStore())
    const summary = service.pair({ siteA: site('Farm', 'wifi-secret-a1'), siteB: site('Barn', 'wifi-secret-b2') })
    const device = { ...defaultConfig(), role: 1 as const, staSsid: 'Farm', staPassword: 'wifi-secret-a1', apSsid: 'Sensors', apPassword: 'iot-secret-33', signallingUri: 'mqtt://tech:other-secret-5@broker.example.net:1883' }
    const readBack = service.readBack({ nvsBase64: bytesToBase64(configToNvsImage(device)), pairId: summary.pairId, side: 'a' })
    expect(readBack.config.signallingUri).toBe('mqtt://tech:***@broker.example.net:1883')
    expect(readBack.differences?.map((difference) => difference.field)).toContain('signallingUri')
    expectNoSecret(JSON.stringify(readBack))
    expect(JSON.stringify(readBack)).not.toContain('other-secret-5')
  })

  it('says the broker password is gone when the secrets did not survive (memory only)', () => {
    const dataDir = makeTempDir('pairkit-config-service-')
    const summary = new ConfigService(new MemorySecretStore(), dataDir).pair({ siteA: site('Farm', 'wifi-secret-a1'), siteB: site('Barn', 'wifi-secret-b2') })
    const restarted = new ConfigService(new MemorySecretStore(), dataDir)
    expect(() => restarted.nvsImage(summary.pairId, 'a')).toThrow(`the passwords of pair ${summary.pairId} were kept in memory only and were lost when PairKit restarted: enter them again in Configure`)
    expect(restarted.list()[0]?.a.signallingUri).toBe('mqtt://tech:***@broker.example.net:1883')
    expect(restarted.list()[0]?.passwords).toBe('missing')
    // The passwords it had show as redacted, so the page asks for them; an empty one (no TURN on site B) stays empty.
    expect(restarted.list()[0]?.a).toMatchObject({ staPassword: '••••', apPassword: '••••', turnPassword: '••••' })
  })

  it('shows a lost password as redacted and an open network as empty', () => {
    const dataDir = makeTempDir('pairkit-config-service-')
    const summary = new ConfigService(new MemorySecretStore(), dataDir).pair({ siteA: { ...site('Farm', 'wifi-secret-a1'), signallingUri: 'mqtt://broker.example.net', turnHost: '', turnUser: '', turnPassword: '' }, siteB: { ...site('Barn', ''), signallingUri: 'mqtt://broker.example.net', turnHost: '', turnUser: '', turnPassword: '' } })
    const shown = new ConfigService(new MemorySecretStore(), dataDir).list().find((pair) => pair.pairId === summary.pairId)
    expect(shown?.a).toMatchObject({ staPassword: '••••', apPassword: '••••', turnPassword: '' })
    expect(shown?.b).toMatchObject({ staPassword: '', apPassword: '••••', turnPassword: '' })
  })

  it('takes the passwords again after a restart, checked, and builds the same image as before', () => {
    const dataDir = makeTempDir('pairkit-config-service-')
    const first = new ConfigService(new MemorySecretStore(), dataDir)
    const summary = first.pair({ siteA: site('Farm', 'wifi-secret-a1'), siteB: site('Barn', 'wifi-secret-b2') })
    expect(summary.passwords).toBe('stored')
    const before = first.nvsImageBytes(summary.pairId, 'b', 0x6000)
    const restarted = new ConfigService(new MemorySecretStore(), dataDir)
    const give = { pairId: summary.pairId, a: { staPassword: 'wifi-secret-a1', apPassword: 'iot-secret-33' }, b: { staPassword: 'wifi-secret-b2', apPassword: 'iot-secret-33' }, turnPassword: 'turn-secret-44' }
    // A URI that is not the pair's, and a Wi-Fi password the firmware would refuse, keep nothing.
    expect(() => restarted.setPasswords({ ...give, signallingUri: 'mqtt://tech:broker-secret-4@elsewhere.example:1883' })).toThrow(/must be the pair's/)
    expect(() => restarted.setPasswords({ ...give, signallingUri: URI, a: { staPassword: 'short', apPassword: 'iot-secret-33' } })).toThrow(/8 to 63 characters/)
    expect(restarted.list()[0]?.passwords).toBe('missing')
    const after = restarted.setPasswords({ ...give, signallingUri: URI })
    expect(after.passwords).toBe('stored')
    expectNoSecret(JSON.stringify(after) + readFileSync(path.join(dataDir, 'pairs.json'), 'utf8'))
    expect(restarted.nvsImageBytes(summary.pairId, 'b', 0x6000)).toEqual(before)
  })

  it('moves a URI password out of a pair record saved in clear by an older version', () => {
    const dataDir = makeTempDir('pairkit-config-service-')
    const secrets = new MemorySecretStore()
    const summary = new ConfigService(secrets, dataDir).pair({ siteA: site('Farm', 'wifi-secret-a1'), siteB: site('Barn', 'wifi-secret-b2') })
    const file = path.join(dataDir, 'pairs.json')
    writeFileSync(file, readFileSync(file, 'utf8').replaceAll('tech:***@', 'tech:broker-secret-4@'))
    for (const key of secrets.keys()) if (key.endsWith(':signallingUri')) secrets.delete(key)
    const upgraded = new ConfigService(secrets, dataDir)
    expectNoSecret(readFileSync(file, 'utf8'))
    expect(configFromNvsImage(base64ToBytes(upgraded.nvsImage(summary.pairId, 'a').base64) as Uint8Array).config.signallingUri).toBe(URI)
  })
})
