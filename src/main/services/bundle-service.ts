// Firmware bundles dropped into the UI: built from the files' bytes (no paths on the
// technician's disk are needed, so the browser host works the same), validated, and kept
// by id until flashed.
import { randomUUID } from 'node:crypto'
import path from 'node:path'
import { base64ToBytes } from '../../common/base64'
import { bundleFromFlasherArgs, bundleSha256, markRawParts, splitMergedImage, validateBundle, type Bundle, type BundleReport } from '../../common/bundle'
import type { BundleSummary, RequestInput } from '../../common/contract'
import { PairKitError } from '../../common/errors'
import { subtypeName, typeName } from '../../common/partition-table'
import { loadZip } from '../bundle'

const FLASHER_ARGS = 'flasher_args.json'
/** Bundles kept for flashing; older ones are forgotten first. */
const MAX_KEPT_BUNDLES = 8

export class BundleService {
  private readonly bundles = new Map<string, Bundle>()

  load(input: RequestInput<'bundle.load'>): BundleSummary {
    const files = new Map<string, Uint8Array>()
    for (const file of input.files) {
      const bytes = base64ToBytes(file.base64)
      if (!bytes) throw new PairKitError('BAD_INPUT', `${file.path} did not arrive intact (its contents are not base64)`)
      files.set(path.posix.normalize(file.path.replace(/\\/g, '/')), bytes)
    }
    const bundle = bundleFromFiles(files, input.chip)
    const missing = markRawParts(bundle, input.raw ?? [])
    if (missing.length > 0) {
      throw new PairKitError('BAD_INPUT', `0x${(missing[0] as number).toString(16)} was asked to be written as raw data, but the firmware has no part there`, {
        hint: 'Give the offset of one of the firmware\'s parts.',
      })
    }
    const bundleId = randomUUID()
    this.bundles.set(bundleId, bundle)
    while (this.bundles.size > MAX_KEPT_BUNDLES) this.bundles.delete(this.bundles.keys().next().value as string)
    return summarize(bundleId, bundle, validateBundle(bundle, input.chip ? { chip: input.chip } : {}))
  }

  get(bundleId: string): Bundle {
    const bundle = this.bundles.get(bundleId)
    if (!bundle) throw new PairKitError('NOT_FOUND', 'that firmware bundle is no longer loaded', { hint: 'Drop the firmware again.' })
    return bundle
  }
}

/** A build folder (with flasher_args.json at any depth), a .zip of one, or one merged .bin. */
export function bundleFromFiles(files: Map<string, Uint8Array>, chip?: string): Bundle {
  const names = [...files.keys()]
  const args = names.filter((name) => name === FLASHER_ARGS || name.endsWith(`/${FLASHER_ARGS}`)).sort((a, b) => a.split('/').length - b.split('/').length)[0]
  if (args) {
    const base = args.slice(0, args.length - FLASHER_ARGS.length)
    const text = new TextDecoder().decode(files.get(args))
    return bundleFromFlasherArgs(text, (relative) => files.get(path.posix.normalize(base + relative)), `build folder ${base || '.'}`)
  }
  if (names.length === 1) {
    const name = names[0] as string
    const bytes = files.get(name) as Uint8Array
    if (/\.zip$/i.test(name) || (bytes[0] === 0x50 && bytes[1] === 0x4b)) return loadZip(bytes, name)
    return splitMergedImage(bytes, { source: name, ...(chip ? { chip } : {}) })
  }
  throw new PairKitError('BAD_INPUT', `these ${names.length} files are not a build folder: no ${FLASHER_ARGS} among them`, {
    hint: 'Drop the whole ESP-IDF build folder, a .zip of it, or one merged .bin.',
  })
}

function summarize(bundleId: string, bundle: Bundle, report: BundleReport): BundleSummary {
  return {
    bundleId,
    source: bundle.source,
    sha256: bundleSha256(bundle),
    loadedAt: Date.now(),
    ...(report.chip ? { chip: report.chip } : {}),
    ...(report.flashSize ? { flashSize: report.flashSize } : {}),
    flash: { ...bundle.flash },
    parts: [...bundle.parts]
      .sort((a, b) => a.offset - b.offset)
      .map((part) => {
        const info = report.images.find((image) => image.part === part.name)?.info
        const app = info?.appDescriptor
        const detail = app
          ? `${app.projectName} ${app.version} (ESP-IDF ${app.idfVersion})`
          : info?.bootloaderDescriptor
            ? `bootloader, ESP-IDF ${info.bootloaderDescriptor.idfVersion}`
            : undefined
        return { offset: part.offset, name: part.name, kind: part.kind, size: part.bytes.length, ...(detail ? { detail } : {}), ...(part.raw ? { raw: true } : {}) }
      }),
    partitions: (report.partitionTable?.table.entries ?? []).map((entry) => ({
      name: entry.name,
      type: `${typeName(entry.type) ?? entry.type}/${subtypeName(entry.type, entry.subtype) ?? entry.subtype}`,
      offset: entry.offset,
      size: entry.size,
    })),
    problems: report.problems.map((problem) => ({ code: problem.code, severity: problem.severity, message: problem.message, ...(problem.part ? { part: problem.part } : {}) })),
    ok: report.ok,
  }
}
