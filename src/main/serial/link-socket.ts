// socket://host:port — raw TCP to a serial server. No control lines and no baud
// control travel over it (pyserial's socket:// handler has none either), so resets are
// skipped and a baud change only changes what the chip expects.
import net from 'node:net'
import { PairKitError } from '../../common/errors'
import { disconnectedError, LinkEvents, writeWithinLimit, type ControlLines, type LinkInfo, type OpenLinkOptions, type SerialLink } from './link'

export async function connectTcp(host: string, port: number, url: string, options: OpenLinkOptions): Promise<net.Socket> {
  const timeoutMs = options.timeoutMs ?? 5000
  return new Promise<net.Socket>((resolve, reject) => {
    const socket = net.connect({ host, port })
    const fail = (error: PairKitError) => {
      cleanup()
      socket.destroy()
      reject(error)
    }
    const timer = setTimeout(() => fail(new PairKitError('TIMEOUT', `no connection to ${url} within ${timeoutMs} ms: check the address and that the server runs`)), timeoutMs)
    const onAbort = () => fail(new PairKitError('CANCELLED', `connecting to ${url} was cancelled`))
    options.signal?.addEventListener('abort', onAbort, { once: true })
    const onError = (error: NodeJS.ErrnoException) => {
      const refused = error.code === 'ECONNREFUSED'
      fail(
        new PairKitError('PORT_NOT_FOUND', refused ? `nothing listens at ${url}: check the address and that the serial server runs` : `cannot connect to ${url}: ${error.message}`, {
          detail: error.code,
        }),
      )
    }
    const cleanup = () => {
      clearTimeout(timer)
      options.signal?.removeEventListener('abort', onAbort)
      socket.off('error', onError)
    }
    socket.once('error', onError)
    socket.once('connect', () => {
      cleanup()
      // Stop-and-wait protocol: every small packet should leave at once.
      socket.setNoDelay(true)
      resolve(socket)
    })
  })
}

export interface AttachedSocket {
  write(data: Uint8Array): Promise<void>
  /** Call before our own close so the close event is not reported as a lost connection. */
  markClosing(): void
}

/** Wires a connected socket's lifetime into LinkEvents. */
export function attachSocket(socket: net.Socket, events: LinkEvents, url: string, onBytes: (chunk: Uint8Array) => void, baudRate: () => number): AttachedSocket {
  let closing = false
  socket.on('data', (chunk: Buffer) => onBytes(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)))
  socket.on('error', () => {
    /* the close event follows and carries the outcome */
  })
  socket.on('close', (hadError) => {
    events.close(closing ? undefined : disconnectedError(url, hadError ? 'socket error' : 'the server closed the connection'))
  })
  return {
    markClosing: () => {
      closing = true
    },
    write: (data) => {
      if (socket.destroyed || events.closed) return Promise.reject(disconnectedError(url))
      // A server that stops reading leaves the write in Node's buffer for good.
      return writeWithinLimit(url, data.length, baudRate(), (done) => socket.write(data, done))
    },
  }
}

export async function closeSocket(socket: net.Socket, attached: AttachedSocket): Promise<void> {
  attached.markClosing()
  if (socket.destroyed) return
  await new Promise<void>((resolve) => {
    socket.once('close', () => resolve())
    socket.end()
    // A peer that never answers FIN must not keep us waiting.
    setTimeout(() => socket.destroy(), 500).unref()
  })
}

class SocketLink implements SerialLink {
  readonly info: LinkInfo
  private readonly events = new LinkEvents()
  private readonly attached: AttachedSocket
  private warnedLines = false
  baudRate: number

  constructor(
    private readonly socket: net.Socket,
    url: string,
    private readonly options: OpenLinkOptions,
  ) {
    this.info = { kind: 'socket', url, controlLines: false }
    this.baudRate = options.baudRate ?? 115200
    this.attached = attachSocket(socket, this.events, url, (chunk) => this.events.data(chunk), () => this.baudRate)
  }

  get closed(): boolean {
    return this.events.closed
  }
  write(data: Uint8Array): Promise<void> {
    return this.attached.write(data)
  }
  onData(listener: (chunk: Uint8Array) => void): () => void {
    return this.events.onData(listener)
  }
  onClose(listener: (error?: PairKitError) => void): () => void {
    return this.events.onClose(listener)
  }
  async setSignals(_lines: ControlLines): Promise<void> {
    if (!this.warnedLines) {
      this.warnedLines = true
      this.options.onWarning?.(`${this.info.url} carries no DTR/RTS: the chip is not reset, it must already be in download mode`)
    }
  }
  async setBaudRate(baud: number): Promise<void> {
    // Nothing to tell a raw socket; the server's side of the line is its own business.
    this.baudRate = baud
  }
  async close(): Promise<void> {
    await closeSocket(this.socket, this.attached)
    this.events.close()
  }
}

export async function openSocketLink(host: string, port: number, url: string, options: OpenLinkOptions = {}): Promise<SerialLink> {
  const socket = await connectTcp(host, port, url, options)
  return new SocketLink(socket, url, options)
}
