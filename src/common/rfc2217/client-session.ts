// The client side of one RFC 2217 connection, without any socket (what an rfc2217://
// port in PairKit's flasher needs): option agreement as pyserial does it, serial data in
// and out, and waiting for the server's answer (subcommand + 100) to each setting.
import { clientPurge, clientSetBaudrate, clientSetControl, CONTROL, decodeComPort, SERVER_OFFSET, COM_PORT } from './com-port-option'
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

  setBaudrate(baud: number): { bytes: Uint8Array; answer: number } {
    return { bytes: clientSetBaudrate(baud), answer: COM_PORT.SET_BAUDRATE }
  }

  setDtr(asserted: boolean): { bytes: Uint8Array; answer: number } {
    return { bytes: clientSetControl(asserted ? CONTROL.DTR_ON : CONTROL.DTR_OFF), answer: COM_PORT.SET_CONTROL }
  }

  setRts(asserted: boolean): { bytes: Uint8Array; answer: number } {
    return { bytes: clientSetControl(asserted ? CONTROL.RTS_ON : CONTROL.RTS_OFF), answer: COM_PORT.SET_CONTROL }
  }

  purge(which: number): { bytes: Uint8Array; answer: number } {
    return { bytes: clientPurge(which), answer: COM_PORT.PURGE_DATA }
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
