// Closes an MQTT connection whose client announces a packet larger than the broker takes, as
// soon as the packet's length has arrived. aedes and mqtt-packet have no such limit: a client
// could announce a 256-MB PUBLISH and make the broker hold everything it sends until then.
//
// It watches the bytes aedes reads, without changing how aedes reads them: aedes pulls each chunk
// with read() on 'readable', and a stream that has a 'readable' listener emits 'data' for every
// chunk read() returns, without ever flowing by itself (Node's stream documentation: "'readable'
// takes precedence in controlling the flow"). So the listener must come after aedes.handle().
import type { Socket } from 'node:net'
import { PacketSizeLimit } from '../../common/mqtt/packet-size-limit'

/** Call right after aedes.handle(socket); `onClose` hears of a connection closed for a packet's size. */
export function closeOnOversizedPacket(socket: Socket, maxPacketBytes: number, onClose: (announcedBytes: number) => void): void {
  const limit = new PacketSizeLimit(maxPacketBytes)
  const watch = (chunk: Buffer) => {
    const announced = limit.read(chunk)
    if (announced === 0) return
    socket.off('data', watch)
    // MQTT 3.1.1 has no reason code for it: the connection is closed (MQTT 5 would send
    // DISCONNECT 0x95 first; aedes speaks 3.1.1). aedes sees the close and cleans up.
    socket.destroy()
    onClose(announced)
  }
  socket.on('data', watch)
  socket.once('close', () => socket.off('data', watch))
}
