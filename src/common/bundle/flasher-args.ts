// build/flasher_args.json as ESP-IDF writes it. ESP-IDF ≤ 5.5 spells esptool options with
// underscores (--flash_mode), ≥ 6.0 with dashes (--flash-mode); both are read. Keys are
// compared with '-' and '_' treated alike, so either spelling of any key is accepted.
import type { FlashSettings } from './flash-settings'
import type { BundlePartKind, BundleProblem } from './model'
import { parseFlashOffset } from './offset-list'

export interface FlasherArgsFile {
  offset: number
  /** Relative to the build directory, '/'-separated. */
  path: string
  /** The build's name for the image ("bootloader", "partition-table", "app", "otadata", …). */
  name?: string
  kind: BundlePartKind
  encrypted: boolean
}

export interface FlasherArgs {
  chip?: string
  flash: FlashSettings
  files: FlasherArgsFile[]
  problems: BundleProblem[]
}

/** Parses the text of flasher_args.json; problems instead of exceptions for bad content. */
export function parseFlasherArgs(text: string): FlasherArgs {
  const result: FlasherArgs = { flash: {}, files: [], problems: [] }
  const bad = (message: string) => result.problems.push({ code: 'BAD_BUILD_FILE', severity: 'error', message: `flasher_args.json: ${message}` })
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    bad(`not valid JSON (${error instanceof Error ? error.message : String(error)})`)
    return result
  }
  if (!isObject(json)) {
    bad('the top level is not an object')
    return result
  }
  const root = normalizeKeys(json)

  // flash_settings is authoritative; write_flash_args is the fallback (and the only place older builds had them).
  const args = Array.isArray(root.write_flash_args) ? root.write_flash_args.filter((item): item is string => typeof item === 'string') : []
  const fromArgs = (option: string) => {
    const index = args.findIndex((arg) => arg.replace(/-/g, '_') === `__${option}`)
    return index >= 0 ? args[index + 1] : undefined
  }
  const settings = isObject(root.flash_settings) ? normalizeKeys(root.flash_settings) : {}
  const pick = (key: string) => (typeof settings[key] === 'string' ? (settings[key] as string) : fromArgs(key))
  const mode = pick('flash_mode')
  const size = pick('flash_size')
  const freq = pick('flash_freq')
  if (mode !== undefined) result.flash.mode = mode
  if (size !== undefined) result.flash.size = size
  if (freq !== undefined) result.flash.freq = freq

  const extra = isObject(root.extra_esptool_args) ? normalizeKeys(root.extra_esptool_args) : {}
  if (typeof extra.chip === 'string') result.chip = extra.chip

  // Per-image objects ({offset, file, encrypted}) give names and the encrypted flag.
  const named = new Map<string, { name: string; encrypted: boolean }>()
  for (const [key, value] of Object.entries(json)) {
    if (!isObject(value) || typeof value.offset !== 'string' || typeof value.file !== 'string') continue
    const offset = parseFlashOffset(value.offset)
    if (offset === undefined) continue
    named.set(`${offset}|${value.file}`, { name: key, encrypted: value.encrypted === 'true' || value.encrypted === true })
  }

  if (!isObject(root.flash_files)) {
    bad('it has no "flash_files" object')
    return result
  }
  for (const [offsetText, file] of Object.entries(root.flash_files)) {
    const offset = parseFlashOffset(offsetText)
    if (offset === undefined || typeof file !== 'string' || file === '') {
      bad(`flash_files entry "${offsetText}" is not an offset and a file name`)
      continue
    }
    const known = named.get(`${offset}|${file}`)
    result.files.push({
      offset,
      path: file.replace(/\\/g, '/'),
      ...(known ? { name: known.name } : {}),
      kind: kindFromName(known?.name, file),
      encrypted: known?.encrypted ?? false,
    })
  }
  result.files.sort((a, b) => a.offset - b.offset)
  return result
}

/** The kind of a build image from its flasher_args name, else from its file name. */
export function kindFromName(name: string | undefined, file: string): BundlePartKind {
  const key = (name ?? '').replace(/_/g, '-')
  if (key === 'bootloader') return 'bootloader'
  if (key === 'partition-table') return 'partition-table'
  if (key === 'app') return 'app'
  if (key === 'otadata') return 'otadata'
  if (name !== undefined) return 'data'
  const base = file.split('/').pop() ?? file
  if (/^bootloader.*\.bin$/.test(base)) return 'bootloader'
  if (/^partition[-_]table.*\.bin$/.test(base)) return 'partition-table'
  if (/^ota_data_initial\.bin$/.test(base)) return 'otadata'
  return 'app'
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function normalizeKeys(object: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(object)) out[key.replace(/-/g, '_')] ??= value
  return out
}
