// Where Wi-Fi and broker passwords live once entered. The UI never gets them back:
// it learns only whether one is set. On the desktop they are kept encrypted on disk
// with Electron's safeStorage (the OS keychain); in the browser host only in memory.

export interface SecretStore {
  readonly kind: 'memory' | 'os-encrypted'
  get(id: string): string | undefined
  has(id: string): boolean
  set(id: string, value: string): void
  delete(id: string): void
  /** Ids of stored secrets that start with `prefix` (e.g. a profile's id). */
  keys(prefix?: string): string[]
}

/** Secrets for this run only: nothing touches the disk. */
export class MemorySecretStore implements SecretStore {
  readonly kind = 'memory'
  private readonly values = new Map<string, string>()

  get(id: string): string | undefined {
    return this.values.get(id)
  }
  has(id: string): boolean {
    return this.values.has(id)
  }
  set(id: string, value: string): void {
    this.values.set(id, value)
  }
  delete(id: string): void {
    this.values.delete(id)
  }
  keys(prefix = ''): string[] {
    return [...this.values.keys()].filter((key) => key.startsWith(prefix))
  }
}
