// Runs inside a network namespace for netns.test.ts (started with `ip netns exec`): either the
// "public" services (STUN + signalling broker) or one peer with an MQTT client on its local
// broker. Talks to the test with JSON lines: events out on stdout, commands in on stdin.
import { createInterface } from 'node:readline'
import { connect } from 'mqtt'
import { startEmbeddedBroker } from '../../../src/main/peer/local-broker'
import { startPeer } from '../../../src/main/peer/peer'
import { startStunServer } from '../../../src/main/peer/stun-server'

const [mode, ...args] = process.argv.slice(2)
const say = (value: unknown) => process.stdout.write(JSON.stringify(value) + '\n')

if (mode === 'services') {
  const [host = '0.0.0.0'] = args
  const stun = await startStunServer({ host, port: 3478 })
  const broker = await startEmbeddedBroker({ host, port: 1883 })
  say({ ready: true, stun: `${stun.host}:${stun.port}`, broker: broker.url })
} else if (mode === 'peer') {
  const [role, signalHost, prefix, bind] = args as [string, string, string, string]
  const peer = await startPeer({
    role: role === '1' ? 1 : 2,
    signalUrl: `mqtt://${signalHost}:1883`,
    topicPrefix: prefix,
    stun: { host: signalHost, port: 3478 },
    bind,
    broker: { kind: 'embedded', port: 0 },
    retryDelayMs: 500,
  })
  peer.events((event) => say({ event }))
  const client = connect(peer.brokerUrl, { reconnectPeriod: 0 })
  client.on('message', (topic, payload) => say({ received: { topic, payload: payload.toString() } }))
  client.on('connect', () => client.subscribe('#', () => say({ ready: true })))
  for await (const line of createInterface({ input: process.stdin })) {
    const command = JSON.parse(line) as { publish?: { topic: string; payload: string } }
    if (command.publish) client.publish(command.publish.topic, command.publish.payload, { qos: 1 })
  }
} else {
  process.stderr.write(`unknown mode ${mode}\n`)
  process.exit(2)
}
