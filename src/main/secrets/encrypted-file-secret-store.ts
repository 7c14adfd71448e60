import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { SecretStore } from './secret-store'

/**
 * What the Electron entry hands in from `safeStorage`: the operating system's
 * keychain-backed encryption. Kept as two functions so this file never imports electron.
 */
export interface SecretCipher {
  encrypt(plain: string): Buffer
  decrypt(encrypted: Buffer): string
}

/**
 * Secrets encrypted one by one with the OS cipher and kept in a JSON file of base64
 * blobs. Written atomically (temp file + rename) so a crash never leaves half a file.
 */
export class EncryptedFileSecretStore implements SecretStore {
  readonly kind = 'os-encrypted'
  private readonly blobs: Map<string, string>

  constructor(
    private readonly file: string,
    private readonly cipher: SecretCipher,
  ) {
    this.blobs = new Map(Object.entries(readBlobs(file)))
  }

  get(id: string): string | undefined {
    const blob = this.blobs.get(id)
    return blob === undefined ? undefined : this.cipher.decrypt(Buffer.from(blob, 'base64'))
  }
  has(id: string): boolean {
    return this.blobs.has(id)
  }
  set(id: string, value: string): void {
    this.blobs.set(id, this.cipher.encrypt(value).toString('base64'))
    this.save()
  }
  delete(id: string): void {
    if (this.blobs.delete(id)) this.save()
  }
  keys(prefix = ''): string[] {
    return [...this.blobs.keys()].filter((key) => key.startsWith(prefix))
  }

  private save(): void {
    mkdirSync(path.dirname(this.file), { recursive: true })
    const temp = `${this.file}.${process.pid}.tmp`
    writeFileSync(temp, JSON.stringify(Object.fromEntries(this.blobs), null, 1), { mode: 0o600 })
    renameSync(temp, this.file)
  }
}

function readBlobs(file: string): Record<string, string> {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return {}
  }
  try {
    const parsed: unknown = JSON.parse(text)
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {}
    return Object.fromEntries(Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string'))
  } catch {
    // A damaged store loses its secrets, not the app: the technician re-enters them.
    return {}
  }
}
