// The support bundle holds the devices' raw consoles, which may print anything: every file in
// it is scrubbed of the pair's secrets, byte for byte, and the spool's offsets still hold.
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { unzipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import { redactConfig } from '../../../../src/common/config'
import { renderCommissionReportHtml } from '../../../../src/common/commission/report-html'
import { buildIceModel } from '../../../../src/common/ice'
import type { LogEvent } from '../../../../src/common/logs/events'
import { buildSupportBundle, scrubSecrets } from '../../../../src/main/commission/support-bundle'
import { MemorySecretStore } from '../../../../src/main/secrets/secret-store'
import { ConfigService } from '../../../../src/main/services/config-service'
import { makeTempDir } from '../../../support/temp-dir'
import { pairConfig, SECRETS, sampleReport } from '../../commission/fixtures'

describe('the support bundle', () => {
  it('overwrites each secret with as many stars, leaving the rest of the bytes where they were', () => {
    const bytes = new TextEncoder().encode(`pass=${SECRETS.sta};uri=mqtt://u:${SECRETS.broker}@h;again ${SECRETS.sta}`)
    const scrubbed = new TextDecoder().decode(scrubSecrets(bytes, [SECRETS.sta, SECRETS.broker]))
    expect(scrubbed).toBe(`pass=${'*'.repeat(SECRETS.sta.length)};uri=mqtt://u:${'*'.repeat(SECRETS.broker.length)}@h;again ${'*'.repeat(SECRETS.sta.length)}`)
    expect(scrubbed.length).toBe(bytes.length)
  })

  it('holds no Wi-Fi, broker, TURN or signalling password in any file, whatever the consoles printed', async () => {
    // The pair's secrets as the app keeps them: in the SecretStore, found again by the service.
    const config = new ConfigService(new MemorySecretStore())
    const { a, b } = { a: pairConfig(1), b: pairConfig(2) }
    const pair = config.pair({
      siteA: { staSsid: a.staSsid, staPassword: a.staPassword, apSsid: 'iot-a', apPassword: a.apPassword, signallingUri: a.signallingUri, turnHost: a.turnHost, turnUser: a.turnUser, turnPassword: a.turnPassword },
      siteB: { staSsid: b.staSsid, staPassword: b.staPassword, apSsid: 'iot-b', apPassword: b.apPassword },
    })
    const secrets = config.secretTexts(pair.pairId)
    expect(secrets).toEqual(expect.arrayContaining([SECRETS.sta, SECRETS.ap, SECRETS.turn, SECRETS.broker]))

    const spool = path.join(makeTempDir('pairkit-support-'), 'mon-1')
    mkdirSync(spool)
    writeFileSync(path.join(spool, 'raw.bin'), `I (312) wifi: connecting with ${SECRETS.sta}\nI (400) sync: mqtt://tech:${SECRETS.broker}@broker.example.net:1883\nTURN ${SECRETS.turn} AP ${SECRETS.ap}\n`)
    writeFileSync(path.join(spool, 'session.json'), JSON.stringify({ note: `leaked ${SECRETS.ap}` }))
    const leaking: LogEvent = { kind: 'raw', t: 1, text: `password ${SECRETS.turn}`, source: { line: 1 } } as unknown as LogEvent
    const report = sampleReport({ pairId: pair.pairId, config: { a: pair.a, b: pair.b } })
    const zip = await buildSupportBundle({
      report,
      html: renderCommissionReportHtml(report),
      pair,
      secrets,
      a: { folder: 'a', deviceId: '/dev/ttyUSB0', events: [leaking], ice: buildIceModel([]), spoolDirs: [spool] },
      b: { folder: 'b', deviceId: '/dev/ttyUSB1', events: [], ice: buildIceModel([]), spoolDirs: [] },
    })
    const entries = unzipSync(zip)
    expect(Object.keys(entries)).toEqual(expect.arrayContaining(['a/spool/mon-1/raw.bin', 'a/spool/mon-1/session.json', 'a/events.jsonl', 'configuration.json', 'report.json', 'report.html']))
    for (const [name, bytes] of Object.entries(entries)) {
      const text = Buffer.from(bytes).toString('latin1')
      for (const secret of Object.values(SECRETS)) expect(text.includes(secret), `${secret} in ${name}`).toBe(false)
    }
    expect(Buffer.from(entries['a/spool/mon-1/raw.bin'] as Uint8Array).toString()).toContain(`mqtt://tech:${'*'.repeat(SECRETS.broker.length)}@broker`)
    expect(JSON.parse(Buffer.from(entries['configuration.json'] as Uint8Array).toString()).a).toEqual(redactConfig(pair.a))
  })
})
