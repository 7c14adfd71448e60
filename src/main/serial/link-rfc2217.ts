// rfc2217://host:port — Telnet with the COM-PORT-OPTION (RFC 2217), as pyserial's client
// speaks it: negotiate BINARY + COM-PORT-OPTION, set baud/data/parity/stop, then DTR/RTS
// travel as SET-CONTROL. The protocol is common/rfc2217's client session (the twin runs
// the server session); this file gives it a TCP socket and timing.
import type net from 'node:net'
import { PairKitError } from '../../common/errors'
import { Rfc2217ClientSession, type ComPortRequest } from '../../common/rfc2217/client-session'
import { PARITY, STOPSIZE } from '../../common/rfc2217/com-port-option'
import type { ControlLines, LinkInfo, OpenLinkOptions, SerialLink } from './link'
import { EventedLink } from './link-events'
import { connectTcp, TcpPipe } from './link-tcp'

const NEGOTIATION_TIMEOUT_MS = 3000
const ANSWER_TIMEOUT_MS = 2000

class Rfc2217Link extends EventedLink {
  readonly info: LinkInfo
  private readonly session = new Rfc2217ClientSession()
  private readonly pipe: TcpPipe
  /** Per subcommand, who waits for the server's answer, oldest first. */
  private readonly answerWaiters = new Map<number, Array<() => void>>()
  private readonly negotiationWaiters = new Set<() => void>()
  private warnedNoAnswer = false
  baudRate: number

  constructor(
    socket: net.Socket,
    url: string,
    private readonly options: OpenLinkOptions,
  ) {
    super()
    this.info = { kind: 'rfc2217', url, controlLines: true }
    if (options.onData) this.events.onData(options.onData)
    this.baudRate = options.baudRate ?? 115200
    this.pipe = new TcpPipe(socket, this.events, url, (chunk) => this.receive(chunk), () => this.baudRate)
    this.events.onClose(() => {
      for (const wake of this.negotiationWaiters) wake()
    })
  }

  async start(): Promise<void> {
    for (const request of this.session.open()) await this.pipe.write(request)
    await this.waitFor(() => this.session.ready, NEGOTIATION_TIMEOUT_MS)
    if (!this.session.ready) {
      throw new PairKitError('PORT_NOT_FOUND', `${this.info.url} does not speak RFC 2217: use socket:// for a raw TCP serial server`)
    }
    await Promise.all([
      this.setting(this.session.setBaudrate(this.baudRate)),
      this.setting(this.session.setDatasize(8)),
      this.setting(this.session.setParity(PARITY.NONE)),
      this.setting(this.session.setStopsize(STOPSIZE.ONE)),
    ])
  }

  private receive(chunk: Uint8Array): void {
    const out = this.session.receive(chunk)
    for (const data of out.data) this.events.data(data)
    for (const reply of out.replies) void this.pipe.write(reply).catch(() => {})
    for (const subcommand of out.answered) this.answerWaiters.get(subcommand)?.shift()?.()
    for (const wake of this.negotiationWaiters) wake()
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

  /** Sends a COM-PORT-OPTION setting and waits for the server's answer; warns once if none comes. */
  private async setting({ bytes, answer }: ComPortRequest): Promise<void> {
    const answered = new Promise<boolean>((resolve) => {
      const list = this.answerWaiters.get(answer) ?? []
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
      this.answerWaiters.set(answer, list)
    })
    await this.pipe.write(bytes)
    if (!(await answered) && !this.warnedNoAnswer && !this.closed) {
      this.warnedNoAnswer = true
      this.options.onWarning?.(`${this.info.url} did not confirm a port setting (RFC 2217 subcommand ${answer}); continuing`)
    }
  }

  write(data: Uint8Array): Promise<void> {
    return this.pipe.write(this.session.encodeData(data))
  }

  async setSignals(lines: ControlLines): Promise<void> {
    // SET-CONTROL is not acknowledged by pyserial's client either: order is what matters.
    if (lines.dtr !== undefined) await this.pipe.write(this.session.setDtr(lines.dtr).bytes)
    if (lines.rts !== undefined) await this.pipe.write(this.session.setRts(lines.rts).bytes)
  }

  async setBaudRate(baud: number): Promise<void> {
    await this.setting(this.session.setBaudrate(baud))
    this.baudRate = baud
  }

  close(): Promise<void> {
    return this.pipe.close()
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
