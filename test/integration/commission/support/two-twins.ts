// Two twins waiting in download mode, as two boards fresh out of the box, plus a local
// signalling broker and STUN server: what a commissioning needs on this computer. A's flash is
// empty; B already holds the bundle's firmware (so the flow flashes A and leaves B), neither has
// pair settings. The bundle is a build folder (flasher_args.json) on disk, for the CLI too.
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { bundleFromFiles } from '../../../../src/main/services/bundle-service'
import type { Bundle } from '../../../../src/common/bundle'
import { startEmbeddedBroker, type LocalBroker } from '../../../../src/main/peer/local-broker'
import { startStunServer, type StunServer } from '../../../../src/main/peer/stun-server'
import { startTwin, type Twin } from '../../../../src/twin'
import { NO_FAULTS } from '../../../../src/twin/faults'
import { FlashMemory } from '../../../../src/twin/flash'
import { BOOTLOADER, renamedApp, TABLE } from '../../twin/support/flash-images'

export const APP = renamedApp('serverless_mqtt')

export interface CommissionLab {
  a: Twin
  b: Twin
  signalling: LocalBroker
  signallingPort: number
  stun: StunServer
  /** The build folder of the bundle. */
  buildDir: string
  bundle: Bundle
  /** Starts the signalling broker again on its port (after `signalling.close()`). */
  restartSignalling(): Promise<void>
  close(): Promise<void>
}

export async function startCommissionLab(dir: string): Promise<CommissionLab> {
  const cleanups: (() => Promise<unknown> | unknown)[] = []
  const close = async () => {
    while (cleanups.length > 0) await cleanups.pop()?.()
  }
  try {
    const buildDir = path.join(dir, 'build')
    mkdirSync(path.join(buildDir, 'bootloader'), { recursive: true })
    mkdirSync(path.join(buildDir, 'partition_table'), { recursive: true })
    const files = {
      'bootloader/bootloader.bin': BOOTLOADER,
      'partition_table/partition-table.bin': TABLE,
      'serverless_mqtt.bin': APP,
    }
    for (const [name, bytes] of Object.entries(files)) writeFileSync(path.join(buildDir, name), bytes)
    const args = JSON.stringify({
      flash_files: { '0x1000': 'bootloader/bootloader.bin', '0x8000': 'partition_table/partition-table.bin', '0x10000': 'serverless_mqtt.bin' },
      extra_esptool_args: { chip: 'esp32' },
    })
    writeFileSync(path.join(buildDir, 'flasher_args.json'), args)
    const bundle = bundleFromFiles(new Map<string, Uint8Array>([['flasher_args.json', new TextEncoder().encode(args)], ...Object.entries(files)]))

    let signalling = await startEmbeddedBroker({ port: 0, host: '127.0.0.1' })
    const signallingPort = Number(new URL(signalling.url).port)
    cleanups.push(() => lab.signalling.close().catch(() => undefined))
    const stun = await startStunServer({ host: '127.0.0.1' })
    cleanups.push(() => stun.close())
    const twin = async (name: string, withFirmware: boolean): Promise<Twin> => {
      const file = path.join(dir, `${name}.bin`)
      const flash = FlashMemory.open(file, 4 << 20)
      if (withFirmware) {
        flash.program(0x1000, BOOTLOADER)
        flash.program(0x8000, TABLE)
        flash.program(0x10000, APP)
      }
      flash.close()
      const started = await startTwin({ chip: 'esp32', flashPath: file, listen: 'rfc2217://127.0.0.1:0', boot: 'download', wireTiming: false, logColours: false, quirks: 'intended', faults: NO_FAULTS })
      cleanups.push(async () => {
        await started.close()
        await new Promise((resolve) => setTimeout(resolve, 200))
      })
      return started
    }
    const a = await twin('a', false)
    const b = await twin('b', true)
    const lab: CommissionLab = {
      a,
      b,
      get signalling() {
        return signalling
      },
      signallingPort,
      stun,
      buildDir,
      bundle,
      restartSignalling: async () => {
        signalling = await startEmbeddedBroker({ port: signallingPort, host: '127.0.0.1' })
      },
      close,
    }
    return lab
  } catch (error) {
    await close()
    throw error
  }
}

/** Both sites of a pair on this computer, with distinctive passwords to search for afterwards. */
export const SECRETS = { sta: 'Wifi-Secret-2718x', apA: 'IoT-A-Secret-1618', apB: 'IoT-B-Secret-1414', broker: 'Sig-Secret-3141' }

export function siteSettings(lab: CommissionLab): { siteA: Record<string, unknown>; siteB: Record<string, unknown> } {
  const shared = {
    signallingUri: `mqtt://technician:${SECRETS.broker}@127.0.0.1:${lab.signallingPort}`,
    stunHost: '127.0.0.1',
    stunPort: lab.stun.port,
    staSsid: 'workshop',
    staPassword: SECRETS.sta,
  }
  return { siteA: { ...shared, apSsid: 'iot-site-a', apPassword: SECRETS.apA }, siteB: { ...shared, apSsid: 'iot-site-b', apPassword: SECRETS.apB } }
}
