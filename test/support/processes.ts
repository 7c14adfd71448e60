// Child processes for tests: every one is tracked by PID and killed when the test file
// ends, also on failure, so nothing outlives the suite.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll } from 'vitest'
import { makeTempDir } from './temp-dir'

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
export const PAIRKIT_BIN = path.join(REPO_ROOT, 'bin/pairkit.js')

const tracked = new Set<ChildProcess>()

// Registered when a test file imports this module, during collection: a hook added later
// (from inside beforeAll or a test) would never run, and the processes would outlive the suite.
afterAll(async () => {
  await Promise.all([...tracked].map((child) => stopProcess(child)))
})

export function spawnTracked(command: string, args: string[], options: SpawnOptions = {}): ChildProcess {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options })
  tracked.add(child)
  child.once('exit', () => tracked.delete(child))
  return child
}

let dataDir: string | undefined

/**
 * Runs `pairkit …` (bin/pairkit.js: the built CLI, rebuilt first when stale) as a tracked child
 * process. Its data folder is one temporary folder per test file (so a restarted `pairkit web`
 * finds its records), never the user's, unless the test gives PAIRKIT_DATA_DIR itself.
 */
export function spawnPairkit(args: string[], options: SpawnOptions = {}): ChildProcess {
  const env = { ...(options.env ?? process.env) }
  if (options.env?.PAIRKIT_DATA_DIR === undefined) env.PAIRKIT_DATA_DIR = dataDir ??= makeTempDir('pairkit-test-data-')
  return spawnTracked(process.execPath, [PAIRKIT_BIN, ...args], { cwd: REPO_ROOT, ...options, env })
}

/** SIGTERM, then SIGKILL after a grace period; resolves when the process is gone. */
export async function stopProcess(child: ChildProcess, graceMs = 2000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
  await exited
  clearTimeout(timer)
}

/** Resolves with the first line of the stream that matches, or rejects after timeoutMs. */
export function waitForLine(stream: NodeJS.ReadableStream, pattern: RegExp, timeoutMs = 20_000): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let buffer = ''
    const seen: string[] = []
    const timer = setTimeout(() => {
      stream.off('data', onData)
      reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms; saw:\n${seen.slice(-20).join('\n')}`))
    }, timeoutMs)
    const onData = (chunk: Buffer | string) => {
      buffer += chunk.toString()
      let newline: number
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline)
        buffer = buffer.slice(newline + 1)
        seen.push(line)
        const match = line.match(pattern)
        if (match) {
          clearTimeout(timer)
          stream.off('data', onData)
          resolve(match)
          return
        }
      }
    }
    stream.on('data', onData)
  })
}

/** Collects a process's whole output and exit code. */
export function runToEnd(child: ChildProcess): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (chunk) => (stdout += chunk))
  child.stderr?.on('data', (chunk) => (stderr += chunk))
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })))
}
