// Two twins running the serverless-MQTT firmware as a pair on loopback: PEER1 on site A, PEER2
// on site B, settings in each twin's NVS partition, a local signalling broker and STUN server.
// Each twin waits in download mode until its console is open over RFC 2217, then the console
// resets it into the app (as a serial monitor does), so the firmware boots once, with every
// line on the console; the pair is ready once both consoles say the local client connected.
import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { configToNvsImage, defaultConfig, type DeviceConfig } from '../../../../src/common/config'
import { stripAnsi } from '../../../../src/common/serverless/firmware-log'
import { startEmbeddedBroker, type LocalBroker } from '../../../../src/main/peer/local-broker'
import { startStunServer, type StunServer } from '../../../../src/main/peer/stun-server'
import { openLink, type SerialLink } from '../../../../src/main/serial/link'
import { startTwin, type Twin } from '../../../../src/twin'
import { NO_FAULTS, type FaultSpec } from '../../../../src/twin/faults'
import type { FirmwareQuirks } from '../../../../src/twin/firmware/firmware'
import { FlashMemory } from '../../../../src/twin/flash'
import { BOOTLOADER, NVS_OFFSET, renamedApp, TABLE } from '../../twin/support/flash-images'

export interface PairedTwin {
  readonly twin: Twin
  /** The twin's console, open since before it booted (the link of a serial monitor). */
  readonly link: SerialLink
  /** Everything the console printed, ANSI removed. */
  console(): string
  /** The broker of the boot running now: the site's "IoT network". */
  brokerUrl(): string
}

export interface TwinPair {
  a: PairedTwin
  b: PairedTwin
  close(): Promise<void>
}

export interface TwinPairOptions {
  quirks?: { a?: FirmwareQuirks; b?: FirmwareQuirks }
  faults?: { a?: Partial<FaultSpec>; b?: Partial<FaultSpec> }
}

let fileCount = 0

export async function startTwinPair(options: TwinPairOptions = {}): Promise<TwinPair> {
  const cleanups: (() => Promise<unknown> | unknown)[] = []
  const close = async () => {
    while (cleanups.length > 0) await cleanups.pop()?.()
  }
  try {
    const signalling: LocalBroker = await startEmbeddedBroker({ port: 0, host: '127.0.0.1' })
    cleanups.push(() => signalling.close())
    const stun: StunServer = await startStunServer({ host: '127.0.0.1' })
    cleanups.push(() => stun.close())
    const syncTopic = `/test/pair_${Math.random().toString(36).slice(2, 8)}_`
    const boot = async (role: 1 | 2): Promise<PairedTwin> => {
      const side = role === 1 ? 'a' : 'b'
      const config: DeviceConfig = {
        ...defaultConfig(),
        role,
        signallingUri: signalling.url,
        syncTopic,
        stunHost: '127.0.0.1',
        stunPort: stun.port,
        staSsid: 'workshop',
        staPassword: 'workshop-pass-1',
        apSsid: `iot-site-${side}`,
        apPassword: 'iot-pass-12345',
        pairId: 'traffic0001',
      }
      const file = path.join(tmpdir(), `pairkit-traffic-${process.pid}-${fileCount++}.bin`)
      const flash = FlashMemory.open(file, 4 << 20)
      flash.program(0x1000, BOOTLOADER)
      flash.program(0x8000, TABLE)
      flash.program(NVS_OFFSET, configToNvsImage(config))
      flash.program(0x10000, renamedApp('serverless_mqtt'))
      flash.close()
      cleanups.push(() => {
        rmSync(file, { force: true })
        rmSync(`${file}.twin.json`, { force: true })
      })
      const brokers: string[] = []
      const twin = await startTwin({
        chip: 'esp32',
        flashPath: file,
        listen: 'rfc2217://127.0.0.1:0',
        boot: 'download',
        wireTiming: false,
        logColours: false,
        quirks: options.quirks?.[side] ?? 'intended',
        faults: { ...NO_FAULTS, ...options.faults?.[side] },
        onBroker: (url) => brokers.push(url),
      })
      cleanups.push(async () => {
        await twin.close()
        // The firmware's peer and broker close asynchronously after the device stops.
        await new Promise((resolve) => setTimeout(resolve, 200))
      })
      const link = await openLink(twin.url)
      cleanups.push(() => link.close())
      let text = ''
      const decoder = new TextDecoder()
      link.onData((chunk) => (text += decoder.decode(chunk, { stream: true })))
      // EN low, then released with IO0 high: the chip boots its app.
      await link.setSignals({ dtr: false, rts: true })
      await new Promise((resolve) => setTimeout(resolve, 20))
      await link.setSignals({ rts: false })
      return { twin, link, console: () => stripAnsi(text), brokerUrl: () => brokers[brokers.length - 1] ?? '' }
    }
    const [a, b] = await Promise.all([boot(1), boot(2)])
    const deadline = Date.now() + 30_000
    while (!(a.console().includes('local client connected') && b.console().includes('local client connected'))) {
      if (Date.now() > deadline) throw new Error(`the twins did not pair within 30 s:\n--- A\n${a.console()}\n--- B\n${b.console()}`)
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
    return { a, b, close }
  } catch (error) {
    await close()
    throw error
  }
}
