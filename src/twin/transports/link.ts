// Connects one client connection to the device, through the transport-level faults.
// Only one client owns the UART at a time; a new one takes it over.
import type { Device, DeviceState } from '../device'
import { ByteFaults, seededRandom, type FaultSpec } from '../faults'

/**
 * One piece of what crossed the UART of the twin, for tests: bytes delivered to a client
 * connection (after the faults), or data bytes a client sent. Connections are numbered from 1
 * in the order they connected; `deviceState` is the chip's state at that moment.
 */
export interface TranscriptEntry {
  connection: number
  direction: 'to-host' | 'from-host'
  bytes: Uint8Array
  deviceState: DeviceState
}

export interface ClientConnection {
  write(bytes: Uint8Array): void
  close(): void
}

export class DeviceLink {
  private readonly random: () => number
  private current: { conn: ClientConnection; number: number; sent: number; holdUntil: number; queue: Uint8Array[]; timer?: NodeJS.Timeout } | undefined
  private connections = 0

  constructor(
    private readonly device: Device,
    private readonly faults: FaultSpec,
    private readonly transcript?: (entry: TranscriptEntry) => void,
  ) {
    this.random = seededRandom(faults.seed)
  }

  /** A client connected: it now receives the UART output. */
  connect(conn: ClientConnection): void {
    this.current?.conn.close()
    const out = new ByteFaults(this.faults, this.random)
    const entry: { conn: ClientConnection; number: number; sent: number; holdUntil: number; queue: Uint8Array[]; timer?: NodeJS.Timeout } = { conn, number: ++this.connections, sent: 0, holdUntil: 0, queue: [] }
    this.current = entry
    this.device.attach((bytes) => {
      if (this.current !== entry) return
      const faulty = out.apply(bytes)
      const stall = out.stallMs()
      if (stall > 0) entry.holdUntil = Math.max(entry.holdUntil, Date.now() + stall)
      entry.queue.push(faulty)
      this.drain(entry)
    })
  }

  /** Bytes from the client towards the chip. */
  input(conn: ClientConnection, bytes: Uint8Array, faults: ByteFaults): void {
    if (this.current?.conn !== conn) return
    this.transcript?.({ connection: this.current.number, direction: 'from-host', bytes: bytes.slice(), deviceState: this.device.state })
    this.device.input(faults.apply(bytes))
  }

  inputFaults(): ByteFaults {
    return new ByteFaults(this.faults, this.random)
  }

  disconnect(conn: ClientConnection): void {
    if (this.current?.conn !== conn) return
    if (this.current.timer) clearTimeout(this.current.timer)
    this.current = undefined
    this.device.attach(undefined)
  }

  private drain(entry: NonNullable<DeviceLink['current']>): void {
    if (entry.timer) return
    const wait = entry.holdUntil - Date.now()
    if (wait > 0) {
      entry.timer = setTimeout(() => {
        entry.timer = undefined
        this.drain(entry)
      }, wait)
      return
    }
    while (entry.queue.length > 0) {
      let bytes = entry.queue.shift() as Uint8Array
      const limit = this.faults.disconnectAfter
      if (limit !== undefined && entry.sent + bytes.length >= limit) {
        bytes = bytes.subarray(0, limit - entry.sent)
        if (bytes.length > 0) this.deliver(entry, bytes)
        entry.sent = limit
        this.disconnect(entry.conn)
        entry.conn.close()
        return
      }
      entry.sent += bytes.length
      this.deliver(entry, bytes)
    }
  }

  private deliver(entry: NonNullable<DeviceLink['current']>, bytes: Uint8Array): void {
    this.transcript?.({ connection: entry.number, direction: 'to-host', bytes: bytes.slice(), deviceState: this.device.state })
    entry.conn.write(bytes)
  }
}
