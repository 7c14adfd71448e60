// Reading an input file from disk with a size cap: no part of a bundle, NVS image or table can be
// larger than the largest flash (128 MiB), so nothing larger is read, and nothing that is not a
// regular file (/dev/zero, a FIFO). No npm package here: light CLI commands load this file.
import { readFile, stat } from 'node:fs/promises'
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

