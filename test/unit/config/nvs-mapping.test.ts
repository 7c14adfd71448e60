import { describe, expect, it } from 'vitest'
import {
  CONFIG_NAMESPACE, configFromNvsImage, configToNvsCsv, configToNvsImage, defaultConfig, diffConfig, formatConfig, formatConfigDiff, redactConfig, REDACTED, type DeviceConfig,
} from '../../../src/common/config'
import { PairKitError } from '../../../src/common/errors'
import { generateNvsFromCsv, readNvsPartition } from '../../../src/common/nvs'

const site: DeviceConfig = {
  ...defaultConfig(),
  staSsid: 'Café Wi-Fi',
  staPassword: 'upstream-secret',
  apSsid: 'bridge-a',
  apPassword: '',
  apChannel: 6,
  role: 2,
  turnHost: 'turn.example.com',
  turnUser: 'tech',
  turnPassword: 'turn-secret',
  logLevel: 'debug',
  pairId: '0123456789abcdef',
}

describe('configuration ↔ NVS', () => {
  it('round-trips through an NVS image with no problems', () => {
    const image = configToNvsImage(site)
    expect(image.length).toBe(0x6000)
    const back = configFromNvsImage(image)
    expect(back.problems).toEqual([])
    expect(back.config).toEqual(site)
    expect(back.stored).toHaveLength(18)
  })

  it('stores the contract types: strings, u8 role/channel/log level, u16 ports', () => {
    const entries = readNvsPartition(configToNvsImage(site)).entries
    const byKey = Object.fromEntries(entries.map((entry) => [entry.key, entry]))
    expect(entries.every((entry) => entry.namespace === CONFIG_NAMESPACE)).toBe(true)
    expect(byKey.role).toMatchObject({ type: 'u8', value: 2 })
    expect(byKey.log_level).toMatchObject({ type: 'u8', value: 4 })
    expect(byKey.stun_port).toMatchObject({ type: 'u16', value: 19302 })
    expect(byKey.sta_ssid).toMatchObject({ type: 'string', value: 'Café Wi-Fi' })
    expect(byKey.cfg_ver).toMatchObject({ type: 'u8', value: 1 })
  })

  it('gives a CSV that the generator turns into the same image', () => {
    const csv = configToNvsCsv(site)
    expect(generateNvsFromCsv(csv, 0x6000).image).toEqual(configToNvsImage(site))
  })

  it('refuses to write an invalid configuration, naming the setting', () => {
    expect(() => configToNvsImage({ ...site, apPassword: 'short' })).toThrow(PairKitError)
    expect(() => configToNvsImage({ ...site, apPassword: 'short' })).toThrow(/IoT network password must be 8 to 63/)
  })

  it('reads a device without settings as the defaults, with a note', () => {
    const back = configFromNvsImage(new Uint8Array(0x6000).fill(0xff))
    expect(back.config).toEqual(defaultConfig())
    expect(back.problems).toMatchObject([{ severity: 'warning', message: expect.stringMatching(/no bridge settings/) }])
  })

  it('reports missing keys, wrong types, unknown keys and invalid values, falling back to defaults', () => {
    const csv = [
      'key,type,encoding,value', 'smqtt,namespace,,', 'cfg_ver,data,u8,1', 'sta_ssid,data,string,home',
      'role,data,u16,2', 'ap_pass,data,string,short', 'log_level,data,u8,9', 'colour,data,string,blue',
    ].join('\n')
    const back = configFromNvsImage(generateNvsFromCsv(csv, 0x3000).image)
    expect(back.config.staSsid).toBe('home')
    expect(back.config.role).toBe(1)
    const messages = back.problems.map((problem) => problem.message)
    expect(messages).toContain('"colour" is not a setting this PairKit knows; the firmware may ignore it')
    expect(messages).toContain('Role in the pair (role) is stored as u16, not u8; the firmware cannot read it')
    expect(messages).toContain('Log level 9 is not 0 (none) … 5 (verbose)')
    expect(messages.some((message) => /IoT network password must be 8 to 63/.test(message))).toBe(true)
    // A missing secret is reported without its default value.
    expect(messages.find((message) => message.startsWith('Upstream Wi-Fi password'))).toBe('Upstream Wi-Fi password is not stored (sta_pass); the firmware uses its default')
    expect(back.stored).toEqual(['staSsid', 'apPassword'])
  })

  it('passes NVS damage through as problems', () => {
    const image = configToNvsImage(site)
    image[64 + 32 * 2 + 10] = (image[64 + 32 * 2 + 10] as number) ^ 1 // inside the sta_ssid item header
    const back = configFromNvsImage(image)
    expect(back.problems.some((problem) => problem.severity === 'error' && /CRC/.test(problem.message))).toBe(true)
    expect(back.config.staSsid).toBe(defaultConfig().staSsid)
  })
})

describe('diff and secrets', () => {
  it('lists exactly the settings that differ', () => {
    const actual = { ...site, apChannel: 1, staPassword: 'other-secret' }
    expect(diffConfig(site, actual).map((difference) => difference.field)).toEqual(['staPassword', 'apChannel'])
    expect(diffConfig(site, site)).toEqual([])
  })

  it('hides secrets in diffs, redacted copies and listings unless asked', () => {
    const text = formatConfigDiff(diffConfig(site, { ...site, staPassword: 'other-secret' }))
    expect(text).not.toMatch(/secret/)
    expect(text).toContain(REDACTED)
    expect(formatConfigDiff(diffConfig(site, { ...site, staPassword: 'other-secret' }), { showSecrets: true })).toContain('other-secret')
    const redacted = redactConfig(site)
    expect(redacted).toMatchObject({ staPassword: REDACTED, turnPassword: REDACTED, apPassword: '', staSsid: 'Café Wi-Fi' })
    expect(JSON.stringify(redacted)).not.toMatch(/secret/)
    expect(formatConfig(site)).not.toMatch(/secret/)
    expect(formatConfig(site)).toMatch(/IoT network password\s+\(none: open network\)/)
    expect(formatConfig(site, { showSecrets: true })).toContain('upstream-secret')
  })
})
