// `npm run dist`: build, then make the desktop packages with electron-builder into dist/
// (for this platform; e.g. `npm run dist -- --linux --win` for more). electron-builder
// downloads the Electron runtime, and some packaging tools, from GitHub; where it cannot,
// this says so in one sentence instead of a stack trace.
import { spawn, spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const ELECTRON_VERSION = JSON.parse(readFileSync(path.join(ROOT, 'node_modules/electron/package.json'), 'utf8')).version
const NETWORK_ERROR = /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH)\b|socket hang up/

if (spawnSync('npm', ['run', '-s', 'build'], { cwd: ROOT, stdio: 'inherit' }).status !== 0) {
  console.error('The build failed (see above), so there is nothing to package.')
  process.exit(1)
}

// electron-builder reports progress as "  • step" lines and failures as "  ⨯ error" followed by
// a stack trace, all on stdout: pass the progress through, hold the rest until it is known
// whether the failure is one this script can explain.
const builder = spawn(path.join(ROOT, 'node_modules/.bin/electron-builder'), ['--config', 'electron-builder.config.ts', ...process.argv.slice(2)], {
  cwd: ROOT,
  stdio: ['inherit', 'pipe', 'pipe'],
})
let held = ''
let step = ''
let pending = ''
builder.stdout.on('data', (chunk) => {
  const lines = (pending + chunk).split('\n')
  pending = lines.pop() ?? ''
  for (const line of lines) {
    if (/^\s*•/.test(line)) {
      step = line
      process.stdout.write(`${line}\n`)
    } else {
      held += `${line}\n`
    }
  }
})
builder.stderr.on('data', (chunk) => (held += chunk))
builder.on('exit', (code) => {
  held += pending
  if (code === 0) {
    process.stdout.write(held)
    return
  }
  if (NETWORK_ERROR.test(held) && /packaging/.test(step)) {
    console.error(
      `The Electron ${ELECTRON_VERSION} runtime could not be downloaded (no network access to GitHub): run \`npm run dist\` on a machine with internet access, or set ELECTRON_CACHE to a folder that holds electron-v${ELECTRON_VERSION}-<platform>-<arch>.zip.`,
    )
  } else if (NETWORK_ERROR.test(held)) {
    console.error(
      `electron-builder could not download its packaging tools (${step.trim().replace(/^•\s*/, '')}) from GitHub: run \`npm run dist\` on a machine with internet access, or set ELECTRON_BUILDER_CACHE to a folder that holds them.`,
    )
  } else {
    process.stdout.write(held)
    console.error('electron-builder failed (see above).')
  }
  process.exit(code ?? 1)
})
