// Builds the app (electron-vite) when out/ is missing or older than any source file.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const OUTPUT = path.join(ROOT, 'out/renderer/index.html')
const INPUTS = ['src/common', 'src/main', 'src/preload', 'src/renderer', 'electron.vite.config.ts', 'package.json']

function newestMtime(entry) {
  const info = statSync(entry)
  if (!info.isDirectory()) return info.mtimeMs
  let newest = info.mtimeMs
  for (const name of readdirSync(entry)) newest = Math.max(newest, newestMtime(path.join(entry, name)))
  return newest
}

export function buildIfNeeded() {
  const built = existsSync(OUTPUT) && existsSync(path.join(ROOT, 'out/main/index.js')) ? statSync(OUTPUT).mtimeMs : 0
  const sources = Math.max(...INPUTS.map((input) => path.join(ROOT, input)).filter(existsSync).map(newestMtime))
  if (built >= sources) return
  console.log('Building PairKit…')
  const result = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  if (result.status !== 0) {
    console.error('The build failed; see the errors above.')
    process.exit(1)
  }
}
