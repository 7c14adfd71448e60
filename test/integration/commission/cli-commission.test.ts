// `pairkit commission --json` on two twins: one JSON object per step change, then the result;
// exit 0 once commissioned, the report files in --out; 2 for a usage error.
import { existsSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MemorySecretStore } from '../../../src/main/secrets/secret-store'
import { ConfigService } from '../../../src/main/services/config-service'
import { runToEnd, spawnPairkit } from '../../support/processes'
import { makeTempDir } from '../../support/temp-dir'
import { startCommissionLab, type CommissionLab } from './support/two-twins'

describe('pairkit commission', () => {
  let lab: CommissionLab
  let dataDir: string

  beforeAll(async () => {
    lab = await startCommissionLab(makeTempDir('pairkit-commission-cli-'))
    dataDir = makeTempDir('pairkit-commission-cli-data-')
  }, 30_000)
  afterAll(async () => lab?.close())

  it('exits 2 without the devices', async () => {
    const { code, stderr } = await runToEnd(spawnPairkit(['commission', '--bundle', lab.buildDir, '--pair', 'a1b2c3d4e5f60708', '--data-dir', dataDir]))
    expect(code).toBe(2)
    expect(stderr).toContain('--a URL and --b URL')
  }, 120_000)

  it('commissions a pair without passwords, printing each step change and the result', async () => {
    // Open networks and a broker without a password: the pair's images need no secret store.
    const pair = new ConfigService(new MemorySecretStore(), dataDir).pair({
      siteA: { signallingUri: lab.signalling.url, stunHost: '127.0.0.1', stunPort: lab.stun.port, staSsid: 'workshop', staPassword: '', apSsid: 'iot-a', apPassword: '' },
      siteB: { staSsid: 'workshop', staPassword: '', apSsid: 'iot-b', apPassword: '' },
    })
    const out = path.join(dataDir, 'reports')
    const child = spawnPairkit(['commission', '--a', lab.a.url, '--b', lab.b.url, '--bundle', lab.buildDir, '--pair', pair.pairId, '--data-dir', dataDir, '--out', out, '--notes', 'CLI run', '--json'])
    const { code, stdout, stderr } = await runToEnd(child)
    expect(code, stderr + stdout).toBe(0)
    const lines = stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>)
    const steps = lines.filter((line) => line.type === 'step')
    expect(steps.filter((line) => line.status === 'running').map((line) => line.id)).toEqual(['firmware', 'provision', 'reset', 'boot', 'sync', 'connect', 'bridge-test', 'report'])
    const result = lines.at(-1) as { type: string; commissioned: boolean; bridgeTestPassed: boolean; files: { html: string; json: string; supportBundle: string } }
    expect(result).toMatchObject({ type: 'result', commissioned: true, bridgeTestPassed: true, status: 'done' })
    for (const file of [result.files.html, result.files.json, result.files.supportBundle]) {
      expect(path.dirname(file)).toBe(out)
      expect(existsSync(file)).toBe(true)
    }
  }, 240_000)
})
