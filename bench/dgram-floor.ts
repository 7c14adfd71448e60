// `npm run bench:dgram-floor`: what Node's dgram costs per datagram on loopback, sending and
// receiving, with nothing else in the process. The firmware's protocol is one datagram per
// MQTT message, so this is the least CPU a Node peer can spend per message on the link, to set
// against bench:bridge's per-message figures. Sender and receiver are separate processes, as
// the two peers are. Not a timed test.
import { type ChildProcess, fork } from 'node:child_process'
import { createSocket } from 'node:dgram'
import { fileURLToPath } from 'node:url'

const DATAGRAMS = Number(process.env.BENCH_DATAGRAMS ?? 100_000)
/** A 64-byte message on topic "bench/64" in the firmware's wrap: 4 + 12 + 64 bytes. */
const DATAGRAM_BYTES = 80
/** Datagrams sent per turn of the sender's event loop, as a peer sends what one TCP read held. */
const PER_TURN = 32
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)

type SenderMode = 'unconnected' | 'sync-lookup' | 'connected'
type Message = { port: number } | { received: number; user: number; system: number } | { user: number; system: number; sent: number }

/** Receiver: counts datagrams; on request reports the count and its CPU time so far. */
function receiver(): void {
  const socket = createSocket('udp4')
  let received = 0
  socket.on('message', () => received++)
  socket.bind(0, '127.0.0.1', () => process.send?.({ port: socket.address().port } satisfies Message))
  process.on('message', () => {
    const { user, system } = process.cpuUsage()
    process.send?.({ received, user, system } satisfies Message)
  })
}

/** Sender: DATAGRAMS datagrams to the receiver, PER_TURN per turn, then its CPU time. */
function sender(port: number, mode: SenderMode): void {
  const connected = mode === 'connected'
  // "sync-lookup": unconnected, with a lookup that answers an IPv4 literal at once instead of
  // through dns.lookup's process.nextTick (what ice-link.ts does to the pair's socket).
  const socket = mode === 'sync-lookup' ? createSocket({ type: 'udp4', lookup: (address, _options, callback) => callback(null, address, 4) }) : createSocket('udp4')
  const datagram = Buffer.alloc(DATAGRAM_BYTES, 0x61)
  socket.bind(0, '127.0.0.1', () => {
    const start = () => {
      const before = process.cpuUsage()
      let sent = 0
      const turn = () => {
        for (let i = 0; i < PER_TURN && sent < DATAGRAMS; i++, sent++) {
          if (connected) socket.send(datagram)
          else socket.send(datagram, port, '127.0.0.1')
        }
        if (sent < DATAGRAMS) return void setImmediate(turn)
        const { user, system } = process.cpuUsage(before)
        process.send?.({ user, system, sent } satisfies Message)
      }
      turn()
    }
    if (connected) socket.connect(port, '127.0.0.1', start)
    else start()
  })
}

function next(child: ChildProcess): Promise<Message> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: unknown) => {
      child.off('exit', onExit)
      resolve(message as Message)
    }
    const onExit = (code: number | null) => {
      child.off('message', onMessage)
      reject(new Error(`benchmark process exited (${code})`))
    }
    child.once('message', onMessage)
    child.once('exit', onExit)
  })
}

async function main(): Promise<void> {
  const self = fileURLToPath(import.meta.url)
  const children = new Set<ChildProcess>()
  const spawnRole = (...args: string[]) => {
    const child = fork(self, args, { execArgv: process.execArgv })
    children.add(child)
    child.once('exit', () => children.delete(child))
    return child
  }
  process.on('exit', () => {
    for (const child of children) child.kill('SIGKILL')
  })
  console.log(`bench:dgram-floor — ${DATAGRAMS} datagrams of ${DATAGRAM_BYTES} bytes over loopback, ${PER_TURN} per event-loop turn, ${ROUNDS} round(s)`)
  console.log(`${'sender socket'.padEnd(14)} ${'round'.padStart(5)} ${'send µs'.padStart(8)} ${'(user'.padStart(7)} ${'sys)'.padStart(6)} ${'receive µs'.padStart(11)} ${'(user'.padStart(7)} ${'sys)'.padStart(6)} ${'received'.padStart(9)}`)
  try {
    const recv = spawnRole('receive')
    const { port } = (await next(recv)) as { port: number }
    for (let round = 1; round <= ROUNDS; round++) {
      for (const mode of ['unconnected', 'sync-lookup', 'connected'] as const) {
        recv.send('report')
        const before = (await next(recv)) as { received: number; user: number; system: number }
        const send = spawnRole('send', String(port), mode)
        const sent = (await next(send)) as { user: number; system: number; sent: number }
        send.kill()
        // Let the receiver drain its socket before it reports.
        await new Promise((resolve) => setTimeout(resolve, 300))
        recv.send('report')
        const after = (await next(recv)) as { received: number; user: number; system: number }
        const received = after.received - before.received
        const us = (value: number, count: number) => (value / count).toFixed(2)
        console.log(
          `${mode.padEnd(14)} ${String(round).padStart(5)} ${us(sent.user + sent.system, sent.sent).padStart(8)} ${us(sent.user, sent.sent).padStart(7)} ${us(sent.system, sent.sent).padStart(6)} ${us(after.user - before.user + after.system - before.system, received).padStart(11)} ${us(after.user - before.user, received).padStart(7)} ${us(after.system - before.system, received).padStart(6)} ${String(received).padStart(9)}`,
        )
      }
    }
    console.log('µs are CPU time per datagram. A datagram the receiver could not take in time is lost, not counted; it costs the receiver nothing.')
  } finally {
    for (const child of children) child.kill()
  }
}

const [role, port, mode] = process.argv.slice(2)
if (role === 'receive') receiver()
else if (role === 'send') sender(Number(port), mode as SenderMode)
else await main()
