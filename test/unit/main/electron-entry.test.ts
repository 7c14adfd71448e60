// The Electron runtime cannot run here, so the entry's security settings are checked in its
// source: a regression (a flag flipped, a handler per method) fails here before it ships.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { REPO_ROOT } from '../../support/processes'

const entry = readFileSync(path.join(REPO_ROOT, 'src/main/index.ts'), 'utf8')
const preload = readFileSync(path.join(REPO_ROOT, 'src/preload/index.ts'), 'utf8')

describe('Electron entry', () => {
  it('creates windows with the security checklist on', () => {
    expect(entry).toMatch(/contextIsolation:\s*true/)
    expect(entry).toMatch(/sandbox:\s*true/)
    expect(entry).toMatch(/nodeIntegration:\s*false/)
    expect(entry).not.toMatch(/webSecurity:\s*false|allowRunningInsecureContent|enableRemoteModule/)
    expect(entry).toMatch(/app\.enableSandbox\(\)/)
    expect(entry).toMatch(/Content-Security-Policy/)
    expect(entry).toMatch(/setPermissionRequestHandler/)
    expect(entry).toMatch(/setWindowOpenHandler/)
    expect(entry).toMatch(/will-navigate/)
  })

  it('wires the whole contract through one IPC channel, checking the sender', () => {
    expect(entry.match(/ipcMain\.(on|handle)\(/g)).toHaveLength(1)
    expect(entry).toMatch(/senderFrame\?\.url !== rendererUrl/)
  })

  it('keeps the preload to one narrow pipe', () => {
    expect(preload.match(/exposeInMainWorld\(/g)).toHaveLength(1)
    expect(preload).toMatch(/exposeInMainWorld\('pairkit', bridge\)/)
    expect(preload.split('\n').length).toBeLessThan(50)
  })
})
