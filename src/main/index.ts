// The Electron entry: a window with the security checklist on, and the whole contract
// wired to IPC through one channel. All logic lives in the Backend, shared with the browser
// host; what the window may do is decided in window-policy.ts, which tests can load.
import { app, BrowserWindow, ipcMain, safeStorage, session, shell } from 'electron'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Emitter } from '../common/event'
import { RpcServer } from '../common/rpc/server'
import { PAIRKIT_CHANNEL } from '../common/rpc/window-bridge'
import { PRELOAD_SCRIPT, RENDERER_PAGE } from './app-layout'
import { Backend } from './backend'
import { processTwinStarter } from './lab/process-lab-twin'
import { EncryptedFileSecretStore } from './secrets/encrypted-file-secret-store'
import { chooseSecretStorage } from './secrets/secret-storage-mode'
import { MemorySecretStore } from './secrets/secret-store'
import { CONTENT_SECURITY_POLICY } from './security'
import { resolveDataDir } from './state/data-dir'
import { denyPermissionCheck, denyPermissionRequest, isRendererPage, mayOpenExternally } from './window-policy'

const here = path.dirname(fileURLToPath(import.meta.url))
const rendererIndex = path.join(here, RENDERER_PAGE)
/** The CLI's build beside this one (a clone's `npm start`; the desktop package does not ship it). */
const cliEntry = path.join(here, '../cli/index.js')

app.enableSandbox()

app.whenReady().then(() => {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } })
  })
  session.defaultSession.setPermissionRequestHandler(denyPermissionRequest)
  session.defaultSession.setPermissionCheckHandler(denyPermissionCheck)

  // Passwords at rest only through a real OS keychain; otherwise memory only, and the UI says so.
  // The same folder the browser host uses (Electron's userData for "PairKit", or PAIRKIT_DATA_DIR).
  const dataDir = resolveDataDir()
  const storage = chooseSecretStorage({
    platform: process.platform,
    encryptionAvailable: safeStorage.isEncryptionAvailable(),
    linuxBackend: process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : undefined,
  })
  const secrets =
    storage.mode === 'os-encrypted'
      ? new EncryptedFileSecretStore(path.join(dataDir, 'secrets.json'), {
          encrypt: (plain) => safeStorage.encryptString(plain),
          decrypt: (blob) => safeStorage.decryptString(blob),
        })
      : new MemorySecretStore()
  if (storage.mode === 'memory') console.warn(`PairKit keeps passwords in memory only: ${storage.reason}.`)
  // The virtual lab's twins run as `pairkit twin` processes, with Electron's binary as Node; where
  // the CLI is not there, lab.start says the lab is not available in this PairKit.
  const startLabTwin = existsSync(cliEntry) ? processTwinStarter({ command: process.execPath, args: [cliEntry], env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } }) : undefined
  const backend = new Backend({ host: 'electron', secrets, dataDir, secretStorageReason: storage.mode === 'memory' ? storage.reason : undefined, ...(startLabTwin ? { startLabTwin } : {}) })
  const windows = new Map<number, Emitter<unknown>>()

  // One listener for the whole contract: messages are routed to the window's RpcServer,
  // which validates them. Messages from any other page or frame are dropped.
  ipcMain.on(PAIRKIT_CHANNEL, (event, message: unknown) => {
    if (!isRendererPage(event.senderFrame?.url, rendererIndex)) return
    windows.get(event.sender.id)?.fire(message)
  })

  const createWindow = () => {
    const win = new BrowserWindow({
      width: 1280,
      height: 820,
      title: 'PairKit',
      webPreferences: {
        preload: path.join(here, PRELOAD_SCRIPT),
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
      },
    })
    const contentsId = win.webContents.id
    const incoming = new Emitter<unknown>()
    windows.set(contentsId, incoming)
    const rpc = new RpcServer(
      { send: (message) => !win.isDestroyed() && win.webContents.send(PAIRKIT_CHANNEL, message), onMessage: incoming.event },
      backend.handlers,
      backend.onEvent,
    )
    win.webContents.setWindowOpenHandler(({ url }) => {
      if (mayOpenExternally(url)) void shell.openExternal(url)
      return { action: 'deny' }
    })
    win.webContents.on('will-navigate', (event, url) => {
      if (!isRendererPage(url, rendererIndex)) event.preventDefault()
    })
    win.on('closed', () => {
      rpc.dispose()
      incoming.dispose()
      windows.delete(contentsId)
    })
    void win.loadFile(rendererIndex)
  }

  createWindow()
  app.on('activate', () => BrowserWindow.getAllWindows().length === 0 && createWindow())
  app.on('window-all-closed', () => {
    // The lab's twins are child processes: they end before the app does.
    void backend.lab.stop().finally(() => {
      backend.dispose()
      app.quit()
    })
  })
})
