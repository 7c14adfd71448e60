import { describe, expect, it } from 'vitest'
import { BASIC_TEXT_REASON, chooseSecretStorage, NO_ENCRYPTION_REASON } from '../../../src/main/secrets/secret-storage-mode'

describe('where the desktop app keeps passwords', () => {
  it('encrypts on disk with a real keychain', () => {
    expect(chooseSecretStorage({ platform: 'darwin', encryptionAvailable: true })).toEqual({ mode: 'os-encrypted' })
    expect(chooseSecretStorage({ platform: 'win32', encryptionAvailable: true })).toEqual({ mode: 'os-encrypted' })
    for (const linuxBackend of ['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6']) {
      expect(chooseSecretStorage({ platform: 'linux', encryptionAvailable: true, linuxBackend })).toEqual({ mode: 'os-encrypted' })
    }
  })

  it("keeps them in memory, and says why, when Linux falls back to basic_text's built-in key", () => {
    expect(chooseSecretStorage({ platform: 'linux', encryptionAvailable: true, linuxBackend: 'basic_text' })).toEqual({ mode: 'memory', reason: BASIC_TEXT_REASON })
    expect(BASIC_TEXT_REASON).toMatch(/keychain/)
    expect(chooseSecretStorage({ platform: 'linux', encryptionAvailable: true, linuxBackend: 'unknown' }).mode).toBe('memory')
    expect(chooseSecretStorage({ platform: 'linux', encryptionAvailable: true }).mode).toBe('memory')
  })

  it('keeps them in memory when no encryption is available at all', () => {
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      expect(chooseSecretStorage({ platform, encryptionAvailable: false, linuxBackend: 'gnome_libsecret' })).toEqual({ mode: 'memory', reason: NO_ENCRYPTION_REASON })
    }
  })
})
