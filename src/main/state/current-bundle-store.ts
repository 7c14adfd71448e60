// The firmware bundle the technician chose last, kept in the data folder so Flash shows it
// again after a reload or a restart without dropping the files again:
//
//   bundle/manifest.json   id, when loaded, source, chip, flash settings, the parts
//   bundle/<sha256>.bin    each part's bytes, named by their SHA-256
//
// The manifest is written last and atomically, so it only ever names files that are there;
// files it no longer names are removed afterwards. A bundle larger than MAX_KEPT_BUNDLE_BYTES
// is used but not kept.
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { z } from 'zod'
import type { Bundle, BundlePartKind } from '../../common/bundle'
import { readJsonFile, writeFileAtomically, writeJsonFile } from './json-file'

export const BUNDLE_FOLDER = 'bundle'
/** 64 MiB: a whole 16 MB flash four times over; larger bundles are not copied into the data folder. */
export const MAX_KEPT_BUNDLE_BYTES = 64 * 1024 * 1024

const KINDS = ['bootloader', 'partition-table', 'app', 'otadata', 'data'] as const satisfies readonly BundlePartKind[]

const ManifestSchema = z.object({
  version: z.literal(1),
  bundleId: z.string().max(64),
  loadedAt: z.number(),
  source: z.string().max(2048),
  chip: z.string().max(32).optional(),
  flash: z.object({ mode: z.string().max(16).optional(), size: z.string().max(16).optional(), freq: z.string().max(16).optional() }),
  partitionTableOffset: z.number().optional(),
  parts: z
    .array(
      z.object({
        offset: z.number().int().min(0),
        name: z.string().max(1024),
        kind: z.enum(KINDS),
        sha256: z.string().regex(/^[0-9a-f]{64}$/),
        size: z.number().int().min(0),
        encrypted: z.boolean().optional(),
        raw: z.boolean().optional(),
        placed: z.boolean().optional(),
      }),
    )
    .max(256),
  problems: z.array(z.object({ code: z.string(), severity: z.enum(['error', 'warning']), message: z.string(), part: z.string().optional() })).max(256),
})

export interface KeptBundle {
  bundleId: string
  loadedAt: number
  bundle: Bundle
}

export class CurrentBundleStore {
  constructor(private readonly dataDir: string) {}

  /** Keeps `bundle` as the current one; false when it is too large to keep. */
  save(kept: KeptBundle): boolean {
    const { bundle } = kept
    if (bundle.parts.reduce((sum, part) => sum + part.bytes.length, 0) > MAX_KEPT_BUNDLE_BYTES) return false
    const parts = bundle.parts.map((part) => {
      const sha256 = createHash('sha256').update(part.bytes).digest('hex')
      writeFileAtomically(path.join(this.folder, `${sha256}.bin`), part.bytes)
      return {
        offset: part.offset, name: part.name, kind: part.kind, sha256, size: part.bytes.length,
        ...(part.encrypted ? { encrypted: true } : {}), ...(part.raw ? { raw: true } : {}), ...(part.placed ? { placed: true } : {}),
      }
    })
    writeJsonFile(path.join(this.folder, 'manifest.json'), {
      version: 1,
      bundleId: kept.bundleId,
      loadedAt: kept.loadedAt,
      source: bundle.source,
      ...(bundle.chip ? { chip: bundle.chip } : {}),
      flash: bundle.flash,
      ...(bundle.partitionTableOffset !== undefined ? { partitionTableOffset: bundle.partitionTableOffset } : {}),
      parts,
      problems: bundle.problems,
    })
    this.removeUnused(new Set(parts.map((part) => `${part.sha256}.bin`)))
    return true
  }

  /** The kept bundle, its parts checked against their SHA-256; undefined when there is none or a part is missing or changed. */
  load(): KeptBundle | undefined {
    const manifest = readJsonFile(path.join(this.folder, 'manifest.json'), ManifestSchema)
    if (!manifest) return undefined
    const parts: Bundle['parts'] = []
    for (const part of manifest.parts) {
      let bytes: Uint8Array
      try {
        bytes = new Uint8Array(readFileSync(path.join(this.folder, `${part.sha256}.bin`)))
      } catch {
        return undefined
      }
      if (bytes.length !== part.size || createHash('sha256').update(bytes).digest('hex') !== part.sha256) return undefined
      parts.push({ offset: part.offset, name: part.name, kind: part.kind, bytes, ...(part.encrypted ? { encrypted: true } : {}), ...(part.raw ? { raw: true } : {}), ...(part.placed ? { placed: true } : {}) })
    }
    const bundle: Bundle = {
      source: manifest.source,
      flash: manifest.flash,
      parts,
      problems: manifest.problems as Bundle['problems'],
      ...(manifest.chip ? { chip: manifest.chip } : {}),
      ...(manifest.partitionTableOffset !== undefined ? { partitionTableOffset: manifest.partitionTableOffset } : {}),
    }
    return { bundleId: manifest.bundleId, loadedAt: manifest.loadedAt, bundle }
  }

  private removeUnused(used: ReadonlySet<string>): void {
    let names: string[] = []
    try {
      names = readdirSync(this.folder)
    } catch {
      return
    }
    for (const name of names) if (/^[0-9a-f]{64}\.bin$/.test(name) && !used.has(name)) rmSync(path.join(this.folder, name), { force: true })
  }

  private get folder(): string {
    return path.join(this.dataDir, BUNDLE_FOLDER)
  }
}
