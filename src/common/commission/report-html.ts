// The commissioning report as one printable HTML page: self-contained (inline CSS, no scripts,
// no images, no links out), every value escaped, laid out for A4 when printed. It shows only
// what the JSON report holds, and that is already redacted.
import { CONFIG_FIELDS } from '../config/contract'
import type { CommissionReport, ReportDevice } from './report'
import { STEP_LABELS } from './steps'

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** Text made safe for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] as string)
}

const STYLE = `
:root { color-scheme: light; font: 11pt/1.45 system-ui, sans-serif; color: #1b1f24; }
body { max-width: 52rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.15rem; margin: 1.6rem 0 .5rem; border-bottom: 1px solid #c9d1d9; padding-bottom: .2rem; }
table { border-collapse: collapse; width: 100%; margin: .25rem 0; }
th, td { text-align: left; vertical-align: top; padding: .2rem .5rem .2rem 0; border-bottom: 1px solid #eaeef2; }
th { font-weight: 600; width: 14rem; }
code, .mono { font-family: ui-monospace, monospace; font-size: .92em; overflow-wrap: anywhere; }
.outcome { display: inline-block; padding: .15rem .6rem; border-radius: .3rem; font-weight: 700; }
.outcome.commissioned { background: #dafbe1; color: #116329; }
.outcome.failed { background: #ffebe9; color: #a40e26; }
.notes { white-space: pre-wrap; border: 1px solid #c9d1d9; padding: .5rem; border-radius: .3rem; }
@media print {
  @page { size: A4; margin: 16mm; }
  body { margin: 0; max-width: none; }
  h2 { break-after: avoid; }
  table, .notes { break-inside: avoid; }
}`

export function renderCommissionReportHtml(report: CommissionReport): string {
  const e = escapeHtml
  const when = (ms: number) => e(new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC'))
  const row = (label: string, value: string) => `<tr><th>${e(label)}</th><td>${value}</td></tr>`
  const text = (value: string | number | boolean | undefined | null) => (value === undefined || value === null || value === '' ? '—' : e(String(value)))
  const device = (d: ReportDevice) => `
<h2>Device ${d.role === 1 ? 'A (role 1)' : 'B (role 2)'}</h2>
<table>
${row('Link', `<span class="mono">${e(d.deviceId)}</span>`)}
${row('Chip', text(d.chip))}
${row('Revision', d.revision === undefined ? '—' : e(`v${Math.floor(d.revision / 100)}.${d.revision % 100}`))}
${row('MAC', `<span class="mono">${text(d.mac)}</span>`)}
${row('Flash size', d.flashSize === undefined ? '—' : e(`${d.flashSize / (1024 * 1024)} MB`))}
${row('Firmware', d.firmware ? e(`${d.firmware.name} ${d.firmware.version}${d.firmware.idfVersion ? ` (ESP-IDF ${d.firmware.idfVersion})` : ''}`) : '—')}
${row('Firmware SHA-256', `<span class="mono">${text(d.firmware?.sha256)}</span>`)}
${row('Flashed now', d.flashed ? 'yes' : 'no, it already held this firmware')}
${row('Site broker', `<span class="mono">${text(d.broker)}</span>`)}
</table>`
  const config = CONFIG_FIELDS.map((spec) => `<tr><th>${e(spec.label)}</th><td class="mono">${text(report.config.a[spec.field])}</td><td class="mono">${text(report.config.b[spec.field])}</td></tr>`).join('\n')
  const selected = report.ice.selected
  const endpoint = (point: { address: string; port: number; type?: string } | undefined) => (point ? e(`${point.address}:${point.port}${point.type ? ` (${point.type})` : ''}`) : '—')
  const test = report.bridgeTest
  const direction = (label: string, dir: NonNullable<typeof test>['aToB']) =>
    row(label, e(`${dir.received}/${dir.sent} received, ${dir.lost} lost (${dir.lossPercent.toFixed(1)} %), p50 ${dir.p50Ms ?? '—'} ms, p95 ${dir.p95Ms ?? '—'} ms`))
  const steps = report.steps
    .map((step) => `<tr><th>${e(STEP_LABELS[step.id])}</th><td>${e(step.status)}${step.startedAt !== undefined ? `, ${when(step.startedAt)}` : ''}${step.endedAt !== undefined && step.startedAt !== undefined ? e(` (${((step.endedAt - step.startedAt) / 1000).toFixed(1)} s)`) : ''}${step.detail ? `<br>${e(step.detail)}` : ''}${step.error ? `<br>${e(step.error.message)}` : ''}</td></tr>`)
    .join('\n')
  const findings = report.findings.length === 0 ? '<p>None.</p>' : `<table>${report.findings.map((f) => row(`${f.severity}${f.device ? ` (${f.device})` : ''}`, `${e(f.title)}<br>${e(f.action)}`)).join('\n')}</table>`
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${e(`Commissioning report — pair ${report.pairId}`)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>Commissioning report</h1>
<p>Pair <span class="mono">${e(report.pairId)}</span> · <span class="outcome ${report.outcome}">${report.outcome === 'commissioned' ? 'Commissioned' : 'Not commissioned'}</span></p>
<table>
${row('Started', when(report.startedAt))}
${row('Ended', when(report.endedAt))}
${row('Firmware bundle', `${e(report.bundle.name)}<br><span class="mono">SHA-256 ${e(report.bundle.sha256)}</span>`)}
${row('Report', `<span class="mono">${e(report.reportId)}</span>`)}
</table>
${report.devices.map(device).join('\n')}
<h2>Configuration (passwords hidden)</h2>
<table><tr><th>Setting</th><th>Site A</th><th>Site B</th></tr>
${config}
</table>
<h2>Connection</h2>
<table>
${row('Selected pair (A)', selected ? `${endpoint(selected.local)} → ${endpoint(selected.remote)}` : text(report.ice.note ?? 'none selected'))}
${row('Candidate pairs of A', e(String(report.ice.pairs)))}
${row('Candidate types of A', text(report.ice.candidateTypes.a.join(', ')))}
${row('Candidate types of B', text(report.ice.candidateTypes.b.join(', ')))}
</table>
<h2>Bridge test</h2>
${
  test
    ? `<table>
${row('Result', test.pass ? 'passed' : 'failed')}
${direction('A → B', test.aToB)}
${direction('B → A', test.bToA)}
${row('Largest payload', e(`${test.maxPayloadBytes} bytes`))}
${row('QoS 1 carried', test.qos1Carried ? 'yes' : 'no')}
${row('Retain carried', test.retainCarried ? 'yes' : 'no')}
${row('Throughput without loss', test.throughput?.maxLossFreeRate != null ? e(`${test.throughput.maxLossFreeRate} messages/s`) : '—')}
${test.findings.map((f) => row(f.severity, e(f.message))).join('\n')}
</table>`
      : '<p>Not run.</p>'
}
<h2>Steps</h2>
<table>${steps}</table>
<h2>Findings</h2>
${findings}
<h2>Technician's notes</h2>
<div class="notes">${report.notes === '' ? '—' : e(report.notes)}</div>
</body>
</html>
`
}
