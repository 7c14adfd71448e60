// A patched socket sends to an IPv4 literal inside send() itself, with no tick in between: a
// socket closed right after send() has still sent. Other addresses keep Node's lookup.
import { createSocket, type Socket } from 'node:dgram'
import { afterEach, describe, expect, it } from 'vitest'
import { answerIpv4LiteralLookupsAtOnce } from '../../../src/main/peer/udp-literal-lookup'

const sockets: Socket[] = []
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.close()
})

async function receiver(): Promise<{ port: number; received: string[] }> {
  const socket = createSocket('udp4')
  sockets.push(socket)
  const received: string[] = []
  socket.on('message', (data) => received.push(data.toString()))
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()))
  return { port: socket.address().port, received }
}

async function boundSender(): Promise<Socket> {
  const socket = createSocket('udp4')
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()))
  return socket
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 200))

describe('IPv4 literal lookups answered at once', () => {
  it('sends within send() itself, so a socket closed right after has sent', async () => {
    const { port, received } = await receiver()
    const patched = await boundSender()
    expect(answerIpv4LiteralLookupsAtOnce(patched)).toBe(true)
    patched.send('patched', port, '127.0.0.1')
    patched.close()
    // The same on a socket left as Node makes it: its send waits a tick, and the close wins.
    const plain = await boundSender()
    plain.on('error', () => undefined)
    try {
      plain.send('plain', port, '127.0.0.1')
    } finally {
      plain.close()
    }
    await settle()
    expect(received).toEqual(['patched'])
  })

  it('still resolves names through Node, and patches a socket once', async () => {
    const { port, received } = await receiver()
    const socket = await boundSender()
    sockets.push(socket)
    expect(answerIpv4LiteralLookupsAtOnce(socket)).toBe(true)
    expect(answerIpv4LiteralLookupsAtOnce(socket)).toBe(true)
    await new Promise<void>((resolve, reject) => socket.send('by name', port, 'localhost', (error) => (error ? reject(error) : resolve())))
    socket.send('literal', port, '127.0.0.1')
    socket.send('literal again', port, '127.0.0.1')
    await settle()
    expect(received).toEqual(['by name', 'literal', 'literal again'])
  })

  it('leaves alone what is not shaped like Node\'s dgram socket', () => {
    expect(answerIpv4LiteralLookupsAtOnce({})).toBe(false)
    expect(answerIpv4LiteralLookupsAtOnce({ [Symbol('state symbol')]: { handle: {} } })).toBe(false)
  })
})
