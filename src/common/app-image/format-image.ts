// A short human summary of a parsed image, for `bundle inspect` and the UI's details pane.
import { chipById } from '../esp/chips'
import { formatRevision } from './chip-check'
import { hex } from '../hex'
import type { ImageInfo } from './parse-image'

export function formatImage(info: ImageInfo): string {
  const { header } = info
  const chip = chipById(header.chipId)?.displayName ?? `unknown chip (id ${header.chipId})`
  const lines: string[] = []
  const what = info.kind === 'app' ? 'app image' : info.kind === 'bootloader' ? 'bootloader image' : 'image'
  lines.push(`${chip} ${what}, ${info.fileLength} bytes, entry ${hex(header.entryPoint)}`)
  lines.push(`  flash: ${header.flashMode ?? `mode ${header.flashModeCode}`}, ${header.flashSize ?? `size code ${header.flashSizeCode}`}, ${header.flashFreq ?? `frequency code ${header.flashFreqCode}`}`)
  const maxRev = header.maxRevFull === 0 ? '' : `, up to ${formatRevision(header.maxRevFull)}`
  lines.push(`  chip revision: from ${formatRevision(header.minRevFull)}${maxRev}`)
  lines.push(`  segments: ${info.segments.length}`)
  for (const segment of info.segments) {
    const types = segment.memoryTypes.length > 0 ? `  ${segment.memoryTypes.join(', ')}` : ''
    lines.push(`    ${String(segment.index).padStart(2)}  ${hex(segment.loadAddress).padEnd(10)}  ${String(segment.length).padStart(7)} bytes${types}`)
  }
  if (info.checksum) lines.push(`  checksum: 0x${info.checksum.stored.toString(16).padStart(2, '0')} (${info.checksum.valid ? 'valid' : 'INVALID'})`)
  if (info.digest) lines.push(`  SHA-256: ${info.digest.stored} (${info.digest.valid ? 'valid' : 'INVALID'})`)
  if (info.trailingLength > 0) lines.push(`  ${info.trailingLength} bytes after the image (signature or padding)`)
  const app = info.appDescriptor
  if (app) {
    lines.push(`  project: ${app.projectName} ${app.version}`)
    lines.push(`  built: ${app.date} ${app.time} with ESP-IDF ${app.idfVersion}`)
    lines.push(`  ELF SHA-256: ${app.elfSha256}`)
    lines.push(`  secure version: ${app.secureVersion}`)
  }
  const boot = info.bootloaderDescriptor
  if (boot) lines.push(`  bootloader version ${boot.version}, ESP-IDF ${boot.idfVersion}, built ${boot.dateTime}`)
  for (const problem of info.problems) lines.push(`  problem: ${problem.message}`)
  return lines.join('\n')
}
