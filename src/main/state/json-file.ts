// The app's records on disk: small JSON files in the data folder, checked against a schema
// when read and written atomically (a new file renamed into place), so a crash or a full disk
// never leaves half a file. A file that cannot be read as what it should be (damaged, written
// by another version, edited by hand) is renamed aside, not deleted: the app starts without it,
// says so once, and the technician can still recover it.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import path from 'node:path'
import type { z } from 'zod'

/** No record file of the app comes near this; a larger one is not read into memory. */
export const MAX_RECORD_FILE_BYTES = 16 * 1024 * 1024

export interface JsonFileOptions {
  /** File mode for a new file (0o600 for anything close to private). */
  mode?: number
  /** Told when a file was set aside, with the sentence to log. */
  onSetAside?: (message: string) => void
}

/** The file's content, checked; undefined when there is no file or it was set aside. */
export function readJsonFile<S extends z.ZodType>(file: string, schema: S, options: JsonFileOptions = {}): z.output<S> | undefined {
  let text: string
  try {
    if (statSync(file).size > MAX_RECORD_FILE_BYTES) return setAside(file, `it is larger than ${MAX_RECORD_FILE_BYTES / (1024 * 1024)} MB`, options)
    text = readFileSync(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    return setAside(file, (error as Error).message, options)
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return setAside(file, 'it is not valid JSON', options)
  }
  const parsed = schema.safeParse(json)
  if (!parsed.success) return setAside(file, `it does not hold what PairKit expects (${parsed.error.issues[0]?.message ?? 'unknown content'})`, options)
  return parsed.data
}

/** Writes `value` as JSON: to a new file in the same folder, flushed, then renamed over the old one. */
export function writeJsonFile(file: string, value: unknown, options: JsonFileOptions = {}): void {
  writeFileAtomically(file, JSON.stringify(value, null, 1), options.mode)
}

export function writeFileAtomically(file: string, data: string | Uint8Array, mode = 0o644): void {
  mkdirSync(path.dirname(file), { recursive: true })
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`)
  try {
    const fd = openSync(temp, 'wx', mode)
    try {
      const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data
      for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at)
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    renameSync(temp, file)
  } catch (error) {
    rmSync(temp, { force: true })
    throw error
  }
}

function setAside(file: string, why: string, options: JsonFileOptions): undefined {
  const aside = `${file}.unreadable-${new Date().toISOString().replace(/[:.]/g, '-')}`
  let where = `it was renamed to ${path.basename(aside)}`
  try {
    renameSync(file, aside)
  } catch {
    where = 'it was left as it is'
  }
  const message = `PairKit could not read ${file}: ${why}; ${where} and PairKit starts without it`
  ;(options.onSetAside ?? console.warn)(message)
  return undefined
}
