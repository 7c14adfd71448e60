// The server side of one RFC 2217 connection, without any socket: feed it the client's
// bytes, get back serial data, replies to send, and the port settings the client asked
// for. The twin uses it; a PairKit-side RFC 2217 bridge could too.
import { COM_PORT, CONTROL, decodeBaud, decodeComPort, encodeBaud, encodeComPort, PARITY, SERVER_OFFSET, STOPSIZE } from './com-port-option'
import { OptionNegotiator, SERVER_OPTIONS } from './options'
import { escapeIac, TelnetDecoder, TELNET_OPTIONS } from './telnet'

export type PortRequest =
  | { type: 'baud'; baud: number }
  | { type: 'dtr'; asserted: boolean }
  | { type: 'rts'; asserted: boolean }
  | { type: 'break'; on: boolean }
  | { type: 'purge'; which: number }

export interface SessionOutput {
  /** Serial data from the client, IAC-unescaped. */
  data: Uint8Array[]
  /** Telnet bytes to send back to the client. */
  replies: Uint8Array[]
  requests: PortRequest[]
}

export interface PortState {
  baud: number
  dtr: boolean
  rts: boolean
}

export class Rfc2217ServerSession {
  private readonly decoder = new TelnetDecoder()
  private readonly options = new OptionNegotiator(SERVER_OPTIONS)
  private datasize = 8
  private parity: number = PARITY.NONE
  private stopsize: number = STOPSIZE.ONE

  constructor(
    private readonly port: PortState,
    private readonly signature = 'PairKit twin',
  ) {}

  /** What to send right after the client connects. */
  open(): Uint8Array[] {
    return this.options.initialRequests()
  }

  /** Serial data for the client (IAC doubled). */
  encodeData(data: Uint8Array): Uint8Array {
    return escapeIac(data)
  }

  receive(chunk: Uint8Array): SessionOutput {
    const out: SessionOutput = { data: [], replies: [], requests: [] }
    for (const event of this.decoder.push(chunk)) {
      if (event.type === 'data') out.data.push(event.bytes)
      else if (event.type === 'negotiation') out.replies.push(...this.options.receive(event.command, event.option))
      else if (event.type === 'subnegotiation' && event.option === TELNET_OPTIONS.COM_PORT_OPTION) this.comPort(event.payload, out)
    }
    return out
  }

  private comPort(payload: Uint8Array, out: SessionOutput): void {
    const message = decodeComPort(payload)
    if (!message) return
    const answer = (value: Uint8Array) => out.replies.push(encodeComPort(message.subcommand + SERVER_OFFSET, value))
    const byte = message.value[0] ?? 0
    switch (message.subcommand) {
      case COM_PORT.SIGNATURE:
        answer(new TextEncoder().encode(this.signature))
        break
      case COM_PORT.SET_BAUDRATE: {
        const baud = decodeBaud(message.value) ?? 0
        if (baud > 0) {
          this.port.baud = baud
          out.requests.push({ type: 'baud', baud })
        }
        answer(encodeBaud(this.port.baud))
        break
      }
      case COM_PORT.SET_DATASIZE:
        if (byte >= 5 && byte <= 8) this.datasize = byte
        answer(Uint8Array.of(this.datasize))
        break
      case COM_PORT.SET_PARITY:
        if (byte >= 1 && byte <= 5) this.parity = byte
        answer(Uint8Array.of(this.parity))
        break
      case COM_PORT.SET_STOPSIZE:
        if (byte >= 1 && byte <= 3) this.stopsize = byte
        answer(Uint8Array.of(this.stopsize))
        break
      case COM_PORT.SET_CONTROL:
        answer(Uint8Array.of(this.control(byte, out)))
        break
      case COM_PORT.PURGE_DATA:
        out.requests.push({ type: 'purge', which: byte })
        answer(Uint8Array.of(byte))
        break
      case COM_PORT.SET_LINESTATE_MASK:
      case COM_PORT.SET_MODEMSTATE_MASK:
        answer(Uint8Array.of(byte))
        break
      default:
        // FLOWCONTROL_SUSPEND/RESUME and notifications need no answer.
        break
    }
  }

  private control(value: number, out: SessionOutput): number {
    switch (value) {
      case CONTROL.DTR_ON:
      case CONTROL.DTR_OFF:
        this.port.dtr = value === CONTROL.DTR_ON
        out.requests.push({ type: 'dtr', asserted: this.port.dtr })
        return value
      case CONTROL.RTS_ON:
      case CONTROL.RTS_OFF:
        this.port.rts = value === CONTROL.RTS_ON
        out.requests.push({ type: 'rts', asserted: this.port.rts })
        return value
      case CONTROL.REQ_DTR:
        return this.port.dtr ? CONTROL.DTR_ON : CONTROL.DTR_OFF
      case CONTROL.REQ_RTS:
        return this.port.rts ? CONTROL.RTS_ON : CONTROL.RTS_OFF
      case CONTROL.REQ_FLOW:
        return CONTROL.NO_FLOW
      case CONTROL.BREAK_ON:
      case CONTROL.BREAK_OFF:
        out.requests.push({ type: 'break', on: value === CONTROL.BREAK_ON })
        return value
      case CONTROL.REQ_BREAK:
        return CONTROL.BREAK_OFF
      default:
        // Flow-control settings: a virtual UART has no flow control, but acknowledging
        // the request as given is what pyserial expects of a server.
        return value
    }
  }
}
