// Reading build files from disk and from zip archives, with a size cap: no part of a
// bundle can be larger than the largest flash (128 MiB), so nothing larger is read.
import { readFile, stat } from 'node:fs/promises'
import { unzipSync } from 'fflate'
import { PairKitError } from '../../common/errors'

export const MAX_FILE_BYTES = 128 * 1024 * 1024

/** The file's bytes, or undefined when it does not exist or is not a regular file. */
export async function readFileCapped(filePath: string): Promise<Uint8Array | undefined> {
  let size: number
  try {
    const info = await stat(filePath)
    if (!info.isFile()) return undefined
    size = info.size
  } catch {
    return undefined
  }
  if (size > MAX_FILE_BYTES) throw new PairKitError('BAD_INPUT', `${filePath} is ${size} bytes, larger than any flash chip`)
  try {
    return new Uint8Array(await readFile(filePath))
  } catch (error) {
    throw new PairKitError('NOT_FOUND', `cannot read ${filePath}: ${error instanceof Error ? error.message : String(error)}`)
  }
}

/** The files of a zip archive, '/'-separated paths; directories and oversized entries left out. */
export function readZipEntries(zip: Uint8Array, source: string): Map<string, Uint8Array> {
  let total = 0
  let entries: Record<string, Uint8Array>
  try {
    entries = unzipSync(zip, {
      filter: (file) => {
        if (file.name.endsWith('/')) return false
        // Only what a bundle can use: .bin images and .json build descriptions.
        if (!/\.(bin|json)$/i.test(file.name)) return false
        total += file.originalSize
        if (file.originalSize > MAX_FILE_BYTES || total > MAX_FILE_BYTES * 2) {
          throw new PairKitError('BAD_INPUT', `${source}: ${file.name} unpacks to more than any flash chip holds`)
        }
        return true
      },
    })
  } catch (error) {
    if (error instanceof PairKitError) throw error
    throw new PairKitError('BAD_INPUT', `${source} is not a readable zip archive (${error instanceof Error ? error.message : String(error)})`)
  }
  const files = new Map<string, Uint8Array>()
  for (const [name, bytes] of Object.entries(entries)) files.set(name.replace(/\\/g, '/'), bytes)
  return files
}
