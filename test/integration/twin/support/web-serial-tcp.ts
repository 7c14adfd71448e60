// A Web Serial-shaped port over TCP, so Espressif's esptool-js (which talks to Web Serial)
// can drive the twin over socket:// (raw) or rfc2217:// (Telnet COM-PORT-OPTION, using
// PairKit's client-side RFC 2217 helpers). Test support only.
import { connect, type Socket } from 'node:net'
import { Rfc2217ClientSession } from '../../../../src/common/rfc2217/client-session'

export class TcpSerialPort {
  readonly kind: 'socket' | 'rfc2217'
  private socket: Socket | undefined
  private controller: ReadableStreamDefaultController<Uint8Array> | undefined
  private session = new Rfc2217ClientSession()
  private answers: { subcommand: number; resolve: () => void }[] = []
  readable: ReadableStream<Uint8Array> | null = null
  writable: WritableStream<Uint8Array> | null = null
  /** Every byte received (for boot-log checks). */
  received: number[] = []

  constructor(private readonly url: string) {
    this.kind = url.startsWith('rfc2217://') ? 'rfc2217' : 'socket'
  }

  getInfo(): { usbVendorId?: number; usbProductId?: number } {
    return {}
  }

  async open(_options: { baudRate: number }): Promise<void> {
    const match = /^\w+:\/\/([^:]+):(\d+)/.exec(this.url)
    if (!match) throw new Error(`bad url ${this.url}`)
    const socket = connect(Number(match[2]), match[1] ?? '127.0.0.1')
    socket.setNoDelay(true)
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve)
      socket.once('error', reject)
    })
    this.socket = socket
    let own: ReadableStreamDefaultController<Uint8Array> | undefined
    this.readable = new ReadableStream<Uint8Array>({ start: (controller) => void (this.controller = own = controller) })
    this.writable = new WritableStream<Uint8Array>({
      write: (chunk) => {
        this.socket?.write(this.kind === 'rfc2217' ? this.session.encodeData(chunk) : chunk)
      },
    })
    socket.on('data', (chunk: Buffer) => this.onData(new Uint8Array(chunk)))
    socket.on('error', () => undefined)
    socket.on('close', () => {
      try {
        own?.close()
      } catch {
        // already closed
      }
    })
    if (this.kind === 'rfc2217') {
      for (const request of this.session.open()) socket.write(request)
      await this.until(() => this.session.ready, 'COM-PORT-OPTION agreement')
      await this.setBaudRate(_options.baudRate)
    }
  }

  async setBaudRate(baud: number): Promise<void> {
    if (this.kind !== 'rfc2217') return
    await this.request(this.session.setBaudrate(baud))
  }

  async setSignals(signals: { dataTerminalReady?: boolean; requestToSend?: boolean }): Promise<void> {
    if (this.kind !== 'rfc2217') return
    if (signals.dataTerminalReady !== undefined) await this.request(this.session.setDtr(signals.dataTerminalReady))
    if (signals.requestToSend !== undefined) await this.request(this.session.setRts(signals.requestToSend))
  }

  async close(): Promise<void> {
    const socket = this.socket
    this.socket = undefined
    this.readable = null
    this.writable = null
    if (socket) await new Promise<void>((resolve) => socket.end(() => resolve()))
    socket?.destroy()
  }

  private async request({ bytes, answer }: { bytes: Uint8Array; answer: number }): Promise<void> {
    const answered = new Promise<void>((resolve) => this.answers.push({ subcommand: answer, resolve }))
    this.socket?.write(bytes)
    await Promise.race([answered, new Promise((_, reject) => setTimeout(() => reject(new Error(`no RFC 2217 answer to ${answer}`)), 3000))])
  }

  private onData(chunk: Uint8Array): void {
    if (this.kind === 'socket') return this.push(chunk)
    const out = this.session.receive(chunk)
    for (const reply of out.replies) this.socket?.write(reply)
    for (const data of out.data) this.push(data)
    for (const subcommand of out.answered) {
      const index = this.answers.findIndex((answer) => answer.subcommand === subcommand)
      if (index >= 0) this.answers.splice(index, 1)[0]?.resolve()
    }
  }

  private push(bytes: Uint8Array): void {
    for (const byte of bytes) this.received.push(byte)
    try {
      this.controller?.enqueue(bytes)
    } catch {
      // stream closed
    }
  }

  private async until(check: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + 3000
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
  }
}
