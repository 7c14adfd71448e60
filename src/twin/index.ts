// The twin's programmatic API: start a virtual ESP32 on a transport, get its URL, close it.
// Used by `pairkit twin`, by tests and by benchmarks (several twins per process are fine:
// they share nothing).
import { TWIN_CHIPS, twinChipByName, type ChipName, type TwinChipDef } from '../common/esp/chips'
import { PairKitError } from '../common/errors'
import { Device, type BootMode } from './device'
import { FlashMemory } from './flash'
import { parseBridge } from './bridge'
import { datagramLoss, flashReadFaults, NO_FAULTS, type FaultSpec } from './faults'
import type { FirmwareQuirks } from './firmware/firmware'
import type { TwinNetwork } from './firmware/network-policy'
import { defaultMac, twinMac } from './identity'
import { DeviceLink, type TranscriptEntry } from './transports/link'
import { startRfc2217Transport } from './transports/rfc2217'
import { startSocketTransport, type ListeningTransport } from './transports/socket'
import { startTtyTransport } from './transports/tty'

export interface TwinOptions {
  /** One of TWIN_CHIPS (esp32, esp32s3, esp32c3). */
  chip: ChipName
  /** Backing file of the flash (created 0xFF-filled when missing); omit for in-memory. */
  flashPath?: string
  flashSize?: number
  /** Six bytes; by default the one kept beside the flash file (identity.ts), so each twin differs and keeps its own. */
  mac?: Uint8Array
  /** `rfc2217://host:port` or `socket://host:port` (port 0 picks one). */
  listen?: string
  tty?: string
  boot?: BootMode
  faults?: FaultSpec
  /** The USB bridge in front of the UART (cp2102, ch340, cp2102n, ft232h, usb-jtag …): above its fastest rate bytes are garbled. */
  bridge?: string
  wireTiming?: boolean
  quirks?: FirmwareQuirks
  /** Deep-sleep length after a firmware setup error (default: random 0–19 s, as the firmware). */
  deepSleepMs?: number
  /** What the firmware may connect to: loopback only (default), or any configured server. */
  network?: TwinNetwork
  /** The port the firmware's broker listens on (whatever NVS says); default 0, a free one at each boot. */
  brokerPort?: number
  logColours?: boolean
  onNote?: (text: string) => void
  onBroker?: (url: string) => void
  /** Everything that crosses the UART, per client connection (for tests that compare what a client kept). */
  onTranscript?: (entry: TranscriptEntry) => void
}

export type { TranscriptEntry } from './transports/link'

export interface Twin {
  readonly url: string
  readonly chip: TwinChipDef
  readonly device: Device
  close(): Promise<void>
}

export const DEFAULT_FLASH_SIZE = 4 << 20

export function parseListenUrl(url: string): { scheme: 'rfc2217' | 'socket'; host: string; port: number } {
  const match = /^(rfc2217|socket):\/\/(\[[^\]]+\]|[^:/]+):(\d+)\/?$/.exec(url)
  const port = Number(match?.[3])
  if (!match || !(port >= 0 && port <= 65535)) {
    throw new PairKitError('USAGE', `Cannot listen on "${url}"`, { hint: 'Use rfc2217://127.0.0.1:PORT or socket://127.0.0.1:PORT (PORT 0 picks a free one).' })
  }
  return { scheme: match[1] as 'rfc2217' | 'socket', host: (match[2] ?? '').replace(/^\[|\]$/g, ''), port }
}

export { defaultMac } from './identity'

export async function startTwin(options: TwinOptions): Promise<Twin> {
  const chip = twinChipByName(options.chip)
  if (!chip) throw new PairKitError('USAGE', `The twin cannot be an ${options.chip}`, { hint: `Use ${TWIN_CHIPS.map((twin) => twin.name).join(', ')}.` })
  if (!options.listen === !options.tty) throw new PairKitError('USAGE', 'Give exactly one of --listen and --tty')
  const flashSize = options.flashSize ?? DEFAULT_FLASH_SIZE
  const flash = options.flashPath ? FlashMemory.open(options.flashPath, flashSize) : FlashMemory.inMemory(flashSize)
  const faults = options.faults ?? NO_FAULTS
  const bridge = options.bridge ? parseBridge(options.bridge) : undefined
  const bootMode = options.boot ?? 'download'
  const device = new Device({
    chip,
    flash,
    mac: options.flashPath
      ? twinMac(options.flashPath, chip.name, options.mac, options.onNote)
      : (options.mac ?? defaultMac(`:${options.listen ?? options.tty ?? ''}:${chip.name}`)),
    wireTiming: options.wireTiming ?? true,
    onNote: options.onNote,
    outgoingFlashData: flashReadFaults(faults),
    ...(bridge ? { bridge, seed: faults.seed } : {}),
    firmware: {
      logColours: options.logColours ?? true,
      quirks: options.quirks ?? 'intended',
      brokerHost: '127.0.0.1',
      brokerPort: options.brokerPort ?? 0,
      panicAfterMs: faults.panicAfterMs,
      bootloopMs: faults.bootloopMs,
      floodBytesPerSecond: faults.floodBytesPerSecond,
      datagramLoss: datagramLoss(faults),
      onBroker: options.onBroker,
      deepSleepMs: options.deepSleepMs,
      network: options.network ?? 'loopback',
    },
  })
  const link = new DeviceLink(device, faults, options.onTranscript)
  let transport: ListeningTransport
  try {
    if (options.tty) {
      device.powerCycle(bootMode)
      transport = await startTtyTransport(device, link, options.tty)
    } else {
      const target = parseListenUrl(options.listen ?? '')
      device.powerCycle(bootMode)
      transport =
        target.scheme === 'rfc2217'
          ? await startRfc2217Transport(device, link, target.host, target.port)
          : await startSocketTransport(device, link, target.host, target.port, bootMode)
    }
  } catch (error) {
    await device.close()
    if (error instanceof PairKitError) throw error
    const code = (error as NodeJS.ErrnoException).code
    throw new PairKitError(code === 'EADDRINUSE' ? 'PORT_BUSY' : 'PORT_NOT_FOUND', `The twin cannot open ${options.listen ?? options.tty}: ${code ?? String(error)}`, { cause: error })
  }
  let closed = false
  return {
    url: transport.url,
    chip,
    device,
    async close() {
      if (closed) return
      closed = true
      await transport.close()
      await device.close()
    },
  }
}
