// Runs the embedded broker in a process of its own for the memory tests (started with
// `node --expose-gc --import tsx`), so what the test's own clients hold is not counted. Talks
// JSON lines: commands in on stdin, answers out on stdout.
//   {"cmd":"republish","topic":T,"size":N,"count":C}  C messages as the peer's, 64 per turn of the event loop
//   {"cmd":"memory"}                                     heap and buffers after a full GC
//   {"cmd":"drops"}                                      what the broker dropped, by reason
import { createInterface } from 'node:readline'
import { startEmbeddedBroker } from '../../../src/main/peer/local-broker'

const say = (value: unknown) => process.stdout.write(JSON.stringify(value) + '\n')
const broker = await startEmbeddedBroker({ port: 0, plain: process.argv.includes('--plain') })
const drops: Record<string, number> = {}
broker.onDrop?.((drop) => void (drops[drop.reason] = (drops[drop.reason] ?? 0) + 1))
const gc = (globalThis as { gc?: () => void }).gc

say({ ready: true, url: broker.url })

for await (const line of createInterface({ input: process.stdin })) {
  const command = JSON.parse(line) as { cmd: string; topic?: string; size?: number; count?: number }
  if (command.cmd === 'republish') {
    const payload = new Uint8Array(command.size ?? 0).fill(0x70)
    for (let sent = 0; sent < (command.count ?? 0); sent++) {
      // As datagrams arrive: many in one turn, then the event loop goes round.
      if (sent % 64 === 63) await new Promise((resolve) => setImmediate(resolve))
      broker.republish(command.topic ?? 'load', payload)
    }
    say({ republished: command.count })
  } else if (command.cmd === 'memory') {
    // Twice: the first collection may leave what finalisers free for the second.
    gc?.()
    gc?.()
    const usage = process.memoryUsage()
    say({ heapUsed: usage.heapUsed, arrayBuffers: usage.arrayBuffers, gc: gc !== undefined })
  } else if (command.cmd === 'drops') {
    say({ drops })
  }
}
await broker.close()
