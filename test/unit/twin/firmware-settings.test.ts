// The twin firmware's settings read: the contract's defaults for what is missing or unusable,
// one warning per problem, never a secret on the console, and no throw on any bytes.
import { describe, expect, it } from 'vitest'
import { configToNvsImage, configToNvsRows, defaultConfig, DEFAULT_NVS_SIZE, type DeviceConfig } from '../../../src/common/config'
import { generateNvsPartition } from '../../../src/common/nvs'
import { encodePartitionTable } from '../../../src/common/partition-table'
import { FlashMemory } from '../../../src/twin/flash'
import { readFirmwareSettings, settingsFromNvsImage, settingsSummary } from '../../../src/twin/firmware/nvs-settings'

const SECRETS = { staPassword: 'Sta-Pass-9911', apPassword: 'Ap-Pass-7722', turnPassword: 'Turn-Pass-5533' }
const CONFIG: DeviceConfig = {
  ...defaultConfig(),
  ...SECRETS,
  role: 2,
  signallingUri: 'mqtt://127.0.0.1:1884',
  syncTopic: '/site/a1b2c3d4/',
  stunHost: '127.0.0.1',
  stunPort: 3478,
  turnHost: 'turn.example.com',
  turnUser: 'bridge',
  pairId: 'a1b2c3d4',
  logLevel: 'warn',
}

function text(lines: { message: string }[]): string {
  return lines.map((line) => line.message).join('\n')
}

function expectNoSecrets(output: string): void {
  for (const secret of Object.values(SECRETS)) expect(output).not.toContain(secret)
}

/** A seeded xorshift, so a failing case can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1
  return () => {
    state ^= state << 13
    state ^= state >>> 17
    state ^= state << 5
    return (state >>> 0) / 0x100000000
  }
}

describe('firmware settings from NVS', () => {
  it('takes every stored setting and summarises them without secrets', () => {
    const settings = settingsFromNvsImage(configToNvsImage(CONFIG))
    expect(settings.config).toEqual(CONFIG)
    expect(text(settings.lines)).toBe('settings from NVS namespace "smqtt": 18 stored, 0 default')
    const summary = text(settingsSummary(settings.config))
    expect(summary).toContain('pair a1b2c3d4 role 2')
    expect(summary).toContain('signalling mqtt://127.0.0.1:1884 topic /site/a1b2c3d4/, STUN 127.0.0.1:3478, TURN turn.example.com:3478 user bridge')
    expectNoSecrets(summary)
  })

  it('runs on the Kconfig defaults when the namespace is absent (an erased partition)', () => {
    const settings = settingsFromNvsImage(new Uint8Array(DEFAULT_NVS_SIZE).fill(0xff))
    expect(settings.config).toEqual(defaultConfig())
    expect(settings.lines).toEqual([{ level: 'W', tag: 'smqtt', message: 'no settings in NVS namespace "smqtt"; using the built-in defaults' }])
  })

  it('ignores a mistyped or out-of-range key with a warning and keeps its default', () => {
    const rows = configToNvsRows(CONFIG).map((row) => {
      if (row.key === 'role') return { ...row, value: '7' }
      if (row.key === 'stun_port') return { ...row, encoding: 'string', value: '3478' }
      return row
    })
    const image = generateNvsPartition(rows.map((row) => ({ ...row, line: 0 })), DEFAULT_NVS_SIZE).image
    const settings = settingsFromNvsImage(image)
    expect(settings.config.role).toBe(1)
    expect(settings.config.stunPort).toBe(19302)
    expect(settings.config.stunHost).toBe('127.0.0.1')
    const warnings = settings.lines.filter((line) => line.level === 'W').map((line) => line.message)
    expect(warnings).toContainEqual(expect.stringContaining('stun_port'))
    expect(warnings).toContainEqual(expect.stringMatching(/role/i))
    expectNoSecrets(text(settings.lines))
  })

  it('finds the "nvs" partition through the partition table of the flash', () => {
    const flash = FlashMemory.inMemory(4 << 20)
    const table = encodePartitionTable([
      { name: 'nvs', type: 1, subtype: 2, offset: 0x9000, size: 0x6000, flags: 0 },
      { name: 'factory', type: 0, subtype: 0, offset: 0x10000, size: 0x100000, flags: 0 },
    ])
    flash.program(0x8000, table)
    flash.program(0x9000, configToNvsImage(CONFIG))
    const settings = readFirmwareSettings(flash)
    expect(settings.partition?.offset).toBe(0x9000)
    expect(settings.config.pairId).toBe('a1b2c3d4')
  })

  it('reports a missing "nvs" partition and runs on the defaults', () => {
    const settings = readFirmwareSettings(FlashMemory.inMemory(4 << 20))
    expect(settings.partition).toBeUndefined()
    expect(settings.config).toEqual(defaultConfig())
    expect(settings.lines[0]).toMatchObject({ level: 'E', tag: 'smqtt' })
  })

  it('never throws and never prints a secret, whatever the bytes (seeded fuzz)', () => {
    const good = configToNvsImage(CONFIG)
    const next = random(0x5eed)
    for (let round = 0; round < 300; round++) {
      let image: Uint8Array
      const kind = round % 3
      if (kind === 0) image = Uint8Array.from({ length: 0x1000 * (1 + Math.floor(next() * 6)) }, () => Math.floor(next() * 256))
      else if (kind === 1) {
        image = new Uint8Array(good)
        for (let flips = 0; flips < 1 + Math.floor(next() * 40); flips++) {
          const at = Math.floor(next() * image.length)
          image[at] = (image[at] ?? 0) ^ (1 << Math.floor(next() * 8))
        }
      } else image = good.slice(0, Math.floor(next() * good.length))
      const settings = settingsFromNvsImage(image)
      expect(settings.config.role === 1 || settings.config.role === 2).toBe(true)
      expectNoSecrets(text(settings.lines))
    }
  })
})
