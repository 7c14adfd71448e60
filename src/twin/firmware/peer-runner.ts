// peer_init() and create_local_client() of the libjuice variant, run by PairKit's own peer
// (src/main/peer) bridging the twin's broker: the settings give role, signalling, topic,
// STUN and TURN; the peer's firmware lines go through PeerConsole; a failure is reported
// with the firmware's lines and handed back so the twin reboots as the chip would.
import { networkInterfaces } from 'node:os'
import type { DeviceConfig } from '../../common/config'
import type { EspLogLevel, JuiceLogLevel } from '../../common/serverless/firmware-log'
import type { LocalBroker, LocalPublish } from '../../main/peer/local-broker'
import { startPeer, type PeerHandle } from '../../main/peer/peer'
import { startLocalClient, type LocalClient } from './local-client'
import { PeerConsole, type ReceiveQuirk } from './peer-console'
import { classifyPeerError, failurePlan, type FailurePlan } from './peer-failure'

export interface PeerRunContext {
  config: DeviceConfig
  /** Whether the STUN and TURN servers may be contacted (network-policy.ts). */
  useStun: boolean
  useTurn: boolean
  receive: ReceiveQuirk
  /** Apply the stock firmware's receiver length check (reference §5.3). */
  stockLengthCheck: boolean
  /** Fault injection: the next datagram from the peer is lost when this returns true. */
  datagramLoss?: () => boolean
  brokerUrl: string
  /** Subscribes to the broker's handle_message hook; returns the unsubscribe. */
  onLocalPublish(listener: (message: LocalPublish) => void): () => void
  /** The "station" address: where ICE binds and what it advertises. */
  station: string
  log(level: EspLogLevel, tag: string, message: string): void
  juice(level: JuiceLogLevel, file: string, line: number, message: string): void
  raw(text: string): void
  /** Called once, after the failure's lines are printed. */
  onFailure(plan: FailurePlan): void
}

export interface PeerRun {
  close(): Promise<void>
}

/** A pause longer than any boot: the twin reboots instead of letting the peer retry. */
const NO_RETRY_MS = 3_600_000
const MAIN_TAG = 'serverless_mqtt'

export async function runFirmwarePeer(ctx: PeerRunContext): Promise<PeerRun> {
  const { config } = ctx
  const console = new PeerConsole({ esp: ctx.log, juice: ctx.juice, raw: ctx.raw }, config.role, ctx.receive)
  let localClient: LocalClient | undefined
  let unsubscribe: (() => void) | undefined
  const broker: LocalBroker = {
    url: ctx.brokerUrl,
    embedded: true,
    onPublish(listener) {
      unsubscribe = ctx.onLocalPublish(listener)
    },
    republish(topic, payload) {
      // Stock: nothing ever reaches peer_recv (PeerConsole prints the drop line instead).
      if (ctx.receive === 'forward') localClient?.publish(topic, payload)
    },
    async close() {
      unsubscribe?.()
    },
  }
  let failed = false
  const fail = (plan: FailurePlan) => {
    if (failed) return
    failed = true
    console.flush()
    for (const record of plan.records) {
      if (record.kind === 'esp') ctx.log(record.level, record.tag, record.message)
      else ctx.juice(record.level, record.file, record.line, record.message)
    }
    ctx.onFailure(plan)
  }

  const peer: PeerHandle = await startPeer({
    role: config.role,
    signalUrl: config.signallingUri,
    topicPrefix: config.syncTopic,
    ...(ctx.useStun ? { stun: { host: config.stunHost, port: config.stunPort } } : {}),
    ...(ctx.useTurn && config.turnHost ? { turn: { host: config.turnHost, port: config.turnPort, username: config.turnUser, password: config.turnPassword } } : {}),
    broker: { kind: 'provided', broker },
    bind: ctx.station,
    firmwareLog: (line) => !failed && console.line(line),
    receiveCheck: ctx.stockLengthCheck ? 'stock-firmware' : 'exact',
    ...(ctx.datagramLoss ? { datagramLoss: ctx.datagramLoss } : {}),
    retryDelayMs: NO_RETRY_MS,
  })
  peer.events((event) => {
    if (failed) return
    if (event.type === 'linked' && !localClient) {
      localClient = startLocalClient(ctx.brokerUrl, ctx.log)
      ctx.log('I', MAIN_TAG, 'Everything is ready, exiting main task')
    } else if (event.type === 'error' && event.code !== 'SEND_FAILED') {
      // A round ended in an error (the bridge's own send errors end nothing).
      fail(failurePlan(classifyPeerError(event.message), config.role))
    } else if (event.type === 'ice-state' && event.state === 'failed') {
      fail(failurePlan('ice-failed', config.role))
    }
  })
  return {
    async close() {
      failed = true
      await peer.close().catch(() => undefined)
      await localClient?.close()
    },
  }
}

/**
 * The twin has no radio; its "station" is the host network. Signalling on loopback keeps the
 * whole link on loopback (tests, a lab on one machine); otherwise the first non-internal IPv4
 * address stands in for the DHCP lease, as libjuice binds to the one STA address (§3.2).
 */
export function stationAddress(signallingUri: string): string {
  const host = /^[a-z]+:\/\/(?:[^@/]*@)?(\[[^\]]+\]|[^:/]+)/i.exec(signallingUri)?.[1] ?? ''
  if (/^(127\.|localhost$|\[::1\]$)/i.test(host)) return '127.0.0.1'
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) if (address.family === 'IPv4' && !address.internal) return address.address
  }
  return '127.0.0.1'
}
