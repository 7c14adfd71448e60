// The files commands write: one place that turns EISDIR, ENOENT and EACCES into a sentence
// that says what to do, checked before the work too, so a long read is not lost at the end.
import { stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { PairKitError } from '../common/errors'
import { writeSecretFile } from '../main/secrets/secret-file'

/** Throws the sentence for an output path that cannot be written: a folder, or in a missing folder. */
export async function checkOutputPath(filePath: string, exampleName: string): Promise<void> {
  const info = await stat(filePath).catch(() => undefined)
  if (info?.isDirectory()) throw isAFolder(filePath, exampleName)
  const folder = path.dirname(filePath)
  const parent = await stat(folder).catch(() => undefined)
  if (!parent) throw new PairKitError('NOT_FOUND', `the folder ${folder} does not exist`, { hint: `Create it first, or write ${path.basename(filePath)} elsewhere.` })
  if (!parent.isDirectory()) throw new PairKitError('BAD_INPUT', `${folder} is a file, not a folder`, { hint: `Choose a path inside a folder, e.g. ${path.join(path.dirname(folder), exampleName)}.` })
}

/**
 * Writes a command's output file; errors as sentences (see checkOutputPath). `secret`: the file
 * holds passwords (an NVS image, a configuration with --show-secrets), so only its owner may read it.
 */
export async function writeOutputFile(filePath: string, data: Uint8Array | string, exampleName: string, options: { secret?: boolean } = {}): Promise<void> {
  await checkOutputPath(filePath, exampleName)
  try {
    if (options.secret) await writeSecretFile(filePath, data)
    else await writeFile(filePath, data)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EISDIR') throw isAFolder(filePath, exampleName)
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      throw new PairKitError('BAD_INPUT', `${filePath} cannot be written (${code === 'EROFS' ? 'read-only file system' : 'permission denied'})`, { hint: 'Choose a folder you can write to.' })
    }
    throw new PairKitError('BAD_INPUT', `${filePath} cannot be written: ${error instanceof Error ? error.message : String(error)}`, { hint: 'Choose another path.' })
  }
}

function isAFolder(filePath: string, exampleName: string): PairKitError {
  return new PairKitError('BAD_INPUT', `${filePath} is a folder: give a file name, e.g. ${path.join(filePath, exampleName)}`, { hint: 'Nothing was written.' })
}
