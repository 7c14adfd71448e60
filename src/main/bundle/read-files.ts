// Reading build files and other inputs from disk and from zip archives, with a size cap:
// no part of a bundle, NVS image or table can be larger than the largest flash (128 MiB), so
// nothing larger is read, and nothing that is not a regular file (/dev/zero, a FIFO).
import { readFile, stat } from 'node:fs/promises'
import { unzipSync } from 'fflate'
import { LARGEST_FLASH_BYTES } from '../../common/bundle/flash-settings'
import { PairKitError } from '../../common/errors'

export const MAX_FILE_BYTES = LARGEST_FLASH_BYTES

/** The file's bytes; a sentence saying what to do when it is missing, not a regular file, or too large. */
export async function readInputFile(filePath: string): Promise<Uint8Array> {
  const info = await stat(filePath).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') throw new PairKitError('NOT_FOUND', `${filePath} does not exist`)
    throw new PairKitError('NOT_FOUND', `cannot read ${filePath}: ${error.message}`)
  })
  if (info.isDirectory()) throw new PairKitError('BAD_INPUT', `${filePath} is a folder, not a file`, { hint: 'Give the path of the file itself.' })
  if (!info.isFile()) throw new PairKitError('BAD_INPUT', `${filePath} is not a regular file (a device, a pipe or a socket)`, { hint: 'Give a file saved on disk.' })
  const bytes = await readFileCapped(filePath)
  if (!bytes) throw new PairKitError('NOT_FOUND', `${filePath} does not exist`)
  return bytes
}

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
  if (size > MAX_FILE_BYTES) {
    throw new PairKitError('BAD_INPUT', `${filePath} is ${size} bytes, larger than any flash chip (${MAX_FILE_BYTES / 0x100000} MB)`, { hint: 'Check that this is the right file.' })
  }
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
