// The twin's serverless_mqtt firmware against a PairKit peer, all on loopback: settings from the
// NVS partition in the twin's own flash, the signalling handshake on a local aedes broker, ICE
// with a local STUN server, messages across both brokers, the stock receive bug, a failing
// signalling broker answered with the firmware's lines and a reboot.
import { rmSync } from 'node:fs'
import { connect as netConnect, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { connectAsync, type MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { configToNvsImage, defaultConfig, type DeviceConfig } from '../../../src/common/config'
import { stripAnsi } from '../../../src/common/serverless/firmware-log'
import { startEmbeddedBroker, type LocalBroker } from '../../../src/main/peer/local-broker'
import { startPeer, type PeerHandle } from '../../../src/main/peer/peer'
import { startStunServer, type StunServer } from '../../../src/main/peer/stun-server'
import { startTwin, type Twin } from '../../../src/twin'
import type { FirmwareQuirks } from '../../../src/twin/firmware/firmware'
import { FlashMemory } from '../../../src/twin/flash'
import { BOOTLOADER, NVS_OFFSET, renamedApp, TABLE } from './support/flash-images'

const STA_PASSWORD = 'sta-Secret-4711'
const AP_PASSWORD = 'ap-Secret-0815'


function writeFlash(file: string, config: DeviceConfig): void {
  const flash = FlashMemory.open(file, 4 << 20)
  flash.program(0x1000, BOOTLOADER)
  flash.program(0x8000, TABLE)
  flash.program(NVS_OFFSET, configToNvsImage(config))
  flash.program(0x10000, renamedApp('serverless_mqtt'))
  flash.close()
}

const cleanups: (() => Promise<unknown> | unknown)[] = []
let fileCount = 0

interface BootedTwin {
  twin: Twin
  console: () => string
  /** The broker of the boot running now (a client connecting over socket:// restarts the twin). */
  brokerUrl: () => string
}

/** Boots a twin from a fresh flash file and collects its console (ANSI stripped). */
async function bootTwin(config: DeviceConfig, quirks: FirmwareQuirks, extra: { deepSleepMs?: number } = {}): Promise<BootedTwin> {
  const file = path.join(tmpdir(), `twin-fw-${process.pid}-${fileCount++}.bin`)
  writeFlash(file, config)
  cleanups.push(() => rmSync(file, { force: true }))
  let brokerUrl = ''
  const twin = await startTwin({ chip: 'esp32', flashPath: file, listen: 'socket://127.0.0.1:0', boot: 'app', wireTiming: false, quirks, onBroker: (url) => (brokerUrl = url), ...extra })
  cleanups.push(async () => {
    await twin.close()
    // The firmware's peer and broker close asynchronously after the device stops.
    await new Promise((resolve) => setTimeout(resolve, 200))
  })
  const [, port = ''] = /:(\d+)$/.exec(twin.url) ?? []
  const socket: Socket = netConnect(Number(port), '127.0.0.1')
  cleanups.push(() => socket.destroy())
  let text = ''
  socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')))
  return { twin, console: () => stripAnsi(text), brokerUrl: () => brokerUrl }
}

async function until(check: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

async function client(url: string): Promise<MqttClient> {
  const mqtt = await connectAsync(url, { protocolVersion: 4, reconnectPeriod: 0 })
  cleanups.push(() => mqtt.endAsync(true))
  return mqtt
}

async function collect(mqtt: MqttClient, filter: string): Promise<string[]> {
  const received: string[] = []
  mqtt.on('message', (topic, payload) => received.push(`${topic}|${payload.toString()}`))
  await mqtt.subscribeAsync(filter, { qos: 0 })
  return received
}

function prefix(): string {
  return `/test/twin_${Math.random().toString(36).slice(2, 8)}_`
}

let signalling: LocalBroker
let stun: StunServer

beforeAll(async () => {
  signalling = await startEmbeddedBroker({ port: 0, host: '127.0.0.1' })
  stun = await startStunServer({ host: '127.0.0.1' })
})

afterAll(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.()
  await stun?.close()
  await signalling?.close()
})

function twinConfig(syncTopic: string, signallingUri = signalling.url): DeviceConfig {
  return {
    ...defaultConfig(),
    role: 1,
    signallingUri,
    syncTopic,
    stunHost: '127.0.0.1',
    stunPort: stun.port,
    staSsid: 'workshop',
    staPassword: STA_PASSWORD,
    apSsid: 'iot-bench',
    apPassword: AP_PASSWORD,
    pairId: 'bench0001',
  }
}

async function pairWithPeer(quirks: FirmwareQuirks): Promise<{ device: BootedTwin; peer: PeerHandle }> {
  const topic = prefix()
  const device = await bootTwin(twinConfig(topic), quirks)
  const peer = await startPeer({ role: 2, signalUrl: signalling.url, topicPrefix: topic, bind: '127.0.0.1', stun: { host: stun.host, port: stun.port }, broker: { kind: 'embedded', port: 0 } })
  cleanups.push(() => peer.close())
  await until(() => device.console().includes('local client connected') && peer.isLinked, 30_000, () => `the twin to pair:\n${device.console()}`)
  return { device, peer }
}

describe('twin firmware with a PairKit peer', () => {
  let device: BootedTwin
  let peer: PeerHandle

  beforeAll(async () => {
    ;({ device, peer } = await pairWithPeer('intended'))
  }, 40_000)

  it('reads its settings from the NVS partition and logs them without secrets', () => {
    const text = device.console()
    expect(text).toMatch(/I \(\d+\) smqtt: settings from NVS namespace "smqtt": 18 stored, 0 default\r\n/)
    expect(text).toMatch(/I \(\d+\) smqtt: pair bench0001 role 1\r\n/)
    expect(text).toContain(`smqtt: signalling ${signalling.url} topic `)
    expect(text).toContain(`STUN 127.0.0.1:${stun.port}, TURN none`)
    expect(text).not.toContain('NVS configuration is not wired')
    expect(text).not.toContain(STA_PASSWORD)
    expect(text).not.toContain(AP_PASSWORD)
  })

  it('prints the firmware lines in the firmware order: broker, gathering, both desc blocks, handshake, link, local client', () => {
    const text = device.console()
    const order = [
      /\d+: mosquitto version v2\.0\.20~9 running\r\n/,
      /I \(\d+\) serverless_mqtt1: desc: a=ice-ufrag:[A-Za-z0-9+/]{4}\r\r\na=ice-pwd:[A-Za-z0-9+/]{22}\r\r\na=ice-options:ice2,trickle\r\r\n/,
      /\d\d:\d\d:\d\d INFO {4}agent\.c:1100: Changing state to gathering\r\n/,
      /I \(\d+\) serverless_mqtt1: JUICE state change: connecting\r\n/,
      /\d\d:\d\d:\d\d INFO {4}agent\.c:422: Using STUN server 127\.0\.0\.1:\d+\r\n/,
      /agent\.c:1397: Got STUN mapped address 127\.0\.0\.1:\d+ from server\r\n/,
      /agent\.c:2428: Candidate gathering done\r\n/,
      /I \(\d+\) serverless_mqtt1: Gathering done\r\n/,
      /I \(\d+\) serverless_mqtt1: desc: \{\r\n\t"desc":\t"a=ice-ufrag:/,
      /I \(\d+\) serverless_mqtt1: Other event id:7\r\n/,
      /I \(\d+\) serverless_mqtt1: MQTT_EVENT_CONNECTED\r\n/,
      /I \(\d+\) serverless_mqtt1: Waiting for the other peer\.\.\.\r\n/,
      /I \(\d+\) serverless_mqtt1: Sync done\r\n/,
      /\r\nTOPIC=\/test\/twin_\w+_2\r\nDATA=\{/,
      /\r\ncand0: cand->valuestring:a=candidate:/,
      /agent\.c:2412: Connectivity timer started\r\n/,
      /agent\.c:1100: Changing state to connected\r\n/,
      /I \(\d+\) serverless_mqtt1: Peer is connected!\r\n/,
      /I \(\d+\) serverless_mqtt: local client event id:7\r\n/,
      /I \(\d+\) serverless_mqtt: Everything is ready, exiting main task\r\n/,
      /\d+: New connection from 127\.0\.0\.1:\d+ on port \d+\.\r\n/,
      /\d+: New client connected from 127\.0\.0\.1:\d+ as local_mqtt \(p2, c1, k120\)\.\r\n/,
      /I \(\d+\) serverless_mqtt: local client connected\r\n/,
    ]
    let at = 0
    for (const pattern of order) {
      const match = pattern.exec(text.slice(at))
      expect(match, `${pattern} after offset ${at} in:\n${text}`).not.toBeNull()
      at += (match?.index ?? 0) + (match?.[0].length ?? 0)
    }
    // The peer's own retry pause and duplicate state lines never show.
    expect(text.match(/JUICE state change: connecting/g)).toHaveLength(1)
    expect(text).not.toContain('peer not available')
  })

  it('carries messages between the twin broker and the peer broker, each way exactly once', async () => {
    const brokerUrl = device.brokerUrl()
    const [twinPub, twinSub, peerPub, peerSub] = await Promise.all([client(brokerUrl), client(brokerUrl), client(peer.brokerUrl), client(peer.brokerUrl)])
    const atTwin = await collect(twinSub, 'site/#')
    const atPeer = await collect(peerSub, 'site/#')
    await twinPub.publishAsync('site/from-twin', 'hello from the twin side', { qos: 1 })
    await peerPub.publishAsync('site/from-peer', 'hello from the peer side', { qos: 0 })
    await until(() => atTwin.length >= 2 && atPeer.length >= 2, 5000, () => `messages: twin ${JSON.stringify(atTwin)} peer ${JSON.stringify(atPeer)}`)
    await new Promise((resolve) => setTimeout(resolve, 400)) // time for any echo or loop to show
    const expected = ['site/from-peer|hello from the peer side', 'site/from-twin|hello from the twin side']
    expect([...atTwin].sort()).toEqual(expected)
    expect([...atPeer].sort()).toEqual(expected)
    const text = device.console()
    expect(text).toMatch(/I \(\d+\) serverless_mqtt: handle_message topic:site\/from-twin\r\n/)
    expect(text).toMatch(/I \(\d+\) serverless_mqtt: handle_message qos=1, retain=0\r\n/)
    expect(text).toMatch(/I \(\d+\) serverless_mqtt: forwarding remote message: topic:site\/from-peer\r\n.*forwarding remote message: payload:hello from the peer side\r\n/s)
    // The re-published message comes from local_mqtt and is never sent back (loop prevention).
    expect(text).not.toContain('handle_message topic:site/from-peer')
  })
})

describe('twin firmware receive checks', () => {
  it('forwards a payload shorter than its topic by default, and rejects it with the length-check quirk', async () => {
    for (const quirks of ['intended', 'length-check'] as const) {
      const { device, peer } = await pairWithPeer(quirks)
      const [twinSub, peerPub] = await Promise.all([client(device.brokerUrl()), client(peer.brokerUrl)])
      const atTwin = await collect(twinSub, 'site/#')
      await peerPub.publishAsync('site/short-payload', 'ON', { qos: 0 })
      await peerPub.publishAsync('site/long', 'a payload longer than its topic', { qos: 0 })
      await until(() => atTwin.includes('site/long|a payload longer than its topic'), 5000, () => `the long message (${quirks}):\n${device.console()}`)
      await new Promise((resolve) => setTimeout(resolve, 200))
      if (quirks === 'intended') {
        expect([...atTwin].sort()).toEqual(['site/long|a payload longer than its topic', 'site/short-payload|ON'])
        expect(device.console()).not.toContain('Received invalid message')
      } else {
        expect(atTwin).toEqual(['site/long|a payload longer than its topic'])
        expect(device.console()).toMatch(/E \(\d+\) serverless_mqtt: Received invalid message\r\n/)
      }
    }
  }, 60_000)
})

describe('twin firmware with --quirks stock', () => {
  it('drops every received datagram with the stock line and still forwards local messages', async () => {
    const { device, peer } = await pairWithPeer('stock')
    const brokerUrl = device.brokerUrl()
    const [twinPub, twinSub, peerPub, peerSub] = await Promise.all([client(brokerUrl), client(brokerUrl), client(peer.brokerUrl), client(peer.brokerUrl)])
    const atTwin = await collect(twinSub, 'site/#')
    const atPeer = await collect(peerSub, 'site/#')
    await peerPub.publishAsync('site/long', 'a payload longer than its topic', { qos: 0 })
    await peerPub.publishAsync('site/short-payload', 'ON', { qos: 0 })
    await twinPub.publishAsync('site/up', 'from the twin', { qos: 0 })
    await until(() => (device.console().match(/No local mqtt client, dropping data/g) ?? []).length >= 2 && atPeer.includes('site/up|from the twin'), 5000, () => `stock drops:\n${device.console()}`)
    await new Promise((resolve) => setTimeout(resolve, 300))
    const text = device.console()
    expect(text).toMatch(/I \(\d+\) serverless_mqtt1: No local mqtt client, dropping data\r\n/)
    expect(text).not.toContain('forwarding remote message')
    expect(atTwin.filter((message) => !message.startsWith('site/up|'))).toEqual([])
  }, 40_000)
})

describe('twin firmware when signalling fails', () => {
  it('logs the esp_check chain and the non-recoverable error, then sleeps and reboots', async () => {
    // A port nobody listens on: the sync broker refuses the connection.
    const closed = await startEmbeddedBroker({ port: 0, host: '127.0.0.1' })
    const deadUrl = closed.url
    await closed.close()
    const device = await bootTwin(twinConfig(prefix(), deadUrl), 'intended', { deepSleepMs: 300 })
    await until(() => (device.console().match(/Calling app_main\(\)/g) ?? []).length >= 2, 15_000, () => `a reboot:\n${device.console()}`)
    const text = device.console()
    const first = text.slice(0, text.indexOf('rst:0xc (SW_CPU_RESET)'))
    expect(first).toMatch(/E \(\d+\) serverless_mqtt1: sync_peers\(176\): Failed to connect to the sync broker\r\nE \(\d+\) serverless_mqtt1: peer_init\(\d+\): Failed to sync with the other peer\r\nE \(\d+\) serverless_mqtt: app_main\(\d+\): Failed to init peer library\r\nE \(\d+\) serverless_mqtt: Non recoverable error, going to sleep for some time \(random, max 20s\)\r\n/)
    expect(first).not.toContain('Peer is connected')
    expect(text).toContain('rst:0xc (SW_CPU_RESET)')
  }, 30_000)
})
