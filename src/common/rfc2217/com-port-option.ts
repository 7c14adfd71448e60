// RFC 2217 COM-PORT-OPTION (Telnet option 44) subnegotiations. A client sends a
// subcommand; the server answers with the same subcommand + 100 carrying the value it
// applied (pyserial waits for these answers to SET-BAUDRATE/DATASIZE/PARITY/STOPSIZE,
// SET-CONTROL and PURGE-DATA).
import { encodeSubnegotiation, TELNET_OPTIONS } from './telnet'

export const COM_PORT = {
  SIGNATURE: 0,
  SET_BAUDRATE: 1,
  SET_DATASIZE: 2,
  SET_PARITY: 3,
  SET_STOPSIZE: 4,
  SET_CONTROL: 5,
  NOTIFY_LINESTATE: 6,
  NOTIFY_MODEMSTATE: 7,
  FLOWCONTROL_SUSPEND: 8,
  FLOWCONTROL_RESUME: 9,
  SET_LINESTATE_MASK: 10,
  SET_MODEMSTATE_MASK: 11,
  PURGE_DATA: 12,
} as const

/** A server's answer to subcommand `n` is `n + SERVER_OFFSET`. */
export const SERVER_OFFSET = 100

/** SET-CONTROL values (RFC 2217 §"Set Control"). */
export const CONTROL = {
  REQ_FLOW: 0,
  NO_FLOW: 1,
  XON_XOFF: 2,
  HARDWARE_FLOW: 3,
  REQ_BREAK: 4,
  BREAK_ON: 5,
  BREAK_OFF: 6,
  REQ_DTR: 7,
  DTR_ON: 8,
  DTR_OFF: 9,
  REQ_RTS: 10,
  RTS_ON: 11,
  RTS_OFF: 12,
} as const

export const PURGE = { RECEIVE: 1, TRANSMIT: 2, BOTH: 3 } as const
export const PARITY = { NONE: 1, ODD: 2, EVEN: 3, MARK: 4, SPACE: 5 } as const
export const STOPSIZE = { ONE: 1, TWO: 2, ONE_AND_HALF: 3 } as const

export interface ComPortMessage {
  subcommand: number
  value: Uint8Array
}

/** Splits a COM-PORT-OPTION subnegotiation payload; undefined when empty. */
export function decodeComPort(payload: Uint8Array): ComPortMessage | undefined {
  if (payload.length === 0) return undefined
  return { subcommand: payload[0] ?? 0, value: payload.subarray(1) }
}

export function encodeComPort(subcommand: number, value: Uint8Array): Uint8Array {
  const payload = new Uint8Array(value.length + 1)
  payload[0] = subcommand
  payload.set(value, 1)
  return encodeSubnegotiation(TELNET_OPTIONS.COM_PORT_OPTION, payload)
}

/** Baud rates travel as 4-byte big-endian values; 0 asks for the current rate. */
export function encodeBaud(baud: number): Uint8Array {
  const out = new Uint8Array(4)
  new DataView(out.buffer).setUint32(0, baud >>> 0, false)
  return out
}

export function decodeBaud(value: Uint8Array): number | undefined {
  if (value.length < 4) return undefined
  return new DataView(value.buffer, value.byteOffset, value.byteLength).getUint32(0, false)
}

// Client-side builders (what an rfc2217:// client such as PairKit's flasher sends).
export const clientSetBaudrate = (baud: number) => encodeComPort(COM_PORT.SET_BAUDRATE, encodeBaud(baud))
export const clientSetControl = (value: number) => encodeComPort(COM_PORT.SET_CONTROL, Uint8Array.of(value))
export const clientPurge = (value: number) => encodeComPort(COM_PORT.PURGE_DATA, Uint8Array.of(value))
export const clientSetDatasize = (bits: number) => encodeComPort(COM_PORT.SET_DATASIZE, Uint8Array.of(bits))
export const clientSetParity = (parity: number) => encodeComPort(COM_PORT.SET_PARITY, Uint8Array.of(parity))
export const clientSetStopsize = (stopsize: number) => encodeComPort(COM_PORT.SET_STOPSIZE, Uint8Array.of(stopsize))
