// `npm run screenshots [-- TEST_FILE…]`: builds the UI and runs the end-to-end suite (or only the
// test files named) with its screenshots going to docs/images/ (the README's pictures) instead of
// the ignored test-results/ folder. The Monitor and ICE views (monitor.png, ice.png) come from
// test/e2e/monitor-ice.test.ts, with two twins connected as a pair.
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const bin = (name) => path.join(ROOT, 'node_modules/.bin', name)
const env = { ...process.env, PAIRKIT_SCREENSHOTS: 'docs' }
const files = process.argv.slice(2)

for (const [command, args] of [
  [bin('electron-vite'), ['build']],
  [bin('vitest'), ['run', '--project', 'e2e', ...files]],
]) {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', env })
  if (result.status !== 0) process.exit(result.status ?? 1)
}
console.log('Screenshots updated in docs/images/.')
