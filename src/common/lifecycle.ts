// Explicit lifetimes: whatever an object starts or subscribes to, it registers,
// and one dispose() releases all of it (the VS Code pattern).

export interface IDisposable {
  dispose(): void
}

export function toDisposable(fn: () => void): IDisposable {
  let done = false
  return {
    dispose() {
      if (done) return
      done = true
      fn()
    },
  }
}

export class DisposableStore implements IDisposable {
  private readonly items = new Set<IDisposable>()
  private disposed = false

  add<T extends IDisposable>(item: T): T {
    if (this.disposed) item.dispose()
    else this.items.add(item)
    return item
  }

  get isDisposed(): boolean {
    return this.disposed
  }

  dispose(): void {
    if (this.disposed) return
    this.disposed = true
    const errors: unknown[] = []
    for (const item of [...this.items].reverse()) {
      try {
        item.dispose()
      } catch (error) {
        errors.push(error)
      }
    }
    this.items.clear()
    if (errors.length > 0) throw new AggregateError(errors, 'errors while disposing')
  }
}

export abstract class Disposable implements IDisposable {
  protected readonly store = new DisposableStore()

  protected register<T extends IDisposable>(item: T): T {
    return this.store.add(item)
  }

  dispose(): void {
    this.store.dispose()
  }
}
