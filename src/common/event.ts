import { type IDisposable, toDisposable } from './lifecycle'

/** An event is a function that subscribes a listener and returns its disposable. */
export type Event<T> = (listener: (value: T) => void) => IDisposable

/**
 * Emitter<T>: keep it private as `_onDidX`, expose `onDidX = this._onDidX.event`.
 * A listener that throws does not stop the others; the error goes to `onListenerError`.
 */
export class Emitter<T> implements IDisposable {
  private listeners = new Set<(value: T) => void>()

  constructor(private readonly onListenerError: (error: unknown) => void = reportListenerError) {}

  readonly event: Event<T> = (listener) => {
    this.listeners.add(listener)
    return toDisposable(() => this.listeners.delete(listener))
  }

  get listenerCount(): number {
    return this.listeners.size
  }

  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value)
      } catch (error) {
        this.onListenerError(error)
      }
    }
  }

  dispose(): void {
    this.listeners.clear()
  }
}

function reportListenerError(error: unknown): void {
  console.error('event listener failed:', error)
}
