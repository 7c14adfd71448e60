// The embedded broker's memory stays bounded whatever its clients do: a subscriber that stops
// reading while 200 000 messages pass, and a client that announces a 100-MB packet. The broker
// runs in a process of its own (broker-agent.ts), so only its memory is measured.
import type { ChildProcess } from 'node:child_process'
import { connect as tcpConnect, type Socket } from 'node:net'
import { createInterface } from 'node:readline'
import mqttPacket from 'mqtt-packet'
import { afterAll, describe, expect, it } from 'vitest'
import { REPO_ROOT, spawnTracked, stopProcess } from '../../support/processes'
import { mqttClient, until } from './helpers'

const MB = 1024 * 1024
const TOTAL = 200_000
const BATCH = 1000
const PAYLOAD_BYTES = 512

const packet = (fields: Record<string, unknown>) => mqttPacket.generate(fields as unknown as mqttPacket.Packet)

interface Agent {
  url: string
  ask(command: Record<string, unknown>, answerKey: string): Promise<Record<string, unknown>>
  memory(): Promise<number>
}

const agents: ChildProcess[] = []
afterAll(async () => {
  for (const child of agents) await stopProcess(child)
})

async function startAgent(plain: boolean): Promise<Agent> {
  const child = spawnTracked(process.execPath, ['--expose-gc', '--import', 'tsx', 'test/integration/peer/broker-agent.ts', ...(plain ? ['--plain'] : [])], { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'inherit'] })
  agents.push(child)
  const waiting: { key: string; resolve: (answer: Record<string, unknown>) => void }[] = []
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const answer = JSON.parse(line) as Record<string, unknown>
    const index = waiting.findIndex((w) => w.key in answer)
    if (index >= 0) waiting.splice(index, 1)[0]?.resolve(answer)
  })
  const next = (key: string) => new Promise<Record<string, unknown>>((resolve) => waiting.push({ key, resolve }))
  const ready = await Promise.race([next('ready'), new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the broker agent did not start within 20 s')), 20_000))])
  const ask = (command: Record<string, unknown>, answerKey: string) => {
    const answer = next(answerKey)
    child.stdin!.write(JSON.stringify(command) + '\n')
    return answer
  }
  return {
    url: ready.url as string,
    ask,
    async memory() {
      const answer = await ask({ cmd: 'memory' }, 'heapUsed')
      if (answer.gc !== true) throw new Error('the broker agent runs without --expose-gc')
      return (answer.heapUsed as number) + (answer.arrayBuffers as number)
    },
  }
}

/** A raw MQTT 3.1.1 connection that has its CONNACK, and optionally a SUBACK for `filter`. */
async function rawClient(url: string, clientId: string, filter?: string): Promise<{ socket: Socket; closed: () => boolean }> {
  const { port } = new URL(url)
  const socket = tcpConnect({ port: Number(port), host: '127.0.0.1', noDelay: true })
  let closed = false
  socket.on('close', () => (closed = true))
  socket.on('error', () => undefined)
  const parser = mqttPacket.parser({ protocolVersion: 4 })
  const next = (cmd: string) => new Promise<void>((resolve) => parser.once('packet', (p: mqttPacket.Packet) => p.cmd === cmd && resolve()))
  const onData = (data: Buffer) => parser.parse(data)
  socket.on('data', onData)
  const connack = next('connack')
  socket.write(packet({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId, clean: true, keepalive: 0 }))
  await connack
  if (filter) {
    const suback = next('suback')
    socket.write(packet({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: filter, qos: 0 }] }))
    await suback
  }
  socket.off('data', onData)
  return { socket, closed: () => closed }
}

/** Counts the PUBLISHes arriving on a raw connection from now on. */
function countPublishes(socket: Socket): () => number {
  let count = 0
  const parser = mqttPacket.parser({ protocolVersion: 4 })
  parser.on('packet', (p: mqttPacket.Packet) => void (p.cmd === 'publish' && count++))
  socket.on('data', (data) => parser.parse(data))
  return () => count
}

describe('the embedded broker\'s memory', () => {
  it('stays bounded while a subscriber stops reading, and the others get every message', async () => {
    const agent = await startAgent(false)
    const stuck = await rawClient(agent.url, 'stuck', '#')
    // From now on nothing is read from this connection: the kernel's buffers fill, then the broker's.
    stuck.socket.pause()
    const reader = await mqttClient(agent.url)
    let read = 0
    reader.on('message', () => void read++)
    await reader.subscribeAsync('load/#', { qos: 0 })
    const publisher = await rawClient(agent.url, 'publisher')
    const localBatch = Buffer.concat(Array.from({ length: BATCH }, () => packet({ cmd: 'publish', topic: 'load/local', payload: Buffer.alloc(PAYLOAD_BYTES, 0x6c), qos: 0, retain: false })))
    let sent = 0
    // Half from a local client (read ahead of aedes), half as the peer's; each batch waits for
    // the reading subscriber, so it never falls behind itself.
    const pump = async (messages: number) => {
      for (const end = sent + messages; sent < end; sent += BATCH) {
        if ((sent / BATCH) % 2 === 0) publisher.socket.write(localBatch)
        else await agent.ask({ cmd: 'republish', topic: 'load/peer', size: PAYLOAD_BYTES, count: BATCH }, 'republished')
        await until(() => read >= sent + BATCH, 10_000, `${sent + BATCH} messages at the reading subscriber`)
      }
    }
    await pump(10_000) // warm-up: JIT, caches, pools
    const before = await agent.memory()
    await pump(TOTAL - 10_000)
    const after = await agent.memory()
    expect(read).toBe(TOTAL)
    // Buffering for the stuck subscriber would be about 100 MB (200 000 × 530 bytes); the broker
    // holds at most its 1-MiB backlog, the kernel the rest of what was written.
    expect(after - before, `the broker's heap and buffers grew from ${(before / MB).toFixed(1)} to ${(after / MB).toFixed(1)} MB`).toBeLessThan(16 * MB)
    const { drops } = (await agent.ask({ cmd: 'drops' }, 'drops')) as { drops: Record<string, number> }
    const dropped = drops['slow-subscriber'] ?? 0
    expect(dropped).toBeGreaterThan(TOTAL / 2)
    // Reading again, the stuck subscriber gets the rest: every message was either sent or counted.
    const received = countPublishes(stuck.socket)
    stuck.socket.resume()
    let last = -1
    await until(() => {
      const stable = received() === last && last > 0
      last = received()
      return stable
    }, 20_000, 'the stuck subscriber to drain')
    expect(received() + dropped).toBe(TOTAL)
  }, 120_000)

  it('stays bounded in plain mode too: the peer\'s messages beyond those waiting in aedes are dropped and counted', async () => {
    const agent = await startAgent(true)
    const stuck = await rawClient(agent.url, 'stuck', '#')
    stuck.socket.pause()
    await agent.ask({ cmd: 'republish', topic: 'load/peer', size: PAYLOAD_BYTES, count: 10_000 }, 'republished')
    const before = await agent.memory()
    await agent.ask({ cmd: 'republish', topic: 'load/peer', size: PAYLOAD_BYTES, count: TOTAL - 10_000 }, 'republished')
    const after = await agent.memory()
    expect(after - before, `the broker's heap and buffers grew from ${(before / MB).toFixed(1)} to ${(after / MB).toFixed(1)} MB`).toBeLessThan(16 * MB)
    const { drops } = (await agent.ask({ cmd: 'drops' }, 'drops')) as { drops: Record<string, number> }
    expect(drops['broker-busy']).toBeGreaterThan(TOTAL / 2)
  }, 120_000)

  it.each([
    { mode: 'fast paths', plain: false },
    { mode: 'plain aedes', plain: true },
  ])('closes the connection of a client that announces a 100-MB PUBLISH, before it holds the body ($mode)', async ({ plain }) => {
    const agent = await startAgent(plain)
    const client = await rawClient(agent.url, 'huge')
    const before = await agent.memory()
    const announced = 100 * MB
    // Fixed header and the 4-byte Remaining Length of a 100-MB PUBLISH, then 20 MB of its body.
    const header = Uint8Array.of(0x30, (announced & 0x7f) | 0x80, ((announced >> 7) & 0x7f) | 0x80, ((announced >> 14) & 0x7f) | 0x80, announced >> 21)
    client.socket.write(header)
    const piece = Buffer.alloc(MB, 0x62)
    for (let i = 0; i < 20 && !client.closed(); i++) await new Promise<void>((resolve) => client.socket.write(piece, () => resolve()))
    await until(() => client.closed(), 5000, 'the broker to close the connection')
    const after = await agent.memory()
    expect(after - before).toBeLessThan(4 * MB)
    const { drops } = (await agent.ask({ cmd: 'drops' }, 'drops')) as { drops: Record<string, number> }
    expect(drops['packet-too-large']).toBe(1)
    // Others are still served.
    const other = await mqttClient(agent.url)
    await other.publishAsync('after', 'still here', { qos: 1 })
    await other.endAsync(true)
  }, 60_000)
})
