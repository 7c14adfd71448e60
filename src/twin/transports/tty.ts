// --tty PATH — an existing tty (e.g. one end of a socat pty pair). There are no control
// lines. When the other side goes away the tty may report an error; the twin reopens the
// path until it can, so a client can close and reopen its end.
import { SerialPort } from 'serialport'
import type { Device } from '../device'
import type { DeviceLink } from './link'
import type { ListeningTransport } from './socket'

const REOPEN_INTERVAL_MS = 250

export async function startTtyTransport(device: Device, link: DeviceLink, path: string): Promise<ListeningTransport> {
  let closed = false
  let port: SerialPort | undefined
  let retry: NodeJS.Timeout | undefined
  const faults = link.inputFaults()

  const open = () =>
    new Promise<void>((resolve, reject) => {
      const candidate = new SerialPort({ path, baudRate: 115200, autoOpen: false, hupcl: false })
      candidate.open((error) => {
        if (error) {
          reject(error)
          return
        }
        port = candidate
        const conn = {
          write: (bytes: Uint8Array) => void (candidate.isOpen && candidate.write(Buffer.from(bytes))),
          close: () => undefined,
        }
        link.connect(conn)
        candidate.on('data', (chunk: Buffer) => link.input(conn, new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength), faults))
        candidate.on('error', () => undefined)
        candidate.on('close', () => {
          link.disconnect(conn)
          port = undefined
          if (!closed) scheduleReopen()
        })
        resolve()
      })
    })

  const scheduleReopen = () => {
    retry = setTimeout(() => {
      retry = undefined
      if (closed) return
      open().catch(() => scheduleReopen())
    }, REOPEN_INTERVAL_MS)
  }

  await open()
  return {
    url: `tty:${path}`,
    async close() {
      closed = true
      if (retry) clearTimeout(retry)
      const current = port
      port = undefined
      if (current?.isOpen) await new Promise<void>((resolve) => current.close(() => resolve()))
    },
  }
}
