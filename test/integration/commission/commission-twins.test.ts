// Commissioning two twins end to end with the service: A's empty flash is written, B already
// holds the firmware and is left; both are provisioned, reset, boot, sync and connect; the bridge
// test passes between the brokers their consoles announce; the report, its page and the support
// bundle hold none of the pair's passwords; the records and the pair's history survive a restart.
import { readFileSync } from 'node:fs'
import { unzipSync } from 'fflate'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CommissionReportSchema, type CommissionReport } from '../../../src/common/commission/report'
import type { CommissionState } from '../../../src/common/commission/steps'
import { createCommissionRuntime, type CommissionRuntime } from '../../../src/main/commission/commission-runtime'
import { CommissionStore } from '../../../src/main/commission/commission-store'
import { MemorySecretStore } from '../../../src/main/secrets/secret-store'
import { HistoryStore } from '../../../src/main/state/history-store'
import { bundleSha256 } from '../../../src/common/bundle'
import { makeTempDir } from '../../support/temp-dir'
import { SECRETS, siteSettings, startCommissionLab, type CommissionLab } from './support/two-twins'

const FAST_TEST = { count: 20, throughput: false, drainMs: 800 } as const

function expectNoSecret(bytes: Uint8Array, where: string): void {
  const text = Buffer.from(bytes).toString('latin1')
  for (const secret of Object.values(SECRETS)) expect(text.includes(secret), `${secret} in ${where}`).toBe(false)
}

describe('commissioning two twins', () => {
  let lab: CommissionLab
  let runtime: CommissionRuntime
  let dataDir: string
  let pairId: string
  let state: CommissionState
  let report: CommissionReport

  beforeAll(async () => {
    const dir = makeTempDir('pairkit-commission-')
    dataDir = makeTempDir('pairkit-commission-data-')
    lab = await startCommissionLab(dir)
    runtime = createCommissionRuntime({ dataDir, secrets: new MemorySecretStore(), bridgeTest: FAST_TEST })
    pairId = runtime.config.pair(siteSettings(lab)).pairId
    const commissionId = runtime.service.start({
      a: lab.a.url,
      b: lab.b.url,
      pairId,
      bundle: lab.bundle,
      bundleInfo: { name: lab.bundle.source, sha256: bundleSha256(lab.bundle) },
      notes: 'Mounted in cabinet 3 <left> & "right"',
    })
    state = await runtime.service.wait(commissionId)
    // A flow that did not finish has no report: the first test then says which step failed and why.
    if (state.status === 'done') report = runtime.service.report(commissionId).report
  }, 150_000)
  afterAll(async () => {
    await runtime?.dispose()
    await lab?.close()
  })

  it('runs every step to its end, flashing only the device that lacked the firmware', () => {
    expect(state.status, JSON.stringify(state.steps, null, 1)).toBe('done')
    expect(state.steps.map((step) => step.status)).toEqual(['done', 'done', 'done', 'done', 'done', 'done', 'done', 'done'])
    const firmware = state.steps[0]
    expect(firmware?.detail).toContain('A was flashed')
    expect(firmware?.detail).toContain('B already holds this firmware')
    for (const step of state.steps) expect(step.endedAt as number).toBeGreaterThanOrEqual(step.startedAt as number)
  })

  it('reports the devices, the connection and a passing bridge test', () => {
    expect(CommissionReportSchema.parse(report)).toEqual(report)
    expect(report.outcome).toBe('commissioned')
    expect(report.devices.map((device) => [device.role, device.flashed, device.chip, device.firmware?.name])).toEqual([
      [1, true, 'esp32', 'serverless_mqtt'],
      [2, false, 'esp32', 'serverless_mqtt'],
    ])
    for (const device of report.devices) {
      expect(device.mac).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/)
      expect(device.firmware?.sha256).toMatch(/^[0-9a-f]{64}$/)
      expect(device.broker).toMatch(/^mqtt:\/\/127\.0\.0\.1:\d+$/)
    }
    // libjuice does not log the pair it selects: the report says so rather than guess.
    if (report.ice.selected) expect(report.ice.selected.remote.address).toBeTruthy()
    else expect(report.ice.note).toContain('selected')
    expect(report.ice.pairs).toBeGreaterThan(0)
    expect(report.ice.candidateTypes.a).toContain('host')
    expect(report.bridgeTest?.pass).toBe(true)
    expect(report.bridgeTest?.aToB.received).toBe(20)
    expect(report.config.a.staPassword).toBe('••••')
    expect(report.config.a.signallingUri).toContain('technician:***@')
    expect(report.notes).toBe('Mounted in cabinet 3 <left> & "right"')
  })

  it('writes the report JSON, a printable page and a support bundle with no password in any byte', () => {
    const files = runtime.service.files(state.commissionId)
    expect(files).toBeDefined()
    const json = readFileSync(files?.json as string)
    const html = readFileSync(files?.html as string)
    const zip = readFileSync(files?.supportBundle as string)
    expectNoSecret(json, 'report.json')
    expectNoSecret(html, 'report.html')
    expect(html.toString()).toContain('cabinet 3 &lt;left&gt; &amp; &quot;right&quot;')
    expect(html.toString()).not.toMatch(/<script/i)
    const entries = unzipSync(new Uint8Array(zip))
    const names = Object.keys(entries)
    expect(names).toEqual(expect.arrayContaining(['report.json', 'report.html', 'configuration.json', 'ice-pair.json', 'a/events.jsonl', 'b/events.jsonl', 'a/ice.json', 'b/ice.json']))
    expect(names.some((name) => /^a\/spool\/.+\/raw\.bin$/.test(name))).toBe(true)
    expect(names.some((name) => /^b\/spool\/.+\/session\.json$/.test(name))).toBe(true)
    for (const [name, bytes] of Object.entries(entries)) expectNoSecret(bytes, name)
    // The consoles did print the broker's address: the scrub is what keeps its password out.
    expect(Buffer.from(entries['a/events.jsonl'] as Uint8Array).toString()).toContain('sync-done')
  })

  it('keeps the record and the pair\'s history after a restart', () => {
    const store = new CommissionStore(dataDir)
    const [record] = store.list(pairId)
    expect(record?.state.status).toBe('done')
    expect(record?.report?.reportId).toBe(report.reportId)
    const history = new HistoryStore(dataDir).list({ pairId })
    const operations = history.map((entry) => `${entry.operation} ${entry.pair?.role} ${entry.outcome}`)
    expect(operations).toEqual(expect.arrayContaining(['commission 1 done', 'commission 2 done', 'bridge-test 1 done', 'bridge-test 2 done', 'provision 1 done', 'provision 2 done', 'flash 1 done']))
    expect(operations).not.toContain('flash 2 done')
    expect(history.every((entry) => entry.commissionId === state.commissionId)).toBe(true)
  })
})

describe('a commissioning whose signalling broker is down', () => {
  let lab: CommissionLab
  let runtime: CommissionRuntime

  beforeAll(async () => {
    lab = await startCommissionLab(makeTempDir('pairkit-commission-fault-'))
    runtime = createCommissionRuntime({ dataDir: makeTempDir('pairkit-commission-fault-data-'), secrets: new MemorySecretStore(), bridgeTest: FAST_TEST, timeouts: { sync: 40_000 } })
  }, 30_000)
  afterAll(async () => {
    await runtime?.dispose()
    await lab?.close()
  })

  it('fails at the sync with the diagnosis and what to do, and resumes from there once the broker is back', async () => {
    const pairId = runtime.config.pair(siteSettings(lab)).pairId
    // The broker goes away while the devices are provisioned, before they are reset.
    const stopped = new Promise<void>((resolve) => {
      runtime.service.onState((changed) => {
        if (changed.steps.find((step) => step.id === 'provision')?.status === 'running') void lab.signalling.close().then(resolve)
      })
    })
    const commissionId = runtime.service.start({ a: lab.a.url, b: lab.b.url, pairId, bundle: lab.bundle, bundleInfo: { name: lab.bundle.source, sha256: bundleSha256(lab.bundle) } })
    await stopped
    const failed = await runtime.service.wait(commissionId)
    expect(failed.status).toBe('failed')
    const sync = failed.steps.find((step) => step.id === 'sync')
    expect(sync?.status, JSON.stringify(failed.steps, null, 1)).toBe('failed')
    expect(failed.steps.find((step) => step.id === 'boot')?.status).toBe('done')
    expect(sync?.findings?.map((finding) => finding.id)).toContain('signalling-broker-unreachable')
    expect(sync?.error?.hint).toMatch(/signalling broker address/)
    expect(failed.steps.slice(5).every((step) => step.status === 'pending')).toBe(true)

    await lab.restartSignalling()
    runtime.service.resume(commissionId)
    const resumed = await runtime.service.wait(commissionId)
    expect(resumed.status, JSON.stringify(resumed.steps, null, 1)).toBe('done')
    const again = resumed.steps.find((step) => step.id === 'sync')
    expect(again?.status).toBe('done')
    expect(again?.attempts).toBe(2)
    // Earlier steps were not run again.
    expect(resumed.steps.find((step) => step.id === 'provision')?.attempts).toBe(1)
    expect(runtime.service.report(commissionId).report.outcome).toBe('commissioned')
  }, 180_000)
})
