// rfc2217://host:port — Telnet with the COM-PORT-OPTION (RFC 2217), as pyserial's client
// speaks it: negotiate BINARY + COM-PORT-OPTION, set baud/data/parity/stop, then DTR/RTS
// travel as SET-CONTROL. Telnet framing, option negotiation and the COM-PORT-OPTION
// subcommands come from common/rfc2217, shared with the twin's server side.
import type net from 'node:net'
import { PairKitError } from '../../common/errors'
import { COM_PORT, CONTROL, encodeBaud, encodeComPort, PARITY, SERVER_OFFSET, STOPSIZE } from '../../common/rfc2217/com-port-option'
import { OptionNegotiator, CLIENT_OPTIONS } from '../../common/rfc2217/options'
import { escapeIac, TelnetDecoder, TELNET_OPTIONS } from '../../common/rfc2217/telnet'
import { LinkEvents, type ControlLines, type LinkInfo, type OpenLinkOptions, type SerialLink } from './link'
import { attachSocket, closeSocket, connectTcp, type AttachedSocket } from './link-socket'

const NEGOTIATION_TIMEOUT_MS = 3000
const ANSWER_TIMEOUT_MS = 2000

class Rfc2217Link implements SerialLink {
  readonly info: LinkInfo
  private readonly events = new LinkEvents()
  private readonly decoder = new TelnetDecoder()
  private readonly negotiator = new OptionNegotiator(CLIENT_OPTIONS)
  private readonly attached: AttachedSocket
  private readonly answerWaiters = new Map<number, Array<(payload: Uint8Array) => void>>()
  private readonly negotiationWaiters = new Set<() => void>()
  private lines: Required<ControlLines> = { dtr: false, rts: false }
  private warnedNoAnswer = false
  baudRate: number

  constructor(
    private readonly socket: net.Socket,
    url: string,
    private readonly options: OpenLinkOptions,
  ) {
    this.info = { kind: 'rfc2217', url, controlLines: true }
    this.baudRate = options.baudRate ?? 115200
    this.attached = attachSocket(socket, this.events, url, (chunk) => this.receive(chunk), () => this.baudRate)
    this.events.onClose(() => {
      for (const wake of this.negotiationWaiters) wake()
    })
  }

  get closed(): boolean {
    return this.events.closed
  }

  async start(): Promise<void> {
    for (const request of this.negotiator.initialRequests()) await this.attached.write(request)
    await this.waitFor(() => this.negotiator.isActive('we-RFC2217'), NEGOTIATION_TIMEOUT_MS)
    if (!this.negotiator.isActive('we-RFC2217')) {
      throw new PairKitError('PORT_NOT_FOUND', `${this.info.url} does not speak RFC 2217: use socket:// for a raw TCP serial server`)
    }
    await Promise.all([
      this.setting(COM_PORT.SET_BAUDRATE, encodeBaud(this.baudRate)),
      this.setting(COM_PORT.SET_DATASIZE, Uint8Array.of(8)),
      this.setting(COM_PORT.SET_PARITY, Uint8Array.of(PARITY.NONE)),
      this.setting(COM_PORT.SET_STOPSIZE, Uint8Array.of(STOPSIZE.ONE)),
    ])
  }

  private receive(chunk: Uint8Array): void {
    for (const event of this.decoder.push(chunk)) {
      if (event.type === 'data') this.events.data(event.bytes)
      else if (event.type === 'negotiation') {
        for (const reply of this.negotiator.receive(event.command, event.option)) void this.attached.write(reply).catch(() => {})
        for (const wake of this.negotiationWaiters) wake()
      } else if (event.type === 'subnegotiation' && event.option === TELNET_OPTIONS.COM_PORT_OPTION) {
        const sub = event.payload[0] ?? 0
        const waiters = this.answerWaiters.get(sub)
        if (waiters && waiters.length > 0) waiters.shift()?.(event.payload.subarray(1))
      }
    }
  }

  private waitFor(done: () => boolean, timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (done() || this.events.closed) finish()
      }
      const finish = () => {
        clearTimeout(timer)
        this.negotiationWaiters.delete(check)
        resolve()
      }
      const timer = setTimeout(finish, timeoutMs)
      this.negotiationWaiters.add(check)
      check()
    })
  }

  /** Sends a COM-PORT-OPTION setting and waits for the server's answer (subcommand + 100). */
  private async setting(sub: number, value: Uint8Array): Promise<void> {
    const answered = new Promise<boolean>((resolve) => {
      const key = sub + SERVER_OFFSET
      const list = this.answerWaiters.get(key) ?? []
      const waiter = () => {
        clearTimeout(timer)
        resolve(true)
      }
      const timer = setTimeout(() => {
        const index = list.indexOf(waiter)
        if (index >= 0) list.splice(index, 1)
        resolve(false)
      }, ANSWER_TIMEOUT_MS)
      list.push(waiter)
      this.answerWaiters.set(key, list)
    })
    await this.attached.write(encodeComPort(sub, value))
    if (!(await answered) && !this.warnedNoAnswer && !this.closed) {
      this.warnedNoAnswer = true
      this.options.onWarning?.(`${this.info.url} did not confirm a port setting (RFC 2217 subcommand ${sub}); continuing`)
    }
  }

  write(data: Uint8Array): Promise<void> {
    return this.attached.write(escapeIac(data))
  }
  onData(listener: (chunk: Uint8Array) => void): () => void {
    return this.events.onData(listener)
  }
  onClose(listener: (error?: PairKitError) => void): () => void {
    return this.events.onClose(listener)
  }

  async setSignals(lines: ControlLines): Promise<void> {
    // SET-CONTROL is not acknowledged by pyserial's client either: order is what matters.
    const parts: Uint8Array[] = []
    if (lines.dtr !== undefined) {
      this.lines.dtr = lines.dtr
      parts.push(encodeComPort(COM_PORT.SET_CONTROL, Uint8Array.of(lines.dtr ? CONTROL.DTR_ON : CONTROL.DTR_OFF)))
    }
    if (lines.rts !== undefined) {
      this.lines.rts = lines.rts
      parts.push(encodeComPort(COM_PORT.SET_CONTROL, Uint8Array.of(lines.rts ? CONTROL.RTS_ON : CONTROL.RTS_OFF)))
    }
    for (const part of parts) await this.attached.write(part)
  }

  async setBaudRate(baud: number): Promise<void> {
    await this.setting(COM_PORT.SET_BAUDRATE, encodeBaud(baud))
    this.baudRate = baud
  }

  async close(): Promise<void> {
    await closeSocket(this.socket, this.attached)
    this.events.close()
  }
}

export async function openRfc2217Link(host: string, port: number, url: string, options: OpenLinkOptions = {}): Promise<SerialLink> {
  const socket = await connectTcp(host, port, url, options)
  const link = new Rfc2217Link(socket, url, options)
  try {
    await link.start()
  } catch (error) {
    await link.close().catch(() => {})
    throw error
  }
  return link
}
