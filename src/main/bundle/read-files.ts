// Reading the files of a zip archive (a zipped build folder), with the same size cap as files on disk.
import { unzipSync } from 'fflate'
import { PairKitError } from '../../common/errors'
import { MAX_FILE_BYTES } from './read-input-file'

export { MAX_FILE_BYTES, readFileCapped, readInputFile } from './read-input-file'

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
