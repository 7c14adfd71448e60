// What the Electron window may do, as plain functions the entry (src/main/index.ts) wires
// in: which page counts as the app's own, which permissions are granted (none) and which
// links may open in the system browser.
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * Whether `url` (a sender frame's or a navigation's) is the app's own page. Compared as
 * decoded paths, not as strings: an address built by pasting the install path into
 * "file://" loses everything after a `#` or `?` in it and misreads a `%`; Chromium and
 * Node escape a few characters differently; and the page's own hash routes (#/configure)
 * are still the page.
 */
export function isRendererPage(url: string | undefined, indexFile: string): boolean {
  if (url === undefined || !url.startsWith('file:')) return false
  try {
    return fileURLToPath(url) === path.resolve(indexFile)
  } catch {
    return false // a file URL with a host, or one that names no path
  }
}

/** Every permission request (camera, notifications, serial …) is refused: the window needs none. */
export function denyPermissionRequest(_webContents: unknown, _permission: string, callback: (granted: boolean) => void): void {
  callback(false)
}

/** And every synchronous permission check says no, so no API believes it has one. */
export function denyPermissionCheck(): boolean {
  return false
}

/** Hosts whose pages a link in the app may open in the system browser. */
export const DOCUMENTATION_HOSTS: readonly string[] = ['docs.espressif.com']

/** Only https pages of the documentation hosts, on the default port, without credentials. */
export function mayOpenExternally(url: string): boolean {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  return parsed.protocol === 'https:' && parsed.port === '' && parsed.username === '' && parsed.password === '' && DOCUMENTATION_HOSTS.includes(parsed.hostname)
}
