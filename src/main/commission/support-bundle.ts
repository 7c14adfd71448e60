// The support bundle: one .zip for remote help with everything about one commissioning — both
// devices' spooled console bytes (raw.bin and session.json of each monitor session), their
// parsed events (JSON lines), their ICE models and the pair's view, the redacted configuration,
// and the report (JSON and HTML). Every file is scrubbed of the pair's secrets before it goes
// in: each occurrence is overwritten with as many '*' bytes, so the spool's offsets still hold.
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { zipSync, type Zippable } from 'fflate'
import type { CommissionReport } from '../../common/commission/report'
import type { PairSummary } from '../../common/contract'
import { joinPair, type IceDeviceModel } from '../../common/ice'
import type { LogEvent } from '../../common/logs/events'
import { RAW_FILE, SESSION_FILE } from '../monitor/spool-format'

export interface SupportDevice {
  /** "a" or "b": the folder in the zip. */
  folder: 'a' | 'b'
  deviceId: string
  events: readonly LogEvent[]
  ice: IceDeviceModel
  /** The spool folders of the device's monitor sessions during the commissioning. */
  spoolDirs: readonly string[]
}

export interface SupportBundleInput {
  report: CommissionReport
  html: string
  pair: PairSummary
  a: SupportDevice
  b: SupportDevice
  /** The pair's secrets in clear text: none of them may leave in the zip. */
  secrets: readonly string[]
}

export async function buildSupportBundle(input: SupportBundleInput): Promise<Uint8Array> {
  const encoder = new TextEncoder()
  const files: Record<string, Uint8Array> = {
    'report.json': encoder.encode(JSON.stringify(input.report, null, 1)),
    'report.html': encoder.encode(input.html),
    'configuration.json': encoder.encode(JSON.stringify({ pairId: input.pair.pairId, createdAt: input.pair.createdAt, a: input.pair.a, b: input.pair.b }, null, 1)),
    'ice-pair.json': encoder.encode(JSON.stringify(joinPair({ name: input.a.deviceId, model: input.a.ice }, { name: input.b.deviceId, model: input.b.ice }), null, 1)),
    'README.txt': encoder.encode(
      [
        `PairKit support bundle for pair ${input.pair.pairId}, commissioning ${input.report.commissionId}.`,
        'a/ is device A (role 1), b/ device B (role 2): events.jsonl (parsed console events, one per line),',
        'ice.json (ICE model), spool/<session>/raw.bin and session.json (console bytes as received;',
        'read them with the "logs parse" command of PairKit\'s command line). Passwords are overwritten with * everywhere.',
        '',
      ].join('\n'),
    ),
  }
  for (const device of [input.a, input.b]) {
    files[`${device.folder}/events.jsonl`] = encoder.encode(device.events.map((event) => JSON.stringify(event)).join('\n') + '\n')
    files[`${device.folder}/ice.json`] = encoder.encode(JSON.stringify(device.ice, null, 1))
    for (const dir of device.spoolDirs) {
      for (const name of [RAW_FILE, SESSION_FILE]) {
        const bytes = await readFile(path.join(dir, name)).catch(() => undefined)
        if (bytes) files[`${device.folder}/spool/${path.basename(dir)}/${name}`] = new Uint8Array(bytes)
      }
    }
  }
  const zippable: Zippable = {}
  for (const [name, bytes] of Object.entries(files)) zippable[name] = scrubSecrets(bytes, input.secrets)
  return zipSync(zippable, { level: 6 })
}

/** `bytes` with every occurrence of each secret (as UTF-8) overwritten by '*' bytes of its length. */
export function scrubSecrets(bytes: Uint8Array, secrets: readonly string[]): Uint8Array {
  const buffer = Buffer.from(bytes)
  for (const secret of secrets) {
    if (secret.length === 0) continue
    const needle = Buffer.from(secret, 'utf8')
    for (let at = buffer.indexOf(needle); at >= 0; at = buffer.indexOf(needle, at + needle.length)) buffer.fill(0x2a, at, at + needle.length)
  }
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
}
