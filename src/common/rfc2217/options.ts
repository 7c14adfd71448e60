// Telnet option negotiation in the style of pyserial's TelnetOption (which esptool's
// rfc2217:// client uses): every option has a side ("we" or "they"), a state, and
// answers a peer's request exactly once, so negotiation never loops.
import { DO, DONT, encodeNegotiation, TELNET_OPTIONS, WILL, WONT, type NegotiationCommand } from './telnet'

export type OptionState = 'requested' | 'active' | 'inactive' | 'really-inactive'

export interface OptionSpec {
  readonly name: string
  readonly option: number
  /** 'we' = an option we perform (WILL/WONT from us); 'they' = one we ask the peer for (DO/DONT). */
  readonly side: 'we' | 'they'
  readonly initial: OptionState
}

interface OptionEntry extends OptionSpec {
  state: OptionState
}

/** The options pyserial's server (PortManager) offers; a ser2net-like server does the same. */
export const SERVER_OPTIONS: readonly OptionSpec[] = [
  { name: 'ECHO', option: TELNET_OPTIONS.ECHO, side: 'we', initial: 'requested' },
  { name: 'we-SGA', option: TELNET_OPTIONS.SGA, side: 'we', initial: 'requested' },
  { name: 'they-SGA', option: TELNET_OPTIONS.SGA, side: 'they', initial: 'inactive' },
  { name: 'we-BINARY', option: TELNET_OPTIONS.BINARY, side: 'we', initial: 'inactive' },
  { name: 'they-BINARY', option: TELNET_OPTIONS.BINARY, side: 'they', initial: 'requested' },
  { name: 'we-RFC2217', option: TELNET_OPTIONS.COM_PORT_OPTION, side: 'we', initial: 'requested' },
  { name: 'they-RFC2217', option: TELNET_OPTIONS.COM_PORT_OPTION, side: 'they', initial: 'inactive' },
]

/** The options pyserial's client requests; BINARY and we-RFC2217 are mandatory for it. */
export const CLIENT_OPTIONS: readonly OptionSpec[] = [
  { name: 'ECHO', option: TELNET_OPTIONS.ECHO, side: 'they', initial: 'requested' },
  { name: 'we-SGA', option: TELNET_OPTIONS.SGA, side: 'we', initial: 'requested' },
  { name: 'they-SGA', option: TELNET_OPTIONS.SGA, side: 'they', initial: 'requested' },
  { name: 'they-BINARY', option: TELNET_OPTIONS.BINARY, side: 'they', initial: 'inactive' },
  { name: 'they-RFC2217', option: TELNET_OPTIONS.COM_PORT_OPTION, side: 'they', initial: 'requested' },
  { name: 'we-BINARY', option: TELNET_OPTIONS.BINARY, side: 'we', initial: 'inactive' },
  { name: 'we-RFC2217', option: TELNET_OPTIONS.COM_PORT_OPTION, side: 'we', initial: 'requested' },
]

export class OptionNegotiator {
  private readonly entries: OptionEntry[]

  constructor(specs: readonly OptionSpec[]) {
    this.entries = specs.map((spec) => ({ ...spec, state: spec.initial }))
  }

  /** The requests to send when the connection opens. */
  initialRequests(): Uint8Array[] {
    return this.entries.filter((entry) => entry.state === 'requested').map((entry) => encodeNegotiation(sendYes(entry), entry.option))
  }

  isActive(name: string): boolean {
    return this.entries.find((entry) => entry.name === name)?.state === 'active'
  }

  /** Handles a peer's WILL/WONT/DO/DONT; returns what to answer (possibly nothing). */
  receive(command: NegotiationCommand, option: number): Uint8Array[] {
    const replies: Uint8Array[] = []
    // WILL/WONT from the peer concern 'they' options; DO/DONT concern 'we' options.
    const side = command === WILL || command === WONT ? 'they' : 'we'
    const positive = command === WILL || command === DO
    const matching = this.entries.filter((entry) => entry.option === option && entry.side === side)
    if (matching.length === 0) {
      // Unknown option: refuse it, as pyserial does.
      if (positive) replies.push(encodeNegotiation(side === 'they' ? DONT : WONT, option))
      return replies
    }
    for (const entry of matching) {
      if (positive) {
        if (entry.state === 'requested') entry.state = 'active'
        else if (entry.state === 'inactive') {
          entry.state = 'active'
          replies.push(encodeNegotiation(sendYes(entry), option))
        } else if (entry.state === 'really-inactive') replies.push(encodeNegotiation(sendNo(entry), option))
      } else if (entry.state === 'requested') entry.state = 'inactive'
      else if (entry.state === 'active') {
        entry.state = 'inactive'
        replies.push(encodeNegotiation(sendNo(entry), option))
      }
    }
    return replies
  }
}

function sendYes(entry: OptionSpec): NegotiationCommand {
  return entry.side === 'we' ? WILL : DO
}
function sendNo(entry: OptionSpec): NegotiationCommand {
  return entry.side === 'we' ? WONT : DONT
}
