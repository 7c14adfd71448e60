// `pairkit peer`: the serverless-MQTT peer as a long-running command (events on stdout).
import { readFileSync } from 'node:fs'
import type { PeerEvent } from '../../common/serverless/peer-events'
import type { PeerOptions } from '../../main/peer/peer'
import { maskUrlPassword } from '../../common/url-userinfo'
import { type Command, UsageError } from '../command'
import { turnCredentials } from '../turn-credentials'

export const peerCommand: Command = {
  name: 'peer',
  summary: 'Run a serverless-MQTT peer that pairs with an ESP32 (or another PairKit) and bridges MQTT.',
  usage: 'peer --role 1|2 --signal mqtt://HOST:PORT --topic PREFIX [--stun HOST:PORT] [--turn USER@HOST:PORT [--turn-password-file FILE]] [--broker-port N [--plain-broker] | --broker mqtt://…] [--bind ADDRESS] [--json]',
  help: `
Stands in for one ESP32 of a serverless-MQTT pair, speaking the firmware's protocol: the
"0"/"1"/"2" handshake on PREFIX1/PREFIX2 of the signalling broker, a JSON description with
libjuice-form candidates, ICE over UDP, and each MQTT PUBLISH in the firmware's datagram wrap.
When the link fails it signals again; the local broker and its clients stay up.

  --role 1|2            the firmware role to play; the device must have the other one
  --signal URL          signalling broker (the firmware's CONFIG_EXAMPLE_MQTT_BROKER_URI)
  --topic PREFIX        sync topic prefix (CONFIG_EXAMPLE_MQTT_SYNC_TOPIC), e.g. /topic/serverless_mqtt
  --stun HOST:PORT      STUN server for the server-reflexive candidate (port 19302 if omitted)
  --turn USER@HOST:PORT optional TURN relay (the firmware itself has none); the password
                        from --turn-password-file FILE (its first line) or from the
                        PAIRKIT_TURN_PASSWORD environment variable, not the command line,
                        where every user of the computer can read it
  --broker-port N       embedded broker port (default 1883), on --broker-host (default 127.0.0.1)
  --plain-broker        run the embedded broker as plain aedes, without its fast paths (slower;
                        for comparison, or if a fast path is ever suspected)
  --broker URL          bridge an existing MQTT 5 broker instead of the embedded one
  --bind ADDRESS        the one IPv4 address for ICE (default: every non-internal IPv4 address)
  --ice-role R          controlled or controlling (default: controlled against an ESP; against
                        another PairKit peer, role 1 controlling and role 2 controlled)
  --firmware-log        also print the lines the firmware would print on its console
  --quiet               leave out the per-message events (for busy bridges)
  --json                one JSON event per line

Stop with Ctrl-C. Example:
  pairkit peer --role 2 --signal mqtt://192.168.1.10:1883 --topic /topic/serverless_mqtt --stun 192.168.1.10:3478`,
  options: {
    role: { type: 'string' },
    signal: { type: 'string' },
    topic: { type: 'string' },
    stun: { type: 'string' },
    turn: { type: 'string' },
    'turn-password-file': { type: 'string' },
    'broker-port': { type: 'string' },
    'broker-host': { type: 'string' },
    'plain-broker': { type: 'boolean' },
    broker: { type: 'string' },
    bind: { type: 'string' },
    'ice-role': { type: 'string' },
    'firmware-log': { type: 'boolean' },
    quiet: { type: 'boolean' },
  },
  async run({ values, out, signal }) {
    const options = peerOptionsFrom(values, (line) => out.info(line), (message) => out.warn(message))
    const { startPeer } = await import('../../main/peer/peer')
    const peer = await startPeer(options)
    const quiet = values.quiet === true
    peer.events((event) => {
      if (quiet && event.type === 'message') return
      if (out.json) out.result(event, () => '')
      else {
        const text = describeEvent(event)
        if (text) out.info(text)
      }
    })
    if (!out.json) out.info(`Local broker ${maskUrlPassword(peer.brokerUrl)}; pairing as PEER${options.role} on ${options.topicPrefix}${options.role}. Ctrl-C stops.`)
    await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })))
    const stats = peer.stats()
    await peer.close()
    out.result({ type: 'stats', stats, at: Date.now() } satisfies PeerEvent, () => `Sent ${stats.messagesToPeer} message(s) (${stats.bytesToPeer} B), received ${stats.messagesFromPeer} (${stats.bytesFromPeer} B), pairings ${stats.pairings}.`)
    return 0
  },
}

type Values = Parameters<Command['run']>[0]['values']

export function peerOptionsFrom(values: Values, firmwareSink?: (line: string) => void, warn: (message: string) => void = () => {}): PeerOptions {
  const text = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined)
  const role = text('role')
  if (role !== '1' && role !== '2') throw new UsageError('--role must be 1 or 2')
  const signalUrl = text('signal')
  if (!signalUrl || !/^mqtts?:\/\/[^/]+/.test(signalUrl)) throw new UsageError('--signal must be an mqtt:// URL')
  const topicPrefix = text('topic')
  if (!topicPrefix) throw new UsageError('--topic is required')
  if (text('broker') && text('broker-port')) throw new UsageError('use either --broker-port or --broker, not both')
  if (text('broker') && values['plain-broker'] === true) throw new UsageError('--plain-broker is for the embedded broker; leave it out with --broker')
  const options: PeerOptions = { role: role === '1' ? 1 : 2, signalUrl, topicPrefix }
  const stun = text('stun')
  if (stun) options.stun = parseHostPort(stun, '--stun', 19302)
  const turn = text('turn')
  if (turn) {
    const credentials = turnCredentials({ turn, passwordFile: text('turn-password-file'), env: process.env, readFile: (file) => readFileSync(file, 'utf8'), warn })
    options.turn = { ...parseHostPort(credentials.server, '--turn', 3478), username: credentials.username, password: credentials.password }
  } else if (text('turn-password-file')) throw new UsageError('--turn-password-file goes with --turn USER@HOST:PORT')
  const broker = text('broker')
  if (broker) {
    if (!/^mqtts?:\/\//.test(broker)) throw new UsageError('--broker must be an mqtt:// URL')
    options.broker = { kind: 'external', url: broker }
  } else {
    const port = Number(text('broker-port') ?? 1883)
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--broker-port must be a port number')
    options.broker = { kind: 'embedded', port, host: text('broker-host') ?? '127.0.0.1', ...(values['plain-broker'] === true ? { plain: true } : {}) }
  }
  const bind = text('bind')
  if (bind) {
    if (!/^\d+\.\d+\.\d+\.\d+$/.test(bind)) throw new UsageError('--bind must be an IPv4 address (the firmware is IPv4 only)')
    options.bind = bind
  }
  const iceRole = text('ice-role')
  if (iceRole) {
    if (iceRole !== 'controlled' && iceRole !== 'controlling') throw new UsageError('--ice-role must be controlled or controlling')
    options.iceControlling = iceRole === 'controlling'
  }
  if (values['firmware-log'] && firmwareSink) options.firmwareLog = firmwareSink
  // --quiet drops the per-message events anyway: then the peer does not build them at all.
  if (values.quiet === true) options.messageEvents = false
  return options
}

function parseHostPort(text: string, option: string, defaultPort: number): { host: string; port: number } {
  const match = /^([^:]+)(?::(\d+))?$/.exec(text)
  const port = Number(match?.[2] ?? defaultPort)
  if (!match || port < 1 || port > 65535) throw new UsageError(`${option} must be HOST or HOST:PORT`)
  return { host: match[1] as string, port }
}

function describeEvent(event: PeerEvent): string | undefined {
  switch (event.type) {
    case 'signalling':
      return event.step === 'sync-ping' ? undefined : `signalling: ${event.step}${event.detail ? ` (${event.detail})` : ''}`
    case 'signalling-rejected':
      return `signalling: ignored a message (${event.reason}: ${event.detail})`
    case 'ice-state':
      return `ICE: ${event.state} (${event.controlling ? 'controlling' : 'controlled'})`
    case 'local-candidate':
      return `local candidate: ${event.candidate}`
    case 'remote-candidate':
      return `remote candidate: ${event.candidate}`
    case 'selected-pair':
      return `selected pair: ${event.local} ⇄ ${event.remote}`
    case 'linked':
      return 'linked: messages now cross both ways'
    case 'unlinked':
      return `unlinked: ${event.reason}`
    case 'message':
      return `${event.direction === 'to-peer' ? '→' : '←'} ${event.topic} (${event.bytes} B)${event.stockFirmwareWillDrop ? ' — stock firmware will drop it (payload shorter than topic + NUL)' : ''}`
    case 'drop':
      return `dropped ${event.count > 1 ? `${event.count} messages ` : ''}${event.direction} ${event.topic ?? ''} (${event.reason}): ${event.detail}`
    case 'warning':
      return `warning: ${event.message}`
    case 'error':
      return `error: ${event.message}${event.hint ? ` ${event.hint}` : ''}`
    default:
      return undefined
  }
}
