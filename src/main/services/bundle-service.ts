// Firmware bundles dropped into the UI: built from the files' bytes (no paths on the
// technician's disk are needed, so the browser host works the same), validated, and kept
// by id until flashed. The last one loaded is the current bundle, kept in the data folder
// (CurrentBundleStore) so it is still there after a reload or a restart.
import { randomUUID } from 'node:crypto'
import path from 'node:path'
import { base64ToBytes } from '../../common/base64'
import { bundleFromFlasherArgs, bundleSha256, classifyPart, markRawParts, splitMergedImage, validateBundle, type Bundle, type BundleReport } from '../../common/bundle'
import type { BundleSummary, RequestInput } from '../../common/contract'
import { PairKitError } from '../../common/errors'
import { subtypeName, typeName } from '../../common/partition-table'
import { loadZip } from '../bundle'
import type { CurrentBundleStore } from '../state/current-bundle-store'

const FLASHER_ARGS = 'flasher_args.json'
/** Bundles kept for flashing; older ones are forgotten first. */
const MAX_KEPT_BUNDLES = 8

interface LoadedBundle {
  bundle: Bundle
  loadedAt: number
  sha256: string
}

export class BundleService {
  private readonly bundles = new Map<string, LoadedBundle>()
  private currentId: string | undefined

  /** `store`: where the current bundle is kept across restarts; none keeps it for this run. */
  constructor(private readonly store?: CurrentBundleStore) {
    const kept = store?.load()
    if (kept) {
      this.bundles.set(kept.bundleId, { bundle: kept.bundle, loadedAt: kept.loadedAt, sha256: bundleSha256(kept.bundle) })
      this.currentId = kept.bundleId
    }
  }

  load(input: RequestInput<'bundle.load'>): BundleSummary {
    const files = new Map<string, Uint8Array>()
    for (const file of input.files) {
      const bytes = base64ToBytes(file.base64)
      if (!bytes) throw new PairKitError('BAD_INPUT', `${file.path} did not arrive intact (its contents are not base64)`)
      files.set(normalizePath(file.path), bytes)
    }
    const bundle = bundleWithPlacements(files, input.placements ?? [], input.chip)
    const missing = markRawParts(bundle, input.raw ?? [])
    if (missing.length > 0) {
      throw new PairKitError('BAD_INPUT', `0x${(missing[0] as number).toString(16)} was asked to be written as raw data, but the firmware has no part there`, {
        hint: 'Give the offset of one of the firmware\'s parts.',
      })
    }
    if (input.chip) bundle.chip = input.chip
    const bundleId = randomUUID()
    const loaded = { bundle, loadedAt: Date.now(), sha256: bundleSha256(bundle) }
    this.bundles.set(bundleId, loaded)
    this.currentId = bundleId
    while (this.bundles.size > MAX_KEPT_BUNDLES) this.bundles.delete(this.bundles.keys().next().value as string)
    try {
      this.store?.save({ bundleId, loadedAt: loaded.loadedAt, bundle })
    } catch (error) {
      // Flashing it still works; only the restart would not bring it back.
      console.warn(`PairKit could not keep the firmware for the next start: ${error instanceof Error ? error.message : String(error)}`)
    }
    return summarize(bundleId, loaded)
  }

  /** The bundle loaded last (also in an earlier run), or null. */
  current(): BundleSummary | null {
    const loaded = this.currentId === undefined ? undefined : this.bundles.get(this.currentId)
    return loaded && this.currentId ? summarize(this.currentId, loaded) : null
  }

  get(bundleId: string): Bundle {
    return this.loaded(bundleId).bundle
  }

  /** The bundle's name and fingerprint, for the flash history. */
  describe(bundleId: string): { name: string; sha256: string } {
    const loaded = this.loaded(bundleId)
    return { name: loaded.bundle.source, sha256: loaded.sha256 }
  }

  private loaded(bundleId: string): LoadedBundle {
    const loaded = this.bundles.get(bundleId)
    if (!loaded) throw new PairKitError('NOT_FOUND', 'that firmware bundle is no longer loaded', { hint: 'Drop the firmware again.' })
    return loaded
  }
}

function normalizePath(name: string): string {
  return path.posix.normalize(name.replace(/\\/g, '/'))
}

/**
 * The dropped files as a bundle: the files with an explicit offset (`placements`) are parts
 * at that offset, replacing a part the build put there; the others, when there are any, are
 * read as a build folder, zip or merged image.
 */
export function bundleWithPlacements(files: Map<string, Uint8Array>, placements: readonly { path: string; offset: number }[], chip?: string): Bundle {
  const placed = new Map<string, number>()
  for (const placement of placements) {
    const name = normalizePath(placement.path)
    if (!files.has(name)) {
      throw new PairKitError('BAD_INPUT', `${placement.path} was given an offset but is not among the dropped files`, { hint: 'Drop the file again and choose its offset.' })
    }
    placed.set(name, placement.offset)
  }
  const rest = new Map([...files].filter(([name]) => !placed.has(name)))
  const bundle: Bundle = rest.size > 0 ? bundleFromFiles(rest, chip) : { source: [...placed.keys()].map((name) => path.posix.basename(name)).join(', '), flash: {}, parts: [], problems: [] }
  for (const [name, offset] of placed) {
    const bytes = files.get(name) as Uint8Array
    const kind = classifyPart(bytes, offset, chip ?? bundle.chip)
    bundle.parts = bundle.parts.filter((part) => part.offset !== offset)
    bundle.parts.push({ offset, name: path.posix.basename(name), bytes, kind, placed: true })
    if (kind === 'partition-table') bundle.partitionTableOffset = offset
  }
  return bundle
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

function summarize(bundleId: string, loaded: LoadedBundle): BundleSummary {
  const bundle = loaded.bundle
  const report: BundleReport = validateBundle(bundle)
  return {
    bundleId,
    source: bundle.source,
    sha256: loaded.sha256,
    loadedAt: loaded.loadedAt,
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
        return {
          offset: part.offset, name: part.name, kind: part.kind, size: part.bytes.length,
          ...(detail ? { detail } : {}), ...(part.raw ? { raw: true } : {}), ...(part.placed ? { placed: true } : {}),
        }
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
