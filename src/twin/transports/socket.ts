// socket:// — raw TCP, as pyserial's socket:// handler expects. There are no control
// lines, so each new connection is a power-on in the --boot mode (assumption: like
// plugging the board in when the port is opened). In download mode the ROM banner is not
// replayed: it went out before anyone listened, and a real chip would not repeat it.
import { createServer, type Server, type Socket } from 'node:net'
import type { BootMode, Device } from '../device'
import type { DeviceLink } from './link'

export interface ListeningTransport {
  readonly url: string
  close(): Promise<void>
}

export async function listenTcp(host: string, port: number, onSocket: (socket: Socket) => void): Promise<{ server: Server; port: number }> {
  const server = createServer({ noDelay: true }, onSocket)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve())
  })
  const address = server.address()
  return { server, port: typeof address === 'object' && address ? address.port : port }
}

export async function closeServer(server: Server, sockets: Set<Socket>): Promise<void> {
  for (const socket of sockets) socket.destroy()
  await new Promise<void>((resolve) => server.close(() => resolve()))
}

export async function startSocketTransport(device: Device, link: DeviceLink, host: string, port: number, bootMode: BootMode): Promise<ListeningTransport> {
  const sockets = new Set<Socket>()
  const { server, port: actual } = await listenTcp(host, port, (socket) => {
    sockets.add(socket)
    socket.setNoDelay(true)
    const conn = {
      write: (bytes: Uint8Array) => void (socket.writable && socket.write(bytes)),
      close: () => socket.destroy(),
    }
    const faults = link.inputFaults()
    link.connect(conn)
    device.powerCycle(bootMode, 'power-on', { quietRom: bootMode === 'download' })
    socket.on('data', (chunk: Buffer) => link.input(conn, new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength), faults))
    socket.on('error', () => undefined)
    socket.on('close', () => {
      sockets.delete(socket)
      link.disconnect(conn)
    })
  })
  return { url: `socket://${host}:${actual}`, close: () => closeServer(server, sockets) }
}
