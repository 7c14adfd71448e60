// socket://host:port — raw TCP to a serial server. No control lines and no baud
// control travel over it (pyserial's socket:// handler has none either), so resets are
// skipped and a baud change only changes what the chip expects.
import type net from 'node:net'
import type { ControlLines, LinkInfo, OpenLinkOptions, SerialLink } from './link'
import { EventedLink } from './link-events'
import { connectTcp, TcpPipe } from './link-tcp'

class SocketLink extends EventedLink {
  readonly info: LinkInfo
  private readonly pipe: TcpPipe
  private warnedLines = false
  baudRate: number

  constructor(
    socket: net.Socket,
    url: string,
    private readonly options: OpenLinkOptions,
  ) {
    super()
    this.info = { kind: 'socket', url, controlLines: false }
    if (options.onData) this.events.onData(options.onData)
    this.baudRate = options.baudRate ?? 115200
    this.pipe = new TcpPipe(socket, this.events, url, (chunk) => this.events.data(chunk), () => this.baudRate)
  }

  write(data: Uint8Array): Promise<void> {
    return this.pipe.write(data)
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
  close(): Promise<void> {
    return this.pipe.close()
  }
}

export async function openSocketLink(host: string, port: number, url: string, options: OpenLinkOptions = {}): Promise<SerialLink> {
  const socket = await connectTcp(host, port, url, options)
  return new SocketLink(socket, url, options)
}
