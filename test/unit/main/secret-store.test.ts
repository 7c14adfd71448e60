import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { EncryptedFileSecretStore, type SecretCipher } from '../../../src/main/secrets/encrypted-file-secret-store'
import { MemorySecretStore } from '../../../src/main/secrets/secret-store'
import { makeTempDir } from '../../support/temp-dir'

// Electron's safeStorage cannot run here; this AES-GCM cipher has its shape (string in,
// opaque bytes out), which is all the store relies on.
function aesCipher(): SecretCipher {
  const key = randomBytes(32)
  return {
    encrypt(plain) {
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', key, iv)
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
      return Buffer.concat([iv, cipher.getAuthTag(), body])
    },
    decrypt(blob) {
      const decipher = createDecipheriv('aes-256-gcm', key, blob.subarray(0, 12))
      decipher.setAuthTag(blob.subarray(12, 28))
      return Buffer.concat([decipher.update(blob.subarray(28)), decipher.final()]).toString('utf8')
    },
  }
}

describe('secret stores', () => {
  it('memory store keeps values for the run only', () => {
    const store = new MemorySecretStore()
    store.set('site-a:wifiPassword', 'hunter2hunter2')
    expect(store.get('site-a:wifiPassword')).toBe('hunter2hunter2')
    expect(store.keys('site-a:')).toEqual(['site-a:wifiPassword'])
    store.delete('site-a:wifiPassword')
    expect(store.has('site-a:wifiPassword')).toBe(false)
  })

  it('encrypted file store never writes a secret in clear and survives a restart', () => {
    const file = path.join(makeTempDir('pairkit-secrets-'), 'secrets.json')
    const cipher = aesCipher()
    const first = new EncryptedFileSecretStore(file, cipher)
    first.set('site-a:wifiPassword', 'correct horse battery')
    first.set('site-a:apPassword', 'iot-network-pass')
    const onDisk = readFileSync(file, 'utf8')
    expect(onDisk).not.toContain('correct horse battery')
    expect(onDisk).not.toContain('iot-network-pass')
    const second = new EncryptedFileSecretStore(file, cipher)
    expect(second.get('site-a:wifiPassword')).toBe('correct horse battery')
    second.delete('site-a:apPassword')
    expect(new EncryptedFileSecretStore(file, cipher).keys()).toEqual(['site-a:wifiPassword'])
  })

  it('a damaged store file starts empty instead of failing', () => {
    const file = path.join(makeTempDir('pairkit-secrets-'), 'secrets.json')
    writeFileSync(file, '{ this is not json')
    expect(new EncryptedFileSecretStore(file, aesCipher()).keys()).toEqual([])
  })
})
