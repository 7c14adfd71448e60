// The TCP side shared by socket:// and rfc2217:// links: connecting with a timeout and
// cancel, and one connected socket wired into a link's events: bytes in, writes within the
// limit, and a close that tells our own close from a lost connection.
import net from 'node:net'
import { PairKitError } from '../../common/errors'
import type { OpenLinkOptions } from './link'
import { disconnectedError, writeWithinLimit, type LinkEvents } from './link-events'

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

/** One connected socket feeding a link's events; `onBytes` gets what arrives (raw or Telnet). */
export class TcpPipe {
  private closing = false

  constructor(
    private readonly socket: net.Socket,
    private readonly events: LinkEvents,
    private readonly url: string,
    onBytes: (chunk: Uint8Array) => void,
    private readonly baudRate: () => number,
  ) {
    socket.on('data', (chunk: Buffer) => onBytes(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)))
    socket.on('error', () => {
      /* the close event follows and carries the outcome */
    })
    socket.on('close', (hadError) => {
      events.close(this.closing ? undefined : disconnectedError(url, hadError ? 'socket error' : 'the server closed the connection'))
    })
  }

  write(data: Uint8Array): Promise<void> {
    if (this.socket.destroyed || this.events.closed) return Promise.reject(disconnectedError(this.url))
    // A server that stops reading leaves the write in Node's buffer for good.
    return writeWithinLimit(this.url, data.length, this.baudRate(), (done) => this.socket.write(data, done))
  }

  /** Ends the connection as ours (not reported as lost) and closes the link's events. */
  async close(): Promise<void> {
    this.closing = true
    if (!this.socket.destroyed) {
      await new Promise<void>((resolve) => {
        this.socket.once('close', () => resolve())
        this.socket.end()
        // A peer that never answers FIN must not keep us waiting.
        setTimeout(() => this.socket.destroy(), 500).unref()
      })
    }
    this.events.close()
  }
}
