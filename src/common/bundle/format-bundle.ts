// The human view of `bundle inspect`: one line per part, then the problems.
import { formatSize, subtypeName, typeName } from '../partition-table'
import type { Bundle, BundleProblem } from './model'
import { sortedParts } from './model'
import { hex } from '../hex'
import type { BundleReport } from './validate-bundle'

/** `describe` words a problem for the reader (the CLI adds its flags). */
export function formatBundleReport(bundle: Bundle, report: BundleReport, describe: (problem: BundleProblem) => string = (problem) => problem.message): string {
  const lines: string[] = []
  const flash = [bundle.flash.mode, bundle.flash.size, bundle.flash.freq].filter(Boolean).join(', ')
  lines.push(`${bundle.source}: ${report.chip ?? 'unknown chip'}${flash ? `, flash ${flash}` : ''}`)
  for (const part of sortedParts(bundle.parts)) {
    const image = report.images.find((entry) => entry.part === part.name)?.info
    let detail = ''
    if (image?.appDescriptor) detail = `${image.appDescriptor.projectName} ${image.appDescriptor.version} (ESP-IDF ${image.appDescriptor.idfVersion})`
    else if (image?.bootloaderDescriptor) detail = `ESP-IDF ${image.bootloaderDescriptor.idfVersion}`
    lines.push(`  ${hex(part.offset).padEnd(10)} ${part.kind.padEnd(15)} ${String(part.bytes.length).padStart(8)} bytes  ${part.name}${detail ? `  ${detail}` : ''}${part.encrypted ? '  (encrypted)' : ''}${part.raw ? '  (raw data, not checked)' : ''}`)
  }
  const table = report.partitionTable?.table
  if (table) {
    lines.push('  partitions:')
    for (const entry of table.entries) {
      const type = typeName(entry.type) ?? String(entry.type)
      const subtype = subtypeName(entry.type, entry.subtype) ?? String(entry.subtype)
      lines.push(`    ${entry.name.padEnd(16)} ${`${type}/${subtype}`.padEnd(16)} ${hex(entry.offset).padEnd(10)} ${formatSize(entry.size)}`)
    }
  }
  const errors = report.problems.filter((problem) => problem.severity === 'error')
  const warnings = report.problems.filter((problem) => problem.severity === 'warning')
  for (const problem of warnings) lines.push(`  warning: ${describe(problem)}`)
  for (const problem of errors) lines.push(`  error: ${describe(problem)}`)
  lines.push(report.ok ? '  ready to flash' : `  NOT ready to flash: ${errors.length} error${errors.length === 1 ? '' : 's'}`)
  return lines.join('\n')
}
