// Keeps out/cli (the built `pairkit` CLI) up to date for bin/pairkit.js: a few stat calls
// when it is fresh, a build (about a second) when it is missing or older than its sources.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const LOCK_STALE_MS = 120_000

/** Why out/cli must be (re)built under `root`, or undefined when it is up to date. */
export function cliStaleReason(root = ROOT) {
  let record
  try {
    record = JSON.parse(readFileSync(path.join(root, 'out/cli/build-inputs.json'), 'utf8'))
  } catch {
    return 'out/cli is not built'
  }
  if (!existsSync(path.join(root, 'out/cli/index.js'))) return 'out/cli is not built'
  for (const input of record.inputs) {
    let mtime
    try {
      mtime = statSync(path.join(root, input)).mtimeMs
    } catch {
      return `${input} is gone`
    }
    if (mtime >= record.startedAt) return `${input} changed`
  }
  return undefined
}

/** Builds out/cli when it is stale; one process builds while the others wait for it. */
export function ensureCliBuilt(root = ROOT) {
  if (!cliStaleReason(root)) return
  withLock(path.join(root, 'out/.cli-build.lock'), () => {
    const reason = cliStaleReason(root)
    if (!reason) return // another process built it while this one waited
    const vite = path.join(root, 'node_modules/vite/bin/vite.js')
    if (!existsSync(vite)) fail(`pairkit: ${reason} and the build tools are not installed: run \`npm ci\`, then \`npm run build\`.`)
    process.stderr.write(`pairkit: building the CLI (${reason})…\n`)
    // The build's own output goes to stderr: stdout belongs to the command (--json).
    const result = spawnSync(process.execPath, [vite, 'build', '--config', 'cli.vite.config.ts'], { cwd: root, stdio: ['ignore', 2, 2] })
    if (result.status !== 0) fail('pairkit: building the CLI failed (see above); fix the error, then run the command again.')
  })
}

function withLock(lock, work) {
  mkdirSync(path.dirname(lock), { recursive: true })
  for (;;) {
    try {
      mkdirSync(lock)
      break
    } catch (error) {
      if (error.code !== 'EEXIST') throw error
      if (Date.now() - statMtime(lock) > LOCK_STALE_MS) rmSync(lock, { recursive: true, force: true })
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100)
    }
  }
  try {
    work()
  } finally {
    rmSync(lock, { recursive: true, force: true })
  }
}

function statMtime(file) {
  try {
    return statSync(file).mtimeMs
  } catch {
    return Date.now()
  }
}

function fail(message) {
  process.stderr.write(`${message}\n`)
  process.exit(1)
}
