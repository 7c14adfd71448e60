import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { configFromNvsImage, pairingProblems } from '../../../src/common/config'
import { runPairkit } from './cli-capture'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'pairkit-config-'))
  writeFileSync(path.join(dir, 'A.json'), JSON.stringify({ staSsid: 'Plant A', staPassword: 'office-secret-a', apSsid: 'sensors-a', apPassword: 'sensor-secret-a' }))
  writeFileSync(path.join(dir, 'B.json'), JSON.stringify({ staSsid: 'Plant B', staPassword: 'office-secret-b', apSsid: 'sensors-b', apPassword: 'sensor-secret-b' }))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const pairArgs = (...extra: string[]) => ['config', 'pair', '--a', path.join(dir, 'A.json'), '--b', path.join(dir, 'B.json'), '--out', path.join(dir, 'out'), ...extra]
const outFile = (name: string) => path.join(dir, 'out', name)

describe('pairkit config pair', () => {
  it('writes two configurations and two NVS images that pair', async () => {
    const result = await runPairkit(pairArgs('--json'))
    expect(result.code).toBe(0)
    const { pairId } = JSON.parse(result.stdout) as { pairId: string }
    const a = configFromNvsImage(new Uint8Array(readFileSync(outFile('a-nvs.bin'))))
    const b = configFromNvsImage(new Uint8Array(readFileSync(outFile('b-nvs.bin'))))
    expect(readFileSync(outFile('a-nvs.bin')).length).toBe(0x6000)
    expect([a.problems, b.problems]).toEqual([[], []])
    expect([a.config.role, b.config.role, a.config.pairId]).toEqual([1, 2, pairId])
    expect(pairingProblems(a.config, b.config)).toEqual([])
    expect(a.config.staPassword).toBe('office-secret-a')
  })

  it('keeps passwords out of the JSON files and the output unless --show-secrets', async () => {
    const result = await runPairkit(pairArgs())
    expect(result.stdout + result.stderr).not.toMatch(/secret/)
    expect(readFileSync(outFile('a.json'), 'utf8')).not.toMatch(/secret/)
    expect(JSON.parse(readFileSync(outFile('b.json'), 'utf8'))).toMatchObject({ staPassword: '••••', role: 2 })
    await runPairkit(pairArgs('--show-secrets', '--size', '0x3000'))
    expect(JSON.parse(readFileSync(outFile('b.json'), 'utf8'))).toMatchObject({ staPassword: 'office-secret-b' })
    expect(readFileSync(outFile('b-nvs.bin')).length).toBe(0x3000)
  })

  it('exits 2 without the required options and 1 for bad site files', async () => {
    expect((await runPairkit(['config', 'pair', '--a', 'x.json'])).code).toBe(2)
    writeFileSync(path.join(dir, 'B.json'), '{"staSsid": ')
    const result = await runPairkit(pairArgs())
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/B.json is not valid JSON/)
  })
})

describe('pairkit config show', () => {
  it('shows the stored settings with passwords hidden, and matches the intended file', async () => {
    await runPairkit(pairArgs())
    const result = await runPairkit(['config', 'show', outFile('a-nvs.bin'), '--intended', outFile('a.json')])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/Upstream Wi-Fi name \(SSID\)\s+Plant A/)
    expect(result.stdout).toMatch(/exactly the intended settings/)
    expect(result.stdout).not.toMatch(/secret/)
    const shown = await runPairkit(['config', 'show', outFile('a-nvs.bin'), '--show-secrets'])
    expect(shown.stdout).toMatch(/office-secret-a/)
  })

  it('exits 1 and lists the differences against another device\'s intended settings', async () => {
    await runPairkit(pairArgs())
    const result = await runPairkit(['config', 'show', outFile('b-nvs.bin'), '--intended', outFile('a.json'), '--json'])
    expect(result.code).toBe(1)
    const report = JSON.parse(result.stdout) as { differences: { field: string }[]; config: { staPassword: string } }
    expect(report.differences.map((difference) => difference.field)).toEqual(['staSsid', 'apSsid', 'role'])
    expect(report.config.staPassword).toBe('••••')
  })

  it('reports an erased NVS partition as running on defaults', async () => {
    const blank = path.join(dir, 'blank.bin')
    writeFileSync(blank, new Uint8Array(0x3000).fill(0xff))
    const result = await runPairkit(['config', 'show', blank])
    expect(result.code).toBe(0)
    expect(result.stderr).toMatch(/no bridge settings/)
    expect(result.stdout).toMatch(/mystationssid/)
  })
})

describe('files and output that hold passwords', () => {
  const mode = (name: string) => statSync(outFile(name)).mode & 0o777

  it('writes the NVS images, and the JSON files with --show-secrets, readable by their owner only', async () => {
    // Files left by an earlier run with wider permissions are replaced, not rewritten in place.
    mkdirSync(path.join(dir, 'out'))
    for (const name of ['a.json', 'a-nvs.bin']) {
      writeFileSync(outFile(name), 'old')
      chmodSync(outFile(name), 0o644)
    }
    expect((await runPairkit(pairArgs())).code).toBe(0)
    expect([mode('a-nvs.bin'), mode('b-nvs.bin')]).toEqual([0o600, 0o600])
    expect((await runPairkit(pairArgs('--show-secrets'))).code).toBe(0)
    expect([mode('a.json'), mode('b.json'), mode('a-nvs.bin'), mode('b-nvs.bin')]).toEqual([0o600, 0o600, 0o600, 0o600])
  })

  it('masks a password in the signalling URI in the JSON files and in config show, and still matches --intended', async () => {
    const uri = 'mqtt://tech:broker-secret-4@broker.example.net'
    writeFileSync(path.join(dir, 'A.json'), JSON.stringify({ ...JSON.parse(readFileSync(path.join(dir, 'A.json'), 'utf8')), signallingUri: uri }))
    await runPairkit(pairArgs())
    expect(readFileSync(outFile('a.json'), 'utf8')).toContain('mqtt://tech:***@broker.example.net')
    expect(readFileSync(outFile('a.json'), 'utf8') + readFileSync(outFile('b.json'), 'utf8')).not.toContain('broker-secret-4')
    expect(configFromNvsImage(new Uint8Array(readFileSync(outFile('b-nvs.bin')))).config.signallingUri).toBe(uri)
    for (const extra of [[], ['--json']]) {
      const result = await runPairkit(['config', 'show', outFile('a-nvs.bin'), '--intended', outFile('a.json'), ...extra])
      expect(result.code).toBe(0)
      expect(result.stdout + result.stderr).not.toContain('broker-secret-4')
      expect(result.stdout).toContain('mqtt://tech:***@broker.example.net')
    }
    const differing = await runPairkit(['config', 'show', outFile('b-nvs.bin'), '--intended', outFile('a.json')])
    expect(differing.stdout + differing.stderr).not.toContain('broker-secret-4')
    expect((await runPairkit(['config', 'show', outFile('a-nvs.bin'), '--show-secrets'])).stdout).toContain(uri)
  })
})
