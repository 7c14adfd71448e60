import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { CONFIG_FIELDS, CONFIG_NAMESPACE, checkConfig, defaultConfig, type DeviceConfig } from '../../../src/common/config'

const issuesFor = (patch: Partial<Record<keyof DeviceConfig, unknown>>) => {
  const check = checkConfig({ ...defaultConfig(), ...patch })
  return check.ok ? [] : check.issues
}

describe('device configuration schema', () => {
  it('accepts the stock example\'s Kconfig defaults', () => {
    expect(checkConfig(defaultConfig())).toEqual({ ok: true, config: defaultConfig() })
  })

  it('limits SSIDs to 32 bytes, counting UTF-8 bytes', () => {
    expect(issuesFor({ staSsid: 'x'.repeat(32) })).toEqual([])
    expect(issuesFor({ staSsid: 'é'.repeat(17) })).toMatchObject([{ field: 'staSsid', message: expect.stringMatching(/at most 32 bytes/) }])
    expect(issuesFor({ apSsid: '' })).toMatchObject([{ field: 'apSsid', message: expect.stringMatching(/empty/) }])
  })

  it('takes WPA2 passwords of 8–63 characters, or empty for an open network', () => {
    expect(issuesFor({ apPassword: '' })).toEqual([])
    expect(issuesFor({ apPassword: 'x'.repeat(63) })).toEqual([])
    for (const bad of ['1234567', 'x'.repeat(64)]) {
      expect(issuesFor({ apPassword: bad })).toMatchObject([{ field: 'apPassword', message: expect.stringMatching(/8 to 63 characters.*open network/) }])
    }
  })

  it('checks role, channel, ports, hosts, topic and log level with plain messages', () => {
    expect(issuesFor({ role: 3 })[0]?.message).toMatch(/role must be 1 or 2/)
    expect(issuesFor({ apChannel: 14 })[0]?.message).toMatch(/1 to 13, or 0/)
    expect(issuesFor({ stunPort: 0 })[0]?.message).toMatch(/between 1 and 65535/)
    expect(issuesFor({ stunHost: 'not a host' })[0]?.message).toMatch(/host name/)
    expect(issuesFor({ stunHost: '2001:db8::1' })).toEqual([])
    expect(issuesFor({ syncTopic: '/topic/#' })[0]?.message).toMatch(/wildcards/)
    expect(issuesFor({ logLevel: 'loud' })[0]?.message).toMatch(/none, error, warn, info, debug, verbose/)
  })

  it('matches the signalling address to the peer library', () => {
    expect(issuesFor({ signallingUri: 'https://x.example/join/' })[0]?.message).toMatch(/mqtt:\/\//)
    expect(issuesFor({ peerLibrary: 'webrtc', signallingUri: 'https://webrtc.espressif.com/join/' })).toEqual([])
    expect(issuesFor({ peerLibrary: 'webrtc' })[0]?.message).toMatch(/https:\/\/ join URL/)
  })

  it('needs TURN credentials only when a TURN server is given', () => {
    expect(issuesFor({ turnHost: 'turn.example.com' })).toMatchObject([{ field: 'turnUser', message: expect.stringMatching(/user name and a password/) }])
    expect(issuesFor({ turnHost: 'turn.example.com', turnUser: 'u', turnPassword: 'p' })).toEqual([])
  })

  it('names missing, mistyped and unknown settings', () => {
    const check = checkConfig({ ...defaultConfig(), stunPort: '19302', extra: true, staSsid: undefined })
    expect(check.ok).toBe(false)
    const messages = check.ok ? [] : check.issues.map((issue) => issue.message)
    expect(messages).toContain('Upstream Wi-Fi name (SSID) is missing')
    expect(messages).toContain('The STUN port must be a number')
    expect(messages).toContain('Unknown settings: extra')
  })

  it('uses NVS keys of at most 15 characters, unique, outside the generator\'s Wi-Fi quirk names', () => {
    const keys = CONFIG_FIELDS.map((spec) => spec.key)
    expect(new Set(keys).size).toBe(keys.length)
    for (const key of [...keys, CONFIG_NAMESPACE]) expect(key).toMatch(/^[a-z_]{1,15}$/)
  })

  it('is described key for key, type and default in docs/firmware-contract.md', () => {
    const doc = readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../docs/firmware-contract.md'), 'utf8')
    expect(doc).toContain(`**\`${CONFIG_NAMESPACE}\`**`)
    for (const spec of CONFIG_FIELDS) {
      const row = doc.split('\n').find((line) => line.startsWith(`| \`${spec.key}\` |`))
      expect(row, spec.key).toBeDefined()
      const cells = (row as string).split('|').map((cell) => cell.trim())
      expect(cells[2]).toBe(spec.nvsType)
      expect(cells[3]).toBe(spec.field)
      expect(cells[6]).toBe(`\`${spec.defaultValue === '' ? '""' : spec.defaultValue}\``)
      expect(cells[7]).toBe(spec.secret ? '**yes**' : 'no')
    }
  })
})
