// `pairkit peer` as processes: one bridges an existing mosquitto broker (MQTT 5 client with
// No Local), the other its embedded broker as plain aedes (--plain-broker). Messages cross both
// ways exactly once, the broker's password never shows, and Ctrl-C stops each process with a
// final stats line. Needs Debian's mosquitto.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MqttClient } from 'mqtt'
import type { LocalBroker } from '../../../src/main/peer/local-broker'
import { collectMessages, mqttClient, startSignallingBroker, uniquePrefix, until } from './helpers'
import { freePort } from '../../support/free-port'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')



/** mosquitto without a password file lets any credentials in; the peer must never print them. */
const BROKER_PASSWORD = 's3cret-broker-pw'

interface JsonLine {
  type?: string
  url?: string
  direction?: string
  topic?: string
  stats?: unknown
  text?: string
}

interface Proc {
  child: ChildProcess
  lines: JsonLine[]
  /** Every line it printed, stdout and stderr. */
  raw: string[]
}

function pairkit(args: string[]): Proc {
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin/pairkit.js'), ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] })
  const lines: JsonLine[] = []
  const raw: string[] = []
  createInterface({ input: child.stdout! }).on('line', (line) => {
    raw.push(line)
    try {
      lines.push(JSON.parse(line))
    } catch {
      lines.push({ text: line })
    }
  })
  createInterface({ input: child.stderr! }).on('line', (line) => raw.push(line))
  return { child, lines, raw }
}

// Needs Debian's mosquitto, which `npm test` installs.
describe('pairkit peer processes with an external mosquitto broker', () => {
  const children: ChildProcess[] = []
  const clients: MqttClient[] = []
  let signalling: LocalBroker
  let dir: string
  let mosquittoUrl: string
  let peerA: Proc
  let peerB: Proc
  let brokerB: string

  beforeAll(async () => {
    signalling = await startSignallingBroker()
    dir = mkdtempSync(path.join(tmpdir(), 'pairkit-peer-test-'))
    const port = await freePort()
    writeFileSync(path.join(dir, 'm.conf'), `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest none\n`)
    const mosquitto = spawn('mosquitto', ['-c', path.join(dir, 'm.conf')], { stdio: 'ignore' })
    children.push(mosquitto)
    mosquittoUrl = `mqtt://127.0.0.1:${port}`
    for (let tries = 0; ; tries++) {
      try {
        clients.push(await mqttClient(mosquittoUrl))
        break
      } catch (error) {
        if (tries > 50) throw error
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    }
    const prefix = uniquePrefix()
    const portB = await freePort()
    brokerB = `mqtt://127.0.0.1:${portB}`
    const common = ['--signal', signalling.url, '--topic', prefix, '--bind', '127.0.0.1', '--json']
    peerA = pairkit(['peer', '--role', '1', ...common, '--broker', mosquittoUrl.replace('mqtt://', `mqtt://technician:${BROKER_PASSWORD}@`)])
    peerB = pairkit(['peer', '--role', '2', ...common, '--broker-port', String(portB), '--plain-broker'])
    children.push(peerA.child, peerB.child)
    await until(() => [peerA, peerB].every((p) => p.lines.some((l) => l.type === 'linked')), 30_000, 'both processes linked')
  }, 60_000)

  afterAll(async () => {
    for (const client of clients) await client.endAsync(true).catch(() => undefined)
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    await signalling?.close()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('carries messages both ways exactly once', async () => {
    const atMosquitto = await mqttClient(mosquittoUrl)
    const atB = await mqttClient(brokerB)
    clients.push(atMosquitto, atB)
    const seenAtMosquitto = await collectMessages(atMosquitto, 'ext/#')
    const seenAtB = await collectMessages(atB, 'ext/#')
    await atMosquitto.publishAsync('ext/from-mosquitto', 'hello from the existing broker', { qos: 1 })
    await atB.publishAsync('ext/from-embedded', 'hello from the embedded broker', { qos: 1 })
    await until(() => seenAtMosquitto.length >= 2 && seenAtB.length >= 2, 5000, 'both messages on both brokers')
    await new Promise((resolve) => setTimeout(resolve, 300))
    const list = (seen: { topic: string }[]) => seen.map((m) => m.topic).sort()
    expect(list(seenAtMosquitto)).toEqual(['ext/from-embedded', 'ext/from-mosquitto'])
    expect(list(seenAtB)).toEqual(['ext/from-embedded', 'ext/from-mosquitto'])
    const toPeer = (p: Proc) => p.lines.filter((l) => l.type === 'message' && l.direction === 'to-peer').map((l) => l.topic)
    expect(toPeer(peerA)).toEqual(['ext/from-mosquitto'])
    expect(toPeer(peerB)).toEqual(['ext/from-embedded'])
  })

  it('shows the external broker\'s URL with the password masked', () => {
    expect(peerA.lines.find((l) => l.type === 'broker')?.url).toBe(mosquittoUrl.replace('mqtt://', 'mqtt://technician:***@'))
    expect(peerA.raw.join('\n')).not.toContain(BROKER_PASSWORD)
  })

  it('stops on SIGINT with exit code 0 and a final stats line', async () => {
    const exited = new Promise<number | null>((resolve) => peerB.child.once('exit', (code) => resolve(code)))
    peerB.child.kill('SIGINT')
    expect(await exited).toBe(0)
    const stats = peerB.lines.find((l) => l.type === 'stats')
    expect(stats?.stats).toMatchObject({ messagesToPeer: 1, messagesFromPeer: 1, pairings: 1 })
  })
})
