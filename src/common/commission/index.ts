// Commissioning a pair (issue 19): the step model, the record and the report.
export * from './steps'
export * from './report'
export * from './record'
export { renderCommissionReportHtml, escapeHtml } from './report-html'
