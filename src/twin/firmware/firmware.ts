// The serverless-MQTT example's app_main, as far as this twin can run it (reference §2.1):
// settings from NVS (the firmware contract), the local broker (the "IoT network"), the peer
// (PairKit's own, speaking the firmware's lines), the forwarding client. The twin has no
// radio, and says so; nothing claims success that did not happen.
import { BRIDGE_PROJECT_NAME } from '../../common/config'
import { checkReach, type TwinNetwork } from './network-policy'
import type { TwinChipDef } from '../../common/esp/chips'
import { formatJuiceLog, type EspLogLevel, type JuiceLogLevel } from '../../common/serverless/firmware-log'
import type { LocalPublish } from '../../main/peer/local-broker'
import type { ResetCause } from '../boot/rom-log'
import type { FlashMemory } from '../flash'
import { startFirmwareBroker, type FirmwareBroker } from './mosquitto-broker'
import { readFirmwareSettings, settingsSummary } from './nvs-settings'
import { startLogFlood, type LogFlood } from './log-flood'
import { guruMeditation } from './panic'
import { runFirmwarePeer, stationAddress, type PeerRun } from './peer-runner'

/**
 * 'intended': the receive path works (the example as meant). 'stock': the current revision's
 * bugs (reference §9 items 1 and 2: every datagram dropped, and the length check behind it).
 * 'length-check': only item 2, as in versions whose receive path works (pre-refactor, esp-peer).
 */
export type FirmwareQuirks = 'intended' | 'stock' | 'length-check'

export interface FirmwareOptions {
  logColours: boolean
  quirks: FirmwareQuirks
  /** Address the twin's broker listens on: loopback stands in for the soft-AP. */
  brokerHost: string
  /** 0 = pick a free port (several twins on one host); otherwise this port, whatever NVS says. */
  brokerPort: number
  /** Panic this long after app_main starts (fault injection). */
  panicAfterMs?: number
  /** Restart every N ms (fault injection: a boot loop). */
  bootloopMs?: number
  /** Print numbered log lines at this many bytes per second (load for console readers). */
  floodBytesPerSecond?: number
  /** Fault injection: whether the next datagram from the peer is lost on the way (datagram-drop). */
  datagramLoss?: () => boolean
  /** Length of the deep sleep after a setup error; default random 0–19 s like esp_random() % 20. */
  deepSleepMs?: number
  /** Called once the broker listens, so a caller can find the twin's IoT network. */
  onBroker?: (url: string) => void
  /** Loopback only (the default), or the configured servers wherever they are. */
  network?: TwinNetwork
}

export interface FirmwareContext {
  projectName: string | undefined
  elfSha256: string | undefined
  chip: TwinChipDef
  mac: string
  flash: FlashMemory
  options: FirmwareOptions
  log(level: EspLogLevel, tag: string, message: string): void
  print(text: string): void
  uptimeMs(): number
  restart(cause: ResetCause): void
}

export interface FirmwareHandle {
  stop(): void
}

/** The example's project name (its CMakeLists `project(serverless_mqtt)`). */
export const SERVERLESS_PROJECT = BRIDGE_PROJECT_NAME
const TAG = 'serverless_mqtt'
const TWIN_TAG = 'twin'
/** esp_log_level_t ranks: a record shows when its rank ≤ the level set. */
const LEVEL_RANK: Record<EspLogLevel, number> = { E: 1, W: 2, I: 3, D: 4, V: 5 }
const LOG_LEVEL_RANK = { none: 0, error: 1, warn: 2, info: 3, debug: 4, verbose: 5 } as const

/** A previous boot's sockets still closing, per twin: the next boot waits for them. */
const shuttingDown = new WeakMap<FirmwareOptions, Promise<void>>()

export function startFirmware(ctx: FirmwareContext): FirmwareHandle {
  let stopped = false
  let broker: FirmwareBroker | undefined
  let peer: PeerRun | undefined
  const timers: NodeJS.Timeout[] = []
  const later = (ms: number, run: () => void) => timers.push(setTimeout(() => !stopped && run(), ms))
  let logRank = LEVEL_RANK.I
  /** In deep sleep nothing runs and nothing prints until the wake-up reset. */
  let asleep = false
  const silent = () => stopped || asleep
  // ESP-IDF's console turns every "\n" into "\r\n" (CONFIG_NEWLIB_STDOUT_LINE_ENDING_CRLF).
  const log = (level: EspLogLevel, tag: string, message: string) => {
    if (!silent() && LEVEL_RANK[level] <= logRank) ctx.log(level, tag, message.replace(/\n/g, '\r\n'))
  }
  // libjuice prints with printf (no colours on the ESP console, as the README sample shows).
  const juice = (level: JuiceLogLevel, file: string, line: number, message: string) =>
    !silent() && ctx.print(formatJuiceLog({ level, seconds: ctx.uptimeMs() / 1000, file, line, message }) + '\r\n')
  const raw = (text: string) => !silent() && ctx.print(text.replace(/\n/g, '\r\n') + '\r\n')

  if (ctx.projectName !== SERVERLESS_PROJECT) {
    ctx.log('W', TWIN_TAG, `this twin emulates only the ${SERVERLESS_PROJECT} firmware; app "${ctx.projectName ?? '?'}" does nothing here`)
  } else {
    void run().catch((error: unknown) => log('E', TWIN_TAG, `firmware stopped: ${error instanceof Error ? error.message : String(error)}`))
  }
  if (ctx.options.panicAfterMs !== undefined) {
    later(ctx.options.panicAfterMs, () => {
      ctx.print(guruMeditation(ctx.chip, ctx.elfSha256).map((line) => line + '\r\n').join(''))
      ctx.restart('panic')
    })
  }
  if (ctx.options.bootloopMs !== undefined) later(ctx.options.bootloopMs, () => ctx.restart('software'))
  const flood: LogFlood | undefined =
    ctx.options.floodBytesPerSecond !== undefined ? startLogFlood(ctx.options.floodBytesPerSecond, (text) => !silent() && ctx.print(text), ctx.uptimeMs) : undefined

  async function run(): Promise<void> {
    await shuttingDown.get(ctx.options)
    if (stopped) return
    // Settings first, before Wi-Fi (docs/firmware-contract.md), then esp_log_level_set("*", …).
    const settings = readFirmwareSettings(ctx.flash)
    for (const line of settings.lines) log(line.level, line.tag, line.message)
    const config = settings.config
    logRank = LOG_LEVEL_RANK[config.logLevel]
    for (const line of settingsSummary(config)) log(line.level, line.tag, line.message)

    // wifi_connect(): the twin has no radio; say so instead of printing Wi-Fi success lines.
    const station = stationAddress(config.signallingUri)
    log('W', TWIN_TAG, 'no Wi-Fi radio: soft-AP and station are not emulated; the IoT network is a loopback broker')
    log('I', TWIN_TAG, `station stands for the host network: signalling and STUN leave from ${station}`)

    const seconds = () => Math.floor(ctx.uptimeMs() / 1000)
    const port = ctx.options.brokerPort
    const listeners = new Set<(message: LocalPublish) => void>()
    try {
      broker = await startFirmwareBroker(ctx.options.brokerHost, port, {
        log: (message) => !silent() && ctx.print(`${seconds()}: ${message}\r\n`),
        publish: (message) => {
          // handle_message(): the re-publisher's own messages never cross (loop prevention, §2.5).
          if (stopped || message.clientId === 'local_mqtt') return
          if (listeners.size > 0) {
            for (const listener of listeners) listener(message)
            return
          }
          const text = new TextDecoder().decode(message.payload)
          log('I', TAG, `handle_message topic:${message.topic}`)
          log('I', TAG, `handle_message data:${text}`)
          log('I', TAG, `handle_message qos=${message.qos}, retain=${message.retain ? 1 : 0}`)
        },
      })
    } catch (error) {
      if (stopped) return
      log('E', TAG, 'app_main(0): Failed to create local broker')
      log('W', TWIN_TAG, `broker error: ${error instanceof Error ? error.message : String(error)}`)
      return
    }
    if (stopped) {
      await broker.close()
      return
    }
    if (port === 0 && broker.port !== config.brokerPort) log('I', TWIN_TAG, `broker on port ${broker.port} of ${broker.host} (configured port ${config.brokerPort}; the twin picks a free loopback port)`)
    const brokerUrl = `mqtt://${broker.host}:${broker.port}`
    ctx.options.onBroker?.(brokerUrl)

    if (config.peerLibrary !== 'juice') {
      log('E', TWIN_TAG, `the ${config.peerLibrary} (esp-peer) variant is not emulated; no peer link`)
      return
    }
    const reach = checkReach(config, ctx.options.network ?? 'loopback')
    for (const line of reach.lines) log(line.level, TWIN_TAG, line.message)
    if (!reach.signalling) return
    peer = await runFirmwarePeer({
      config,
      useStun: reach.stun,
      useTurn: reach.turn,
      receive: ctx.options.quirks === 'stock' ? 'drop-all' : 'forward',
      stockLengthCheck: ctx.options.quirks !== 'intended',
      ...(ctx.options.datagramLoss ? { datagramLoss: ctx.options.datagramLoss } : {}),
      brokerUrl,
      onLocalPublish(listener) {
        listeners.add(listener)
        return () => listeners.delete(listener)
      },
      station,
      log,
      juice,
      raw,
      onFailure(plan) {
        if (plan.then === 'restart') return ctx.restart('software')
        // esp_deep_sleep(): the broker and its IoT network go away until the chip wakes with a
        // reset (ROM: DEEPSLEEP_RESET; the twin's banner shows a software reset, as it has no
        // deep-sleep cause).
        asleep = true
        shutDown()
        const sleepMs = ctx.options.deepSleepMs ?? Math.floor(Math.random() * 20) * 1000
        later(sleepMs, () => ctx.restart('software'))
      },
    })
    if (silent()) void peer.close()
  }

  function shutDown(): void {
    const closingPeer = peer
    const closingBroker = broker
    peer = undefined
    broker = undefined
    const previous = shuttingDown.get(ctx.options)
    shuttingDown.set(
      ctx.options,
      (async () => {
        await previous
        await closingPeer?.close().catch(() => undefined)
        await closingBroker?.close().catch(() => undefined)
      })(),
    )
  }

  return {
    stop() {
      stopped = true
      for (const timer of timers) clearTimeout(timer)
      flood?.stop()
      shutDown()
    },
  }
}
