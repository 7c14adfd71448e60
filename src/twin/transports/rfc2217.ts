// rfc2217:// — a Telnet COM-PORT-OPTION server, as ser2net offers. SET-CONTROL for DTR
// and RTS drives EN and IO0 through the auto-reset circuit; everything else is answered
// as pyserial's client expects. The chip is not reset by connecting: only the lines do that.
import type { Socket } from 'node:net'
import { Rfc2217ServerSession } from '../../common/rfc2217/server-session'
import type { Device } from '../device'
import type { DeviceLink } from './link'
import { closeServer, listenTcp, type ListeningTransport } from './socket'

export async function startRfc2217Transport(device: Device, link: DeviceLink, host: string, port: number): Promise<ListeningTransport> {
  const sockets = new Set<Socket>()
  const { server, port: actual } = await listenTcp(host, port, (socket) => {
    sockets.add(socket)
    socket.setNoDelay(true)
    const session = new Rfc2217ServerSession({ baud: device.currentBaud, dtr: false, rts: false })
    const send = (bytes: Uint8Array) => void (socket.writable && socket.write(bytes))
    const conn = { write: (bytes: Uint8Array) => send(session.encodeData(bytes)), close: () => socket.destroy() }
    const faults = link.inputFaults()
    link.connect(conn)
    for (const request of session.open()) send(request)
    socket.on('data', (chunk: Buffer) => {
      const out = session.receive(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength))
      for (const reply of out.replies) send(reply)
      for (const request of out.requests) {
        if (request.type === 'dtr') device.setLines({ dtr: request.asserted })
        else if (request.type === 'rts') device.setLines({ rts: request.asserted })
        // SET-BAUDRATE changes the bridge's side only; the chip's UART follows CHANGE_BAUDRATE.
        // PURGE has nothing to drop: output is handed to the socket as soon as it leaves the wire.
      }
      for (const data of out.data) link.input(conn, data, faults)
    })
    socket.on('error', () => undefined)
    socket.on('close', () => {
      sockets.delete(socket)
      link.disconnect(conn)
      // Closing the port drops DTR and RTS (hupcl); with both released nothing resets.
      device.setLines({ dtr: false, rts: false })
    })
  })
  return { url: `rfc2217://${host}:${actual}`, close: () => closeServer(server, sockets) }
}
