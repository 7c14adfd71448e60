// PairKit's probe describes each twin chip as esptool-js 0.7.0 does over the same wire:
// chip description, features, crystal and MAC, now decoded by the chip definitions.
import { afterEach, describe, expect, it } from 'vitest'
import { ESPLoader, Transport } from 'esptool-js'
import type { ProbeResult } from '../../../src/common/flasher/probe-result'
import { FlasherService } from '../../../src/main/flasher'
import { startTwin, type Twin } from '../../../src/twin'
import { TcpSerialPort } from '../twin/support/web-serial-tcp'

const terminal = { clean: () => undefined, writeLine: () => undefined, write: () => undefined }
const MAC = Uint8Array.of(0x24, 0x0a, 0xc4, 0x11, 0x22, 0x33)

let twin: Twin | undefined
afterEach(async () => {
  await twin?.close()
  twin = undefined
})

async function esptoolJsView(url: string): Promise<{ description: string; features: string[]; crystalMHz: number; mac: string }> {
  const port = new TcpSerialPort(url)
  const transport = new Transport(port as unknown as ConstructorParameters<typeof Transport>[0], false)
  const loader = new ESPLoader({ transport, baudrate: 460800, romBaudrate: 115200, terminal })
  try {
    await loader.main('default_reset')
    return {
      description: await loader.chip.getChipDescription(loader),
      features: await loader.chip.getChipFeatures(loader),
      crystalMHz: await loader.chip.getCrystalFreq(loader),
      mac: await loader.chip.readMac(loader),
    }
  } finally {
    await transport.disconnect()
  }
}

async function pairkitProbe(url: string): Promise<ProbeResult> {
  const service = new FlasherService()
  try {
    const id = service.start({ operation: 'probe', port: url, options: { baud: 460800, readBack: false } })
    const { state } = await service.wait(id)
    expect(state.type, JSON.stringify(state)).toBe('done')
    return (state as { result: ProbeResult }).result
  } finally {
    await service.dispose()
  }
}

describe.each(['esp32', 'esp32c3', 'esp32s3'] as const)('probing a %s twin', (chip) => {
  it('gives the description, features, crystal and MAC esptool-js reads', async () => {
    twin = await startTwin({ chip, listen: 'rfc2217://127.0.0.1:0', wireTiming: false, mac: MAC })
    const theirs = await esptoolJsView(twin.url)
    const ours = await pairkitProbe(twin.url)
    expect({ description: ours.description, features: ours.features, crystalMHz: ours.crystalMHz, mac: ours.mac }).toEqual(theirs)
    // Without read-back the probe stays on the ROM loader.
    expect(ours).toMatchObject({ chip, revision: 0, stub: false, baud: 460800, flash: { jedecId: '0x1640ef', manufacturer: 'Winbond', size: '4MB', sizeBytes: 4 << 20 } })
    expect(ours.notes).toEqual([])
  })
})
