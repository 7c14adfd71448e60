// Where e2e tests put their screenshots: the ignored test-results/ folder, so a test run never
// changes tracked files. `npm run screenshots` sets PAIRKIT_SCREENSHOTS=docs to refresh the
// README's pictures in docs/images/ on purpose.
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { REPO_ROOT } from './processes'

export function screenshotPath(file: string): string {
  const folder = process.env.PAIRKIT_SCREENSHOTS === 'docs' ? path.join(REPO_ROOT, 'docs/images') : path.join(REPO_ROOT, 'test-results/screenshots')
  mkdirSync(folder, { recursive: true })
  return path.join(folder, file)
}
