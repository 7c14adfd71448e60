import { describe, expect, it } from 'vitest'
import { CommissionRecordSchema } from '../../../src/common/commission/record'
import { CommissionReportSchema } from '../../../src/common/commission/report'
import { escapeHtml, renderCommissionReportHtml } from '../../../src/common/commission/report-html'
import { SECRETS, sampleReport } from './fixtures'

describe('the commissioning report', () => {
  it('is described by its schema, and a record carries it', () => {
    const report = sampleReport()
    expect(CommissionReportSchema.parse(report)).toEqual(report)
    const record = { state: { commissionId: 'com-1', pairId: report.pairId, a: '/dev/ttyUSB0', b: '/dev/ttyUSB1', status: 'done', steps: report.steps, startedAt: 1 }, input: { bundle: report.bundle, notes: '' }, report }
    expect(CommissionRecordSchema.parse(record)).toEqual(record)
    expect(CommissionReportSchema.safeParse({ ...report, outcome: 'maybe' }).success).toBe(false)
    expect(CommissionRecordSchema.safeParse({ ...record, state: { ...record.state, status: 'paused' } }).success).toBe(false)
  })

  it('holds the configuration with every password hidden', () => {
    const text = JSON.stringify(sampleReport())
    for (const secret of Object.values(SECRETS)) expect(text).not.toContain(secret)
    expect(text).toContain('mqtt://tech:***@broker.example.net:1883')
  })
})

describe('the printable report page', () => {
  it('escapes every value the technician or a device gave', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;')
    const html = renderCommissionReportHtml(
      sampleReport({ notes: '<script>alert(1)</script>\nsecond line', pairId: 'a1b2c3d4e5f60708', bundle: { name: 'build <img src=x onerror=alert(1)>', sha256: '00' } }),
    )
    expect(html).not.toMatch(/<script|<img/i)
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;\nsecond line')
    expect(html).toContain('build &lt;img src=x onerror=alert(1)&gt;')
  })

  it('is one self-contained page: no scripts, nothing loaded from elsewhere, print rules', () => {
    const html = renderCommissionReportHtml(sampleReport())
    expect(html).not.toMatch(/<script|<link|<img|src=|href=|@import|url\(/i)
    expect(html).toContain("default-src 'none'")
    expect(html).toContain('@media print')
    expect(html).toContain('aa:bb:cc:dd:ee:01')
    expect(html).toContain('v3.1')
    expect(html).toContain('192.168.1.5:50000 (host) → 203.0.113.7:41000 (srflx)')
  })

  it('shows no password', () => {
    const html = renderCommissionReportHtml(sampleReport())
    for (const secret of Object.values(SECRETS)) expect(html).not.toContain(secret)
    expect(html).toContain('••••')
  })
})
