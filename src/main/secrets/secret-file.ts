// Files that carry passwords (NVS images, configurations written with --show-secrets) are
// readable by their owner only. Written under a new name and renamed into place, so a file
// that already existed with wider permissions is replaced rather than rewritten in place,
// and a crash never leaves half a file.
import { randomBytes } from 'node:crypto'
import { chmod, rename, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'

export const SECRET_FILE_MODE = 0o600

export async function writeSecretFile(file: string, data: string | Uint8Array): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`)
  try {
    await writeFile(temp, data, { mode: SECRET_FILE_MODE, flag: 'wx' })
    await chmod(temp, SECRET_FILE_MODE) // the mode given to writeFile is narrowed by the umask, never widened; this pins it
    await rename(temp, file)
  } catch (error) {
    await rm(temp, { force: true })
    throw error
  }
}
