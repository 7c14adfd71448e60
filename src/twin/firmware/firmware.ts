// The serverless-MQTT example's app_main, as far as this twin can run it (reference §2.1):
// configuration, the local broker (the "IoT network"), the peer, the forwarding client.
// Parts that are not wired into this build say so in the log; nothing claims success that
// did not happen. The lead wires the real peer and NVS reader in through FirmwareOptions.
import type { ChipDef } from '../../common/esp/chips'
import type { EspLogLevel } from '../../common/serverless/firmware-log'
import type { ResetCause } from '../boot/rom-log'
import { startFirmwareBroker, type FirmwareBroker } from './mosquitto-broker'
import { guruMeditation } from './panic'

export interface FirmwareOptions {
  logColours: boolean
  /** 'stock' reproduces the example's receive-path bugs (reference §9); used by the peer. */
  quirks: 'intended' | 'stock'
  /** Address the twin's broker listens on: loopback stands in for the soft-AP. */
  brokerHost: string
  /** 0 = pick a free port. */
  brokerPort: number
  /** Panic this long after app_main starts (fault injection). */
  panicAfterMs?: number
  /** Restart every N ms (fault injection: a boot loop). */
  bootloopMs?: number
  /** Called once the broker listens, so a caller can find the twin's IoT network. */
  onBroker?: (url: string) => void
}

export interface FirmwareContext {
  projectName: string | undefined
  elfSha256: string | undefined
  chip: ChipDef
  mac: string
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
export const SERVERLESS_PROJECT = 'serverless_mqtt'
const TAG = 'serverless_mqtt'
const TWIN_TAG = 'twin'

export function startFirmware(ctx: FirmwareContext): FirmwareHandle {
  let stopped = false
  let broker: FirmwareBroker | undefined
  const timers: NodeJS.Timeout[] = []
  const later = (ms: number, run: () => void) => timers.push(setTimeout(() => !stopped && run(), ms))

  if (ctx.projectName !== SERVERLESS_PROJECT) {
    ctx.log('W', TWIN_TAG, `this twin emulates only the ${SERVERLESS_PROJECT} firmware; app "${ctx.projectName ?? '?'}" does nothing here`)
  } else {
    void run()
  }
  if (ctx.options.panicAfterMs !== undefined) {
    later(ctx.options.panicAfterMs, () => {
      ctx.print(guruMeditation(ctx.chip, ctx.elfSha256).map((line) => line + '\r\n').join(''))
      ctx.restart('panic')
    })
  }
  if (ctx.options.bootloopMs !== undefined) later(ctx.options.bootloopMs, () => ctx.restart('software'))

  async function run(): Promise<void> {
    // wifi_connect(): the twin has no radio; say so instead of printing Wi-Fi success lines.
    ctx.log('W', TWIN_TAG, 'no Wi-Fi radio: soft-AP and station are not emulated; the IoT network is a loopback broker')
    ctx.log('W', TWIN_TAG, 'NVS configuration is not wired into this twin build; using the example\'s Kconfig defaults')
    const seconds = () => Math.floor(ctx.uptimeMs() / 1000)
    try {
      broker = await startFirmwareBroker(ctx.options.brokerHost, ctx.options.brokerPort, {
        log: (message) => !stopped && ctx.print(`${seconds()}: ${message}\r\n`),
        publish: (message) => {
          if (stopped || message.clientId === 'local_mqtt') return
          const text = new TextDecoder().decode(message.payload)
          ctx.log('I', TAG, `handle_message topic:${message.topic}`)
          ctx.log('I', TAG, `handle_message data:${text}`)
          ctx.log('I', TAG, `handle_message qos=${message.qos}, retain=${message.retain ? 1 : 0}`)
        },
      })
    } catch (error) {
      if (stopped) return
      ctx.log('E', TAG, `app_main(0): Failed to create local broker`)
      ctx.log('W', TWIN_TAG, `broker error: ${error instanceof Error ? error.message : String(error)}`)
      return
    }
    if (stopped) {
      await broker.close()
      return
    }
    ctx.options.onBroker?.(`mqtt://${broker.host}:${broker.port}`)
    // peer_init(): the serverless-MQTT peer is not part of this build yet.
    ctx.log('E', 'serverless_mqtt1', 'peer not available in this twin build')
    ctx.log('W', TWIN_TAG, 'local messages are logged but not forwarded (no peer link)')
  }

  return {
    stop() {
      stopped = true
      for (const timer of timers) clearTimeout(timer)
      const closing = broker
      broker = undefined
      void closing?.close().catch(() => undefined)
    },
  }
}
