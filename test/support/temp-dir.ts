// Temporary folders for tests: each is removed when the test file ends, also on failure, so a
// run leaves nothing behind in the system's temporary folder.
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll } from 'vitest'

const made: string[] = []

// Registered when a test file imports this module, during collection (see processes.ts). Hooks
// run in reverse order, so the file's own afterAll (which stops its processes) comes first.
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** A new empty folder under the system's temporary folder, named `<prefix>XXXXXX`. */
export function makeTempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix))
  made.push(dir)
  return dir
}
