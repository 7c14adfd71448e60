// Loads a firmware bundle from what a technician has: an ESP-IDF build directory (through
// build/flasher_args.json), a .zip of one, a merged flash image, or OFFSET=FILE pairs.
// Loading never validates; validateBundle() does, before anything is written.
import { stat } from 'node:fs/promises'
import path from 'node:path'
import { badOffsetInArg, bundleFromFlasherArgs, classifyPart, parseFlasherArgs, parseOffsetFileArg, splitMergedImage, type Bundle } from '../../common/bundle'
import { PairKitError } from '../../common/errors'
import { readFileCapped, readZipEntries } from './read-files'

export interface LoadBundleOptions {
  /** The target chip, when known: it guides finding the bootloader in a merged image. */
  chip?: string
}

const FLASHER_ARGS = 'flasher_args.json'

export async function loadBundle(inputs: readonly string[], options: LoadBundleOptions = {}): Promise<Bundle> {
  if (inputs.length === 0) throw new PairKitError('BAD_INPUT', 'no firmware given', { hint: 'Give a build directory, a .zip, a merged .bin, or OFFSET=FILE pairs.' })
  const pairs = inputs.map(parseOffsetFileArg)
  // "0xZZ=app.bin" is a mistyped offset, not a file of that name (unless one exists).
  for (const [index, input] of inputs.entries()) {
    const badOffset = pairs[index] ? undefined : badOffsetInArg(input)
    if (badOffset && !(await stat(input).catch(() => undefined))) throw new PairKitError('USAGE', badOffset)
  }
  if (pairs.every((pair) => pair !== undefined)) return loadOffsetList(pairs.map((pair) => pair as NonNullable<typeof pair>), options)
  if (inputs.length > 1) {
    throw new PairKitError('BAD_INPUT', `"${inputs.find((_, i) => !pairs[i])}" is not OFFSET=FILE; several inputs must all be OFFSET=FILE pairs`, { hint: 'Give one build directory, .zip or merged .bin, or only OFFSET=FILE pairs such as 0x10000=app.bin.' })
  }
  const input = inputs[0] as string
  const info = await stat(input).catch(() => undefined)
  if (!info) throw new PairKitError('NOT_FOUND', `${input} does not exist`)
  if (info.isDirectory()) return loadBuildDirectory(input)
  if (path.basename(input) === FLASHER_ARGS) return loadBuildDirectory(path.dirname(input))
  const bytes = await readFileCapped(input)
  if (!bytes) throw new PairKitError('NOT_FOUND', `${input} is not a regular file`)
  if (/\.zip$/i.test(input) || (bytes[0] === 0x50 && bytes[1] === 0x4b)) return loadZip(bytes, input)
  return splitMergedImage(bytes, { source: input, ...(options.chip ? { chip: options.chip } : {}) })
}

/** A build directory: the one holding flasher_args.json, or a project with build/ inside. */
export async function loadBuildDirectory(directory: string): Promise<Bundle> {
  let text: string | undefined
  let buildDir = directory
  for (const dir of [directory, path.join(directory, 'build')]) {
    const bytes = await readFileCapped(path.join(dir, FLASHER_ARGS))
    if (bytes) {
      text = new TextDecoder().decode(bytes)
      buildDir = dir
      break
    }
  }
  if (text === undefined) {
    throw new PairKitError('NOT_FOUND', `${directory} has no ${FLASHER_ARGS} (nor build/${FLASHER_ARGS})`, { hint: 'Build the project with idf.py build, or give the build directory itself.' })
  }
  // Read every listed file first (asynchronously), then build the bundle from them.
  const root = path.resolve(buildDir)
  const files = new Map<string, Uint8Array>()
  for (const file of parseFlasherArgs(text).files) {
    const full = path.resolve(root, file.path)
    // Only files inside the build directory: a build file must not make PairKit read elsewhere.
    if (!full.startsWith(root + path.sep)) continue
    const bytes = await readFileCapped(full)
    if (bytes) files.set(file.path, bytes)
  }
  return bundleFromFlasherArgs(text, (relative) => files.get(relative), buildDir)
}

/** A zip of a build directory (or of a project containing build/), at any depth. */
export function loadZip(zip: Uint8Array, source: string): Bundle {
  const files = readZipEntries(zip, source)
  const candidates = [...files.keys()].filter((name) => name === FLASHER_ARGS || name.endsWith(`/${FLASHER_ARGS}`))
  candidates.sort((a, b) => a.split('/').length - b.split('/').length)
  const found = candidates[0]
  if (!found) throw new PairKitError('NOT_FOUND', `${source} holds no ${FLASHER_ARGS}`, { hint: 'Zip the whole ESP-IDF build directory.' })
  const base = found.slice(0, found.length - FLASHER_ARGS.length)
  return bundleFromFlasherArgs(new TextDecoder().decode(files.get(found)), (relative) => files.get(path.posix.normalize(base + relative)), source)
}

async function loadOffsetList(pairs: { offset: number; path: string }[], options: LoadBundleOptions): Promise<Bundle> {
  const bundle: Bundle = { source: pairs.map((pair) => path.basename(pair.path)).join(', '), flash: {}, parts: [], problems: [] }
  if (options.chip) bundle.chip = options.chip
  for (const pair of pairs) {
    const bytes = await readFileCapped(pair.path)
    if (!bytes) {
      const what = (await stat(pair.path).catch(() => undefined)) ? 'is not a regular file' : 'does not exist'
      bundle.problems.push({ code: 'FILE_MISSING', severity: 'error', part: pair.path, message: `${pair.path} (for 0x${pair.offset.toString(16)}) ${what}` })
      continue
    }
    const kind = classifyPart(bytes, pair.offset, options.chip)
    bundle.parts.push({ offset: pair.offset, name: path.basename(pair.path), bytes, kind })
    if (kind === 'partition-table') bundle.partitionTableOffset = pair.offset
  }
  return bundle
}
