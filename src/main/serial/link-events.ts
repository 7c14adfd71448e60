// What every link kind shares: data and close listeners with a close delivered exactly once,
// writes that fail instead of hanging when the other end stops taking data, and the
// "connection lost" error. Local, socket:// and rfc2217:// links all build on this.
import { PairKitError } from '../../common/errors'
import { wireTimeMs, type ControlLines, type LinkInfo, type SerialLink } from './link'

/** Listener sets with once-only close delivery. */
export class LinkEvents {
  private readonly dataListeners = new Set<(chunk: Uint8Array) => void>()
  private readonly closeListeners = new Set<(error?: PairKitError) => void>()
  private closedWith: { error?: PairKitError } | undefined

  get closed(): boolean {
    return this.closedWith !== undefined
  }

  onData(listener: (chunk: Uint8Array) => void): () => void {
    this.dataListeners.add(listener)
    return () => this.dataListeners.delete(listener)
  }

  onClose(listener: (error?: PairKitError) => void): () => void {
    if (this.closedWith) {
      const { error } = this.closedWith
      queueMicrotask(() => listener(error))
      return () => {}
    }
    this.closeListeners.add(listener)
    return () => this.closeListeners.delete(listener)
  }

  data(chunk: Uint8Array): void {
    for (const listener of [...this.dataListeners]) listener(chunk)
  }

  close(error?: PairKitError): void {
    if (this.closedWith) return
    this.closedWith = error ? { error } : {}
    for (const listener of [...this.closeListeners]) listener(error)
    this.closeListeners.clear()
    this.dataListeners.clear()
  }
}

/** A SerialLink whose listeners live in one LinkEvents; subclasses feed it and do the I/O. */
export abstract class EventedLink implements SerialLink {
  protected readonly events = new LinkEvents()
  abstract readonly info: LinkInfo
  abstract readonly baudRate: number

  get closed(): boolean {
    return this.events.closed
  }
  onData(listener: (chunk: Uint8Array) => void): () => void {
    return this.events.onData(listener)
  }
  onClose(listener: (error?: PairKitError) => void): () => void {
    return this.events.onClose(listener)
  }

  abstract write(data: Uint8Array): Promise<void>
  abstract setSignals(lines: ControlLines): Promise<void>
  abstract setBaudRate(baud: number): Promise<void>
  abstract close(): Promise<void>
}

export function disconnectedError(where: string, detail?: string): PairKitError {
  return new PairKitError('PORT_DISCONNECTED', `the connection to ${where} was lost: check the cable and the port`, detail ? { detail } : {})
}

/**
 * Runs one write whose OS call reports through `done`, as a promise. A port whose other end
 * stops taking data (a wedged adapter, a reader that hangs) never completes the write, and
 * waiting forever would hang the job that wrote: after 5 s beyond twice the wire time the
 * write fails with TIMEOUT instead.
 */
export function writeWithinLimit(where: string, bytes: number, baud: number, write: (done: (error?: Error | null) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const limitMs = 5000 + 2 * wireTimeMs(bytes, baud)
    const timer = setTimeout(() => {
      reject(new PairKitError('TIMEOUT', `${where} stopped taking data: ${bytes} bytes were not sent within ${(limitMs / 1000).toFixed(1)} s`, { hint: 'Check the cable, or unplug the board and plug it in again, then retry.' }))
    }, limitMs)
    write((error) => {
      clearTimeout(timer)
      if (error) reject(disconnectedError(where, error.message))
      else resolve()
    })
  })
}
