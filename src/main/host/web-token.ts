// The browser host's token for a fixed port: kept in the data folder (web-token, readable by
// its owner only) so a restarted `pairkit web --port N` accepts the token of a tab that is
// still open, and the tab reconnects by itself. The trade-off: the token lives until the file
// is deleted, instead of for one run, so anyone who can read the user's files can drive the
// backend — the same user who could read the per-run token from the terminal anyway. A host
// on a free port (no --port) gets a new token every run: the tab could not find it again.
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { writeFileAtomically } from '../state/json-file'

export const WEB_TOKEN_FILE = 'web-token'
const TOKEN = /^[A-Za-z0-9_-]{32,128}$/

export function newWebToken(): string {
  return randomBytes(24).toString('base64url')
}

/** The token kept in `dataDir`, made (and kept, mode 0600) when there is none or it is not one. */
export function keptWebToken(dataDir: string): string {
  const file = path.join(dataDir, WEB_TOKEN_FILE)
  try {
    const kept = readFileSync(file, 'utf8').trim()
    if (TOKEN.test(kept)) return kept
  } catch {
    // None yet: made below.
  }
  const token = newWebToken()
  writeFileAtomically(file, `${token}\n`, 0o600)
  return token
}
