// A local serial port (USB bridge, native USB CDC, or a pty) through node serialport.
import { realpath } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { SerialPort } from 'serialport'
import { PairKitError } from '../../common/errors'
import { parseUsbId } from '../../common/usb-bridges'
import { listSystemPorts } from './port-lister'
import type { ControlLines, LinkInfo, OpenLinkOptions, SerialLink } from './link'
import { disconnectedError, EventedLink, writeWithinLimit } from './link-events'

const CLOSE_WAIT_MS = 3000

class LocalLink extends EventedLink {
  readonly info: LinkInfo
  private lines: Required<ControlLines> = { dtr: false, rts: false }
  private closing = false
  private warnedLines = false

  constructor(
    private readonly port: SerialPort,
    info: LinkInfo,
    private readonly options: OpenLinkOptions,
  ) {
    super()
    this.info = info
    if (options.onData) this.events.onData(options.onData)
    port.on('data', (chunk: Buffer) => this.events.data(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)))
    port.on('error', () => {
      /* 'close' follows with the outcome */
    })
    port.on('close', (error?: Error & { disconnected?: boolean }) => {
      this.events.close(this.closing ? undefined : disconnectedError(info.url, error?.message ?? 'the port closed'))
    })
  }

  get baudRate(): number {
    return this.port.baudRate
  }

  write(data: Uint8Array): Promise<void> {
    if (this.events.closed) return Promise.reject(disconnectedError(this.info.url))
    return writeWithinLimit(this.info.url, data.length, this.port.baudRate, (done) => this.port.write(Buffer.from(data.buffer, data.byteOffset, data.byteLength), done))
  }

  async setSignals(lines: ControlLines): Promise<void> {
    // serialport's set() resets every flag it is not given, so always send both lines.
    this.lines = { dtr: lines.dtr ?? this.lines.dtr, rts: lines.rts ?? this.lines.rts }
    if (!this.info.controlLines) return
    try {
      await new Promise<void>((resolve, reject) => this.port.set({ dtr: this.lines.dtr, rts: this.lines.rts }, (error) => (error ? reject(error) : resolve())))
    } catch (error) {
      // A pty has no modem lines ("Inappropriate ioctl for device"): esptool warns and syncs anyway.
      this.info.controlLines = false
      if (!this.warnedLines) {
        this.warnedLines = true
        this.options.onWarning?.(
          `chip was not reset: ${this.info.url} does not support DTR/RTS (${error instanceof Error ? error.message : String(error)}); it must already be in download mode`,
        )
      }
    }
  }

  async setBaudRate(baud: number): Promise<void> {
    await new Promise<void>((resolve, reject) => this.port.update({ baudRate: baud }, (error) => (error ? reject(error) : resolve())))
  }

  async close(): Promise<void> {
    if (this.events.closed) return
    this.closing = true
    // Closing a port with a write stuck in it can wait on the OS as well: do not let that hold
    // up whoever is closing (a flash job ending with an error, the app quitting).
    await Promise.race([new Promise<void>((resolve) => this.port.close(() => resolve())), sleep(CLOSE_WAIT_MS)])
    this.events.close()
  }
}

/** USB ids of the port at `path` (after resolving symlinks), when enumeration knows them. */
async function usbIdsOf(path: string): Promise<{ vendorId?: number; productId?: number }> {
  try {
    const real = await realpath(path).catch(() => path)
    const ports = await listSystemPorts()
    const found = ports.find((port) => port.path === path || port.path === real)
    const vendorId = parseUsbId(found?.vendorId)
    const productId = parseUsbId(found?.productId)
    return { ...(vendorId !== undefined ? { vendorId } : {}), ...(productId !== undefined ? { productId } : {}) }
  } catch {
    return {}
  }
}

export function mapOpenError(path: string, error: unknown): PairKitError {
  const text = error instanceof Error ? error.message : String(error)
  if (/cannot lock port|resource busy|EBUSY|Resource temporarily unavailable|Access denied/i.test(text) && !/permission denied/i.test(text)) {
    return new PairKitError('PORT_BUSY', `port busy: another program has ${path} open`, { detail: text })
  }
  if (/ENOENT|no such file|File not found|cannot find/i.test(text)) {
    return new PairKitError('PORT_NOT_FOUND', `there is no port ${path}`, { detail: text })
  }
  if (/permission denied|EACCES/i.test(text)) {
    return new PairKitError('PORT_BUSY', `no permission to open ${path}`, {
      hint: 'Add your user to the group that owns the port (dialout or uucp on Linux), log in again, and retry.',
      detail: text,
    })
  }
  return new PairKitError('PORT_NOT_FOUND', `cannot open ${path}: ${text}`, { detail: text })
}

export async function openLocalLink(path: string, options: OpenLinkOptions = {}): Promise<SerialLink> {
  const ids = await usbIdsOf(path)
  // hupcl:false keeps an idle port from holding RTS (= EN) asserted after we close it.
  const port = new SerialPort({ path, baudRate: options.baudRate ?? 115200, autoOpen: false, hupcl: false, lock: true })
  try {
    await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())))
  } catch (error) {
    throw mapOpenError(path, error)
  }
  const link = new LocalLink(port, { kind: 'local', url: path, controlLines: true, ...ids }, options)
  // Release both lines right away: the chip must not sit in reset while we get ready.
  await link.setSignals({ dtr: false, rts: false })
  return link
}
