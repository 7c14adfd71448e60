// Where e2e tests put their screenshots: the ignored test-results/ folder, so a test run never
// changes tracked files. `npm run screenshots` sets PAIRKIT_SCREENSHOTS=docs to refresh the
// README's pictures in docs/images/ on purpose.
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { REPO_ROOT } from './processes'

export function screenshotPath(file: string): string {
  return pathIn(process.env.PAIRKIT_SCREENSHOTS === 'docs' ? 'docs/images' : 'test-results/screenshots', file)
}

/** A picture only for looking at after a run, which the README does not show: always test-results/. */
export function checkScreenshotPath(file: string): string {
  return pathIn('test-results/screenshots', file)
}

function pathIn(folder: string, file: string): string {
  mkdirSync(path.join(REPO_ROOT, folder), { recursive: true })
  return path.join(REPO_ROOT, folder, file)
}
