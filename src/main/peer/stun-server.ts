// A minimal RFC 5389 STUN server: it answers Binding requests with XOR-MAPPED-ADDRESS (and
// FINGERPRINT), which is all ICE needs to learn server-reflexive candidates. For tests and for
// a technician's own lab; no authentication, no TURN.
import { createSocket, type Socket } from 'node:dgram'
import { crc32 } from 'node:zlib'

const MAGIC_COOKIE = 0x2112a442
const BINDING_REQUEST = 0x0001
const BINDING_SUCCESS = 0x0101
const ATTR_XOR_MAPPED_ADDRESS = 0x0020
const ATTR_SOFTWARE = 0x8022
const ATTR_FINGERPRINT = 0x8028
const FINGERPRINT_XOR = 0x5354554e
const SOFTWARE = new TextEncoder().encode('PairKit STUN')

export interface StunServer {
  readonly host: string
  readonly port: number
  /** Binding requests answered so far. */
  readonly answered: number
  close(): Promise<void>
}

export async function startStunServer(options: { host?: string; port?: number } = {}): Promise<StunServer> {
  const socket: Socket = createSocket('udp4')
  let answered = 0
  socket.on('message', (message, remote) => {
    const response = bindingResponse(new Uint8Array(message.buffer, message.byteOffset, message.byteLength), remote.address, remote.port)
    if (!response) return
    answered++
    socket.send(response, remote.port, remote.address)
  })
  socket.on('error', () => undefined)
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject)
    socket.bind(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve())
  })
  const address = socket.address()
  return {
    host: address.address,
    port: address.port,
    get answered() {
      return answered
    },
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  }
}

/** The success response to a Binding request from `address:port`, or undefined for anything else. */
export function bindingResponse(request: Uint8Array, address: string, port: number): Uint8Array | undefined {
  if (request.length < 20 || (request[0] as number) & 0xc0) return undefined
  const view = new DataView(request.buffer, request.byteOffset, request.byteLength)
  if (view.getUint16(0) !== BINDING_REQUEST || view.getUint32(4) !== MAGIC_COOKIE) return undefined
  if (view.getUint16(2) + 20 !== request.length) return undefined
  const octets = address.split('.').map(Number)
  if (octets.length !== 4 || octets.some((octet) => !(octet >= 0 && octet <= 255))) return undefined
  const softwarePadded = (SOFTWARE.length + 3) & ~3
  const length = 12 + 4 + softwarePadded + 8
  const response = new Uint8Array(20 + length)
  const out = new DataView(response.buffer)
  out.setUint16(0, BINDING_SUCCESS)
  out.setUint16(2, length)
  response.set(request.subarray(4, 20), 4) // magic cookie + transaction id
  let offset = 20
  out.setUint16(offset, ATTR_XOR_MAPPED_ADDRESS)
  out.setUint16(offset + 2, 8)
  out.setUint8(offset + 5, 0x01) // IPv4
  out.setUint16(offset + 6, port ^ (MAGIC_COOKIE >>> 16))
  const ip = ((octets[0] as number) << 24) | ((octets[1] as number) << 16) | ((octets[2] as number) << 8) | (octets[3] as number)
  out.setUint32(offset + 8, (ip ^ MAGIC_COOKIE) >>> 0)
  offset += 12
  out.setUint16(offset, ATTR_SOFTWARE)
  out.setUint16(offset + 2, SOFTWARE.length)
  response.set(SOFTWARE, offset + 4)
  offset += 4 + softwarePadded
  out.setUint16(offset, ATTR_FINGERPRINT)
  out.setUint16(offset + 2, 4)
  out.setUint32(offset + 4, (crc32(response.subarray(0, offset)) ^ FINGERPRINT_XOR) >>> 0)
  return response
}
