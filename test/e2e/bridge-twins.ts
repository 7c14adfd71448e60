// A serverless-MQTT pair on this computer, as processes, for the end-to-end tests: Debian's
// mosquitto as the signalling broker and two twins running the bridge firmware (PEER1 on site
// A, PEER2 on site B) with their settings in their flash's NVS. They pair over host candidates
// on loopback (the STUN server in their settings is not on this computer, so the twin gathers
// host candidates only). Each twin prints its site broker's address whenever the firmware's
// broker starts (`pairkit twin --json`: {"broker": …}), so a reset that moves it is followed.
// A minimal MQTT client (mqtt-packet over a socket) publishes and subscribes where the page
// cannot, and tells when the bridge is up.
import { writeFileSync } from 'node:fs'
import { connect, type Socket } from 'node:net'
import path from 'node:path'
import { createInterface } from 'node:readline'
import mqttPacket from 'mqtt-packet'
import { configToNvsImage, defaultConfig } from '../../src/common/config'
import { fixture } from '../unit/app-image/fixtures'
import { renamedApp } from '../unit/app-image/renamed-app'
import { freePort } from '../support/free-port'
import { spawnPairkit, spawnTracked } from '../support/processes'

export interface BridgeTwin {
  /** rfc2217://127.0.0.1:PORT: the twin's serial port. */
  url: string
  /** The site broker of the boot running now. */
  broker(): string
  /** Resolves with the next broker address announced after `since` (a reset restarts it elsewhere). */
  brokerAfter(since: string, timeoutMs?: number): Promise<string>
}

export interface BridgePair {
  signalling: string
  a: BridgeTwin
  b: BridgeTwin
}

/** mosquitto on a free loopback port, anonymous, no persistence; stopped with the test file. */
export async function startMosquitto(dir: string): Promise<string> {
  const port = await freePort()
  const conf = path.join(dir, `mosquitto-${port}.conf`)
  writeFileSync(conf, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest none\n`)
  spawnTracked('mosquitto', ['-c', conf], { stdio: 'ignore' })
  const url = `mqtt://127.0.0.1:${port}`
  for (let tries = 0; ; tries++) {
    try {
      const client = await MiniMqtt.connect(url)
      client.close()
      return url
    } catch (error) {
      if (tries > 100) throw error
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }
}

/** A 4 MB flash: bootloader, partition table, the bridge app (serverless_mqtt) and its settings in nvs at 0x9000. */
export function bridgeFlash(role: 1 | 2, signalling: string, syncTopic: string, pairId: string): Uint8Array {
  const flash = new Uint8Array(4 << 20).fill(0xff)
  flash.set(fixture('images/bootloader_esp32_v5_2.bin'), 0x1000)
  flash.set(fixture('partition-tables/partitions_singleapp.bin'), 0x8000)
  flash.set(renamedApp('serverless_mqtt'), 0x10000)
  const config = {
    ...defaultConfig(),
    role,
    pairId,
    signallingUri: signalling,
    syncTopic,
    staSsid: 'Workshop',
    staPassword: 'workshop-e2e-pass',
    apSsid: role === 1 ? 'Sensors-North' : 'Sensors-South',
    apPassword: 'iot-e2e-pass',
  }
  flash.set(configToNvsImage(config, 0x6000), 0x9000)
  return flash
}

async function startBridgeTwin(dir: string, name: string, flash: Uint8Array): Promise<BridgeTwin> {
  const file = path.join(dir, `${name}.bin`)
  writeFileSync(file, flash)
  const twin = spawnPairkit(['twin', '--chip', 'esp32', '--flash', file, '--listen', 'rfc2217://127.0.0.1:0', '--boot', 'app', '--no-wire-timing', '--json'])
  const brokers: string[] = []
  const waiting = new Set<() => void>()
  let url: string | undefined
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`twin ${name} printed no URL and broker within 30 s`)), 30_000)
    createInterface({ input: twin.stdout! }).on('line', (line) => {
      let value: { url?: string; broker?: string }
      try {
        value = JSON.parse(line) as typeof value
      } catch {
        return
      }
      if (value.url) url = value.url
      if (value.broker) brokers.push(value.broker)
      for (const wake of waiting) wake()
      if (url && brokers.length > 0) {
        clearTimeout(timer)
        resolve()
      }
    })
  })
  await ready
  const broker = () => brokers[brokers.length - 1] as string
  return {
    url: url as string,
    broker,
    brokerAfter: (since, timeoutMs = 30_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const latest = broker()
          if (latest !== since) {
            waiting.delete(check)
            clearTimeout(timer)
            resolve(latest)
          }
        }
        const timer = setTimeout(() => {
          waiting.delete(check)
          reject(new Error(`twin ${name} announced no new broker within ${timeoutMs} ms`))
        }, timeoutMs)
        waiting.add(check)
        check()
      }),
  }
}

/** The signalling broker and two paired twins; resolves once a message crosses A → B. */
export async function startBridgePair(dir: string): Promise<BridgePair> {
  const signalling = await startMosquitto(dir)
  const syncTopic = `/pairkit-e2e/${process.pid}/pair_`
  const [a, b] = await Promise.all([
    startBridgeTwin(dir, 'site-a', bridgeFlash(1, signalling, syncTopic, 'e2etraffic01')),
    startBridgeTwin(dir, 'site-b', bridgeFlash(2, signalling, syncTopic, 'e2etraffic01')),
  ])
  await waitForBridge(a.broker(), b.broker())
  return { signalling, a, b }
}

/** Publishes on A's broker until a message arrives on B's: the pair is linked. */
export async function waitForBridge(a: string, b: string, timeoutMs = 30_000): Promise<void> {
  const publisher = await MiniMqtt.connect(a)
  const subscriber = await MiniMqtt.connect(b)
  try {
    await subscriber.subscribe('pairkit-e2e/ready')
    const deadline = Date.now() + timeoutMs
    let arrived = false
    subscriber.onMessage(() => (arrived = true))
    while (!arrived) {
      if (Date.now() > deadline) throw new Error(`nothing crossed from ${a} to ${b} within ${timeoutMs} ms: the twins did not pair`)
      publisher.publish('pairkit-e2e/ready', 'is the bridge up?')
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
  } finally {
    publisher.close()
    subscriber.close()
  }
}

/** Just enough MQTT 3.1.1 for a test: connect, QoS 0 publish and subscribe, close. */
export class MiniMqtt {
  private readonly listeners = new Set<(topic: string, payload: Buffer) => void>()
  private subscribed: (() => void) | undefined

  private constructor(private readonly socket: Socket) {
    const parser = mqttPacket.parser()
    parser.on('packet', (packet) => {
      if (packet.cmd === 'publish') for (const listener of this.listeners) listener(packet.topic, Buffer.from(packet.payload))
      if (packet.cmd === 'suback') this.subscribed?.()
    })
    socket.on('data', (chunk) => parser.parse(chunk))
  }

  static connect(url: string, clientId = `pairkit-e2e-${Math.random().toString(16).slice(2, 10)}`): Promise<MiniMqtt> {
    const { hostname, port } = new URL(url)
    return new Promise((resolve, reject) => {
      const socket = connect(Number(port), hostname)
      socket.setNoDelay(true)
      socket.once('error', reject)
      const parser = mqttPacket.parser()
      const onData = (chunk: Buffer) => parser.parse(chunk)
      parser.once('packet', (packet) => {
        socket.off('data', onData)
        socket.off('error', reject)
        socket.on('error', () => undefined)
        if (packet.cmd === 'connack' && packet.returnCode === 0) resolve(new MiniMqtt(socket))
        else reject(new Error(`${url} refused the connection`))
      })
      socket.on('data', onData)
      socket.once('connect', () => socket.write(mqttPacket.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clean: true, clientId, keepalive: 60 })))
    })
  }

  publish(topic: string, payload: string | Buffer): void {
    this.socket.write(mqttPacket.generate({ cmd: 'publish', topic, payload, qos: 0, retain: false, dup: false }))
  }

  subscribe(topic: string): Promise<void> {
    return new Promise((resolve) => {
      this.subscribed = resolve
      this.socket.write(mqttPacket.generate({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic, qos: 0 }] }))
    })
  }

  onMessage(listener: (topic: string, payload: Buffer) => void): void {
    this.listeners.add(listener)
  }

  close(): void {
    this.socket.end(mqttPacket.generate({ cmd: 'disconnect' }))
  }
}
