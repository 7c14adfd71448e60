// Whether the desktop app may keep passwords on disk. Electron's safeStorage encrypts with
// the OS keychain, except on Linux without one (no GNOME Keyring, KWallet …): there its
// `basic_text` backend encrypts with a key written into Chromium's source, which protects
// nothing. Then, as when no encryption is available at all, passwords stay in memory.

export type SecretStorageMode = { mode: 'os-encrypted' } | { mode: 'memory'; reason: string }

export interface SafeStorageFacts {
  platform: NodeJS.Platform
  encryptionAvailable: boolean
  /** safeStorage.getSelectedStorageBackend() on Linux; undefined elsewhere. */
  linuxBackend?: string
}

/** Why passwords stay in memory, completing "Passwords are kept in memory only: …". */
export const NO_ENCRYPTION_REASON = 'this computer offers no keychain to encrypt them with'
export const BASIC_TEXT_REASON = 'no keychain (GNOME Keyring or KWallet) was found, and without one Electron would encrypt them with a key that is the same on every computer'

export function chooseSecretStorage(facts: SafeStorageFacts): SecretStorageMode {
  if (!facts.encryptionAvailable) return { mode: 'memory', reason: NO_ENCRYPTION_REASON }
  // 'unknown' means it was asked before the app was ready: do not trust it either.
  if (facts.platform === 'linux' && (facts.linuxBackend === undefined || facts.linuxBackend === 'basic_text' || facts.linuxBackend === 'unknown')) {
    return { mode: 'memory', reason: BASIC_TEXT_REASON }
  }
  return { mode: 'os-encrypted' }
}
