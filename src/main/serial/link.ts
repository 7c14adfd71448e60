// One byte pipe to a chip, whatever carries it: a local serial port, a raw TCP socket
// (socket://host:port, as pyserial and esptool spell it) or an RFC 2217 server
// (rfc2217://host:port, e.g. ser2net or the twin). The flasher only sees this interface.
import type { PairKitError } from '../../common/errors'
import { parsePortUrl } from '../../common/port-url'

export type LinkKind = 'local' | 'socket' | 'rfc2217'

export interface ControlLines {
  /** true = asserted (pin pulled low on ESP boards: DTR → IO0, RTS → EN). */
  dtr?: boolean
  rts?: boolean
}

export interface LinkInfo {
  kind: LinkKind
  /** The URL or path the link was opened with. */
  url: string
  /** USB ids when the OS knows them (local ports only): they choose the reset sequence. */
  vendorId?: number
  productId?: number
  /** False where DTR/RTS cannot reach the chip (socket://, a pty): no hardware reset possible. */
  controlLines: boolean
}

export interface SerialLink {
  readonly info: LinkInfo
  readonly baudRate: number
  readonly closed: boolean
  /** Resolves when the bytes are handed to the OS (not when they are on the wire). */
  write(data: Uint8Array): Promise<void>
  /** Every received chunk; returns an unsubscribe function. */
  onData(listener: (chunk: Uint8Array) => void): () => void
  /** Called once when the link goes away; `error` is set when it was not our close(). */
  onClose(listener: (error?: PairKitError) => void): () => void
  /** Sets DTR and/or RTS; lines not given keep their last value. Never throws for a missing line. */
  setSignals(lines: ControlLines): Promise<void>
  setBaudRate(baud: number): Promise<void>
  close(): Promise<void>
}

/** Time the link needs to carry `bytes` at `baud` (8N1 = 10 bits per byte), in ms. */
export function wireTimeMs(bytes: number, baud: number): number {
  return (bytes * 10 * 1000) / baud
}

export interface OpenLinkOptions {
  baudRate?: number
  /** Non-fatal notes (e.g. "this port has no DTR/RTS"), each reported once per link. */
  onWarning?: (message: string) => void
  /** Connect/open timeout for network links. */
  timeoutMs?: number
  signal?: AbortSignal
  /**
   * Every received chunk from the moment the link exists, before openLink resolves: a console
   * reader must not lose what arrives while an rfc2217:// link negotiates.
   */
  onData?: (chunk: Uint8Array) => void
}

export { parsePortUrl, type ParsedPortUrl } from '../../common/port-url'

/** Opens any of the three link kinds. */
export async function openLink(url: string, options: OpenLinkOptions = {}): Promise<SerialLink> {
  const parsed = parsePortUrl(url)
  if (parsed.kind === 'local') {
    const { openLocalLink } = await import('./link-local')
    return openLocalLink(parsed.path, options)
  }
  if (parsed.kind === 'socket') {
    const { openSocketLink } = await import('./link-socket')
    return openSocketLink(parsed.host, parsed.port, url, options)
  }
  const { openRfc2217Link } = await import('./link-rfc2217')
  return openRfc2217Link(parsed.host, parsed.port, url, options)
}
