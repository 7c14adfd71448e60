// The lab's twins as `pairkit twin` processes, for a host that cannot run them in its own
// process (the desktop app: its main process may not load the twin). Each twin is one child,
// started with Node (Electron's binary as Node in the desktop app), ended by its PID on close:
// SIGTERM, then SIGKILL if it has not gone within a moment.
import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { PairKitError } from '../../common/errors'
import type { LabTwin, LabTwinSpec, StartLabTwin } from './lab-twin-host'

export interface ProcessTwinOptions {
  /** The program and its first arguments that make `pairkit`, e.g. [process.execPath, 'out/cli/index.js']. */
  command: string
  args: string[]
  env?: NodeJS.ProcessEnv
  /** Told each child's PID as it starts (tests check that none outlives the lab). */
  onSpawn?: (pid: number) => void
  /** How long a twin may take to print its address (default 30 s). */
  startTimeoutMs?: number
}

const KILL_AFTER_MS = 3000

export function processTwinStarter(options: ProcessTwinOptions): StartLabTwin {
  return async (spec: LabTwinSpec) => {
    const args = [
      ...options.args,
      'twin',
      '--chip', spec.chip,
      '--flash', spec.flashPath,
      '--listen', 'rfc2217://127.0.0.1:0',
      '--broker-port', String(spec.brokerPort),
      ...(spec.faults ? ['--faults', spec.faults] : []),
      ...(spec.quirks ? ['--quirks', spec.quirks] : []),
      '--json',
    ]
    const child = spawn(options.command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: options.env ?? process.env })
    if (child.pid !== undefined) options.onSpawn?.(child.pid)
    let stderr = ''
    child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)))
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    try {
      const url = await firstUrl(child, exited, options.startTimeoutMs ?? 30_000, () => stderr)
      return processTwin(child, url, exited)
    } catch (error) {
      await end(child, exited)
      throw error
    }
  }
}

/** The `{"url": …}` line the twin prints once it listens. */
function firstUrl(child: ChildProcess, exited: Promise<void>, timeoutMs: number, stderr: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream })
    const timer = setTimeout(() => fail(`it did not start within ${Math.round(timeoutMs / 1000)} s`), timeoutMs)
    const fail = (why: string) => {
      clearTimeout(timer)
      lines.close()
      reject(new PairKitError('UNAVAILABLE', `a virtual ESP32 of the lab could not start: ${why}`, { hint: 'Stop the lab and start it again; if it repeats, start the lab from PairKit\'s command line to see why.', detail: stderr().trim() }))
    }
    child.once('error', (error) => fail(error.message))
    void exited.then(() => fail(`it ended at once${stderr().trim() ? ` (${stderr().trim().split('\n').at(-1) ?? ''})` : ''}`))
    lines.on('line', (line) => {
      let parsed: unknown
      try {
        parsed = JSON.parse(line)
      } catch {
        return
      }
      const url = (parsed as { url?: unknown }).url
      if (typeof url !== 'string') return
      clearTimeout(timer)
      // The rest of its output (the broker's address) is not needed; keep the pipe drained.
      lines.removeAllListeners('line')
      lines.on('line', () => undefined)
      resolve(url)
    })
  })
}

function processTwin(child: ChildProcess, url: string, exited: Promise<void>): LabTwin {
  return {
    url,
    close: () => end(child, exited),
  }
}

/** Ends the child by its PID and resolves once it has exited. */
async function end(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS)
  await exited
  clearTimeout(timer)
}
