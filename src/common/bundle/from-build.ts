// A bundle from a parsed flasher_args.json and a way to read the build's files (a
// directory on disk or the entries of a zip), so both share one set of rules.
import { classifyPart } from './classify'
import { parseFlasherArgs } from './flasher-args'
import type { Bundle } from './model'

export type BuildFileReader = (relativePath: string) => Uint8Array | undefined

export function bundleFromFlasherArgs(flasherArgsText: string, readBuildFile: BuildFileReader, source: string): Bundle {
  const args = parseFlasherArgs(flasherArgsText)
  const bundle: Bundle = { source, flash: args.flash, parts: [], problems: [...args.problems] }
  if (args.chip !== undefined) bundle.chip = args.chip
  for (const file of args.files) {
    const bytes = readBuildFile(file.path)
    if (!bytes) {
      bundle.problems.push({ code: 'FILE_MISSING', severity: 'error', part: file.name ?? file.path, message: `${file.path} (for 0x${file.offset.toString(16)}) is missing from the build` })
      continue
    }
    // A file the build lists without naming it (an nvs.bin from nvs_create_partition_image,
    // a SPIFFS image) is told by its bytes: only an ESP image is an app.
    const kind = file.name === undefined && file.kind === 'app' ? classifyPart(bytes, file.offset, args.chip) : file.kind
    bundle.parts.push({ offset: file.offset, name: file.name ?? file.path, bytes, kind, ...(file.encrypted ? { encrypted: true } : {}) })
    if (kind === 'partition-table') bundle.partitionTableOffset = file.offset
  }
  return bundle
}
