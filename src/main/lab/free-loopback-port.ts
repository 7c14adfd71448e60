// A TCP port on 127.0.0.1 that nothing listens on now: the OS picks one, we let it go. Used
// where a server starts later, and more than once, on the same port (a twin's firmware broker
// at every boot), so its address stays the same for the technician.
import { createServer, Socket } from 'node:net'

export async function freeLoopbackPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const address = server.address()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  if (address === null || typeof address === 'string') throw new Error('the OS gave no TCP port')
  return address.port
}

/** Resolves once nothing accepts connections on 127.0.0.1:port any more (or after timeoutMs). */
export async function waitUntilPortClosed(port: number, timeoutMs = 3000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = new Socket()
      socket.once('connect', () => {
        socket.destroy()
        resolve(true)
      })
      socket.once('error', () => resolve(false))
      socket.connect(port, '127.0.0.1')
    })
    if (!open) return true
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  return false
}
