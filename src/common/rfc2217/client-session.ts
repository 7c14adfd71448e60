// The client side of one RFC 2217 connection, without any socket (what the flasher's
// rfc2217:// link runs on a TCP socket): option agreement as pyserial does it, serial data
// in and out, and which settings the server has answered (subcommand + 100).
import {
  clientSetBaudrate, clientSetControl, clientSetDatasize, clientSetParity, clientSetStopsize, CONTROL, decodeComPort, SERVER_OFFSET, COM_PORT,
} from './com-port-option'
import { CLIENT_OPTIONS, OptionNegotiator } from './options'
import { escapeIac, TelnetDecoder, TELNET_OPTIONS } from './telnet'

export interface ClientOutput {
  /** Serial data from the device. */
  data: Uint8Array[]
  /** Telnet bytes to send back to the server. */
  replies: Uint8Array[]
  /** Subcommands (client numbering) the server has just answered. */
  answered: number[]
}

/** A COM-PORT-OPTION setting to send, and the subcommand whose answer confirms it. */
export interface ComPortRequest {
  bytes: Uint8Array
  answer: number
}

export class Rfc2217ClientSession {
  private readonly decoder = new TelnetDecoder()
  private readonly options = new OptionNegotiator(CLIENT_OPTIONS)

  /** What to send right after connecting. */
  open(): Uint8Array[] {
    return this.options.initialRequests()
  }

  /** pyserial's condition: the server has agreed to COM-PORT-OPTION on our side. */
  get ready(): boolean {
    return this.options.isActive('we-RFC2217')
  }

  encodeData(data: Uint8Array): Uint8Array {
    return escapeIac(data)
  }

  setBaudrate(baud: number): ComPortRequest {
    return { bytes: clientSetBaudrate(baud), answer: COM_PORT.SET_BAUDRATE }
  }

  setDatasize(bits: number): ComPortRequest {
    return { bytes: clientSetDatasize(bits), answer: COM_PORT.SET_DATASIZE }
  }

  /** `parity`: a PARITY value. */
  setParity(parity: number): ComPortRequest {
    return { bytes: clientSetParity(parity), answer: COM_PORT.SET_PARITY }
  }

  /** `stopsize`: a STOPSIZE value. */
  setStopsize(stopsize: number): ComPortRequest {
    return { bytes: clientSetStopsize(stopsize), answer: COM_PORT.SET_STOPSIZE }
  }

  setDtr(asserted: boolean): ComPortRequest {
    return { bytes: clientSetControl(asserted ? CONTROL.DTR_ON : CONTROL.DTR_OFF), answer: COM_PORT.SET_CONTROL }
  }

  setRts(asserted: boolean): ComPortRequest {
    return { bytes: clientSetControl(asserted ? CONTROL.RTS_ON : CONTROL.RTS_OFF), answer: COM_PORT.SET_CONTROL }
  }

  receive(chunk: Uint8Array): ClientOutput {
    const out: ClientOutput = { data: [], replies: [], answered: [] }
    for (const event of this.decoder.push(chunk)) {
      if (event.type === 'data') out.data.push(event.bytes)
      else if (event.type === 'negotiation') out.replies.push(...this.options.receive(event.command, event.option))
      else if (event.type === 'subnegotiation' && event.option === TELNET_OPTIONS.COM_PORT_OPTION) {
        const message = decodeComPort(event.payload)
        if (message && message.subcommand >= SERVER_OFFSET) out.answered.push(message.subcommand - SERVER_OFFSET)
      }
    }
    return out
  }
}
