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
    expect(entry).toMatch(/setPermissionRequestHandler\(denyPermissionRequest\)/)
    expect(entry).toMatch(/setPermissionCheckHandler\(denyPermissionCheck\)/)
    expect(entry).toMatch(/if \(mayOpenExternally\(url\)\) void shell\.openExternal\(url\)/)
    expect(entry.match(/shell\.openExternal\(/g)).toHaveLength(1)
    expect(entry).toMatch(/will-navigate', \(event, url\) => \{\s*if \(!isRendererPage\(url, rendererIndex\)\) event\.preventDefault\(\)/)
  })

  it('wires the whole contract through one IPC channel, checking the sender', () => {
    expect(entry.match(/ipcMain\.(on|handle)\(/g)).toHaveLength(1)
    expect(entry).toMatch(/if \(!isRendererPage\(event\.senderFrame\?\.url, rendererIndex\)\) return/)
    // The page's address is never pasted together from its path (a # or ? in it would cut it short).
    expect(entry).not.toMatch(/`file:\/\/\$\{/)
  })

  it('keeps passwords on disk only when the keychain really encrypts them', () => {
    expect(entry).toMatch(/chooseSecretStorage\(\{[^}]*linuxBackend: process\.platform === 'linux' \? safeStorage\.getSelectedStorageBackend\(\)/s)
    expect(entry).toMatch(/storage\.mode === 'os-encrypted'\s*\? new EncryptedFileSecretStore/)
    expect(entry).toMatch(/secretStorageReason: storage\.mode === 'memory' \? storage\.reason/)
  })

  it('keeps the preload to one narrow pipe', () => {
    expect(preload.match(/exposeInMainWorld\(/g)).toHaveLength(1)
    expect(preload).toMatch(/exposeInMainWorld\('pairkit', bridge\)/)
    expect(preload.split('\n').length).toBeLessThan(50)
  })
})
