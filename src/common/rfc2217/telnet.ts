// Telnet framing (RFC 854/855) as RFC 2217 uses it: data with IAC (0xFF) doubled,
// option negotiation (WILL/WONT/DO/DONT) and subnegotiations (IAC SB … IAC SE).

export const IAC = 0xff
export const DONT = 0xfe
export const DO = 0xfd
export const WONT = 0xfc
export const WILL = 0xfb
export const SB = 0xfa
export const SE = 0xf0
export const NOP = 0xf1

export const TELNET_OPTIONS = {
  BINARY: 0,
  ECHO: 1,
  SGA: 3,
  COM_PORT_OPTION: 44,
} as const

export type NegotiationCommand = typeof WILL | typeof WONT | typeof DO | typeof DONT

export type TelnetEvent =
  | { type: 'data'; bytes: Uint8Array }
  | { type: 'negotiation'; command: NegotiationCommand; option: number }
  | { type: 'subnegotiation'; option: number; payload: Uint8Array }
  | { type: 'command'; command: number }

/** Doubles every 0xFF so data survives the Telnet layer. */
export function escapeIac(data: Uint8Array): Uint8Array {
  let count = 0
  for (const byte of data) if (byte === IAC) count++
  if (count === 0) return data
  const out = new Uint8Array(data.length + count)
  let at = 0
  for (const byte of data) {
    out[at++] = byte
    if (byte === IAC) out[at++] = IAC
  }
  return out
}

export function encodeNegotiation(command: NegotiationCommand, option: number): Uint8Array {
  return Uint8Array.from([IAC, command, option])
}

export function encodeSubnegotiation(option: number, payload: Uint8Array): Uint8Array {
  const body = escapeIac(payload)
  const out = new Uint8Array(body.length + 5)
  out.set([IAC, SB, option])
  out.set(body, 3)
  out.set([IAC, SE], 3 + body.length)
  return out
}

const MAX_SUBNEGOTIATION = 512

type State = 'data' | 'iac' | 'negotiate' | 'sb-option' | 'sb' | 'sb-iac'

/** Incremental Telnet decoder: push() any chunking, get data runs and control events. */
export class TelnetDecoder {
  private state: State = 'data'
  private negotiation: NegotiationCommand = WILL
  private sbOption = 0
  private sb: number[] = []

  push(chunk: Uint8Array): TelnetEvent[] {
    const events: TelnetEvent[] = []
    let data: number[] = []
    const flush = () => {
      if (data.length > 0) events.push({ type: 'data', bytes: Uint8Array.from(data) })
      data = []
    }
    for (const byte of chunk) {
      switch (this.state) {
        case 'data':
          if (byte === IAC) this.state = 'iac'
          else data.push(byte)
          break
        case 'iac':
          if (byte === IAC) {
            data.push(IAC)
            this.state = 'data'
          } else if (byte === WILL || byte === WONT || byte === DO || byte === DONT) {
            this.negotiation = byte
            this.state = 'negotiate'
          } else if (byte === SB) {
            this.state = 'sb-option'
          } else {
            flush()
            events.push({ type: 'command', command: byte })
            this.state = 'data'
          }
          break
        case 'negotiate':
          flush()
          events.push({ type: 'negotiation', command: this.negotiation, option: byte })
          this.state = 'data'
          break
        case 'sb-option':
          this.sbOption = byte
          this.sb = []
          this.state = 'sb'
          break
        case 'sb':
          if (byte === IAC) this.state = 'sb-iac'
          else if (this.sb.length < MAX_SUBNEGOTIATION) this.sb.push(byte)
          break
        case 'sb-iac':
          if (byte === IAC) {
            if (this.sb.length < MAX_SUBNEGOTIATION) this.sb.push(IAC)
            this.state = 'sb'
          } else if (byte === SE) {
            flush()
            events.push({ type: 'subnegotiation', option: this.sbOption, payload: Uint8Array.from(this.sb) })
            this.state = 'data'
          } else {
            // Not IAC SE: a broken subnegotiation. Drop it and resume (RFC 855 leaves this open).
            this.state = 'data'
          }
          break
      }
    }
    flush()
    return events
  }
}
