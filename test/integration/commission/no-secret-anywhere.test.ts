// No secret anywhere: after a whole commissioning of two twins with distinctive Wi-Fi, IoT
// network, signalling broker and TURN passwords, every file PairKit wrote under its data folder
// — the monitor's spool (raw.bin, session.json), the commissioning records and reports, the
// support bundle (unzipped, entry by entry), history, state JSON, pairs.json, any log — is
// searched for each password, and none holds one.
//
// The only places allowed to hold them are listed in ALLOWED below, each with its reason; the
// twins' flash files are kept outside the data folder here (a board's flash is the device's,
// not PairKit's), so the search covers the data folder whole.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { unzipSync } from 'fflate'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bundleSha256 } from '../../../src/common/bundle'
import type { CommissionState } from '../../../src/common/commission/steps'
import { createCommissionRuntime, type CommissionRuntime } from '../../../src/main/commission/commission-runtime'
import { MemorySecretStore } from '../../../src/main/secrets/secret-store'
import { makeTempDir } from '../../support/temp-dir'
import { freePort } from '../../support/free-port'
import { siteSettings, startCommissionLab, type CommissionLab } from './support/two-twins'

/** Distinctive, so a hit can only be a leak. */
const PASSWORDS = {
  wifi: 'NoLeak-WiFi-5821q',
  apA: 'NoLeak-AP-A-7730w',
  apB: 'NoLeak-AP-B-1946e',
  broker: 'NoLeak-Broker-3307r',
  turn: 'NoLeak-TURN-8814t',
}

/**
 * Files allowed to hold a password, relative to the data folder, and why:
 * - secrets.json: the encrypted secret store, when the desktop app writes one (its values are
 *   encrypted by the OS, so even there the plain text is not found; this test's store is memory).
 * Nothing else: the twins' flash (NVS with the passwords in it) lives with the devices, outside.
 */
const ALLOWED: ReadonlyArray<{ file: RegExp; why: string }> = [{ file: /^secrets\.json$/, why: 'the encrypted secret store' }]

function filesUnder(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const full = path.join(folder, name)
    return statSync(full).isDirectory() ? filesUnder(full) : [full]
  })
}

/** Each file's bytes, and each entry of a .zip as a file of its own. */
function contents(file: string): Array<{ where: string; bytes: Uint8Array }> {
  const bytes = new Uint8Array(readFileSync(file))
  if (!/\.zip$/i.test(file)) return [{ where: file, bytes }]
  return [{ where: file, bytes }, ...Object.entries(unzipSync(bytes)).map(([name, entry]) => ({ where: `${file}!${name}`, bytes: entry }))]
}

/** The password as text, and as the URL-encoded and JSON-escaped forms a file might hold. */
function forms(secret: string): string[] {
  return [...new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1), Buffer.from(secret).toString('base64')])]
}

describe('no secret anywhere in the data folder after a commissioning', () => {
  let lab: CommissionLab
  let runtime: CommissionRuntime
  let dataDir: string
  let state: CommissionState

  beforeAll(async () => {
    lab = await startCommissionLab(makeTempDir('pairkit-no-secret-devices-'))
    dataDir = makeTempDir('pairkit-no-secret-data-')
    runtime = createCommissionRuntime({ dataDir, secrets: new MemorySecretStore(), bridgeTest: { count: 20, throughput: false, drainMs: 800 } })
    const sites = siteSettings(lab)
    // A TURN server nobody runs: its settings (and password) are written and used, nothing answers.
    const turn = { turnHost: '127.0.0.1', turnPort: await freePort(), turnUser: 'no-leak-turn-user', turnPassword: PASSWORDS.turn }
    const signallingUri = `mqtt://technician:${PASSWORDS.broker}@127.0.0.1:${lab.signallingPort}`
    const pairId = runtime.config.pair({
      siteA: { ...sites.siteA, ...turn, signallingUri, staPassword: PASSWORDS.wifi, apPassword: PASSWORDS.apA },
      siteB: { ...sites.siteB, ...turn, signallingUri, staPassword: PASSWORDS.wifi, apPassword: PASSWORDS.apB },
    }).pairId
    const commissionId = runtime.service.start({ a: lab.a.url, b: lab.b.url, pairId, bundle: lab.bundle, bundleInfo: { name: lab.bundle.source, sha256: bundleSha256(lab.bundle) } })
    state = await runtime.service.wait(commissionId)
    // The support bundle is written on demand: ask for it, as a technician would.
    await runtime.service.supportBundle(commissionId)
  }, 150_000)
  afterAll(async () => {
    await runtime?.dispose()
    await lab?.close()
  })

  it('commissions the pair (so every file a commissioning writes is there to search)', () => {
    expect(state.status, JSON.stringify(state.steps, null, 1)).toBe('done')
  })

  it('finds none of the passwords in any file, zip entry, spool, record, report, history or log', () => {
    const files = filesUnder(dataDir)
    const relative = files.map((file) => path.relative(dataDir, file))
    // What there is to search: the spool, the records and reports, the support bundle, history, pairs.
    expect(relative.some((name) => /raw\.bin$/.test(name))).toBe(true)
    expect(relative.some((name) => /session\.json$/.test(name))).toBe(true)
    expect(relative.some((name) => /^records\/.+\.json$/.test(name))).toBe(true)
    expect(relative.some((name) => /^records\/.+\.html$/.test(name))).toBe(true)
    expect(relative.some((name) => /-support\.zip$/.test(name))).toBe(true)
    expect(relative).toContain('pairs.json')
    console.log(`searched ${relative.length} files:\n${relative.sort().join('\n')}`)
    const leaks: string[] = []
    for (const file of files) {
      if (ALLOWED.some((allowed) => allowed.file.test(path.relative(dataDir, file)))) continue
      for (const { where, bytes } of contents(file)) {
        const text = Buffer.from(bytes).toString('latin1')
        for (const [name, secret] of Object.entries(PASSWORDS)) {
          for (const form of forms(secret)) if (text.includes(form)) leaks.push(`${name} in ${path.relative(dataDir, where)}`)
        }
      }
    }
    expect(leaks).toEqual([])
  })
})
