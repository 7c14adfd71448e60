// A pair of connected pseudo-terminals (socat), as a stand-in for a USB serial cable:
// real tty I/O, but no DTR/RTS lines.
import { existsSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import type { ChildProcess } from 'node:child_process'
import { spawnTracked, stopProcess } from './processes'

export interface PtyPair {
  /** Symlinks to the two ends, e.g. <dir>/ttyPK0 and <dir>/ttyPK1. */
  a: string
  b: string
  process: ChildProcess
  close(): Promise<void>
}

export async function createPtyPair(a: string, b: string): Promise<PtyPair> {
  const child = spawnTracked('socat', [`pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`])
  for (let i = 0; i < 100 && !(existsSync(a) && existsSync(b)); i++) await sleep(50)
  if (!existsSync(a) || !existsSync(b)) {
    await stopProcess(child)
    throw new Error('socat did not create the pseudo-terminal pair')
  }
  return { a, b, process: child, close: () => stopProcess(child) }
}
