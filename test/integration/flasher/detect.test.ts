// Chip detection over the wire, for chips the twin cannot be: a twin answering with another
// chip's magic word stands in for an ESP8266 and for a chip nobody knows.
import { afterEach, describe, expect, it } from 'vitest'
import { ESP32, type TwinChipDef } from '../../../src/common/esp/chips'
import { FlasherService } from '../../../src/main/flasher'
import { Device } from '../../../src/twin/device'
import { NO_FAULTS } from '../../../src/twin/faults'
import { FlashMemory } from '../../../src/twin/flash'
import { DeviceLink } from '../../../src/twin/transports/link'
import { startSocketTransport, type ListeningTransport } from '../../../src/twin/transports/socket'

const running: Array<{ transport: ListeningTransport; device: Device }> = []
afterEach(async () => {
  for (const { transport, device } of running.splice(0)) {
    await transport.close()
    await device.close()
  }
})

/** An ESP32 twin (no GET_SECURITY_INFO, so detection falls to the magic word) reading back `magic`. */
async function twinWithMagic(magic: number): Promise<string> {
  const chip: TwinChipDef = { ...ESP32, magicValues: [magic] }
  const firmware = { logColours: false, quirks: 'intended', brokerHost: '127.0.0.1', brokerPort: 0 } as const
  const device = new Device({ chip, flash: FlashMemory.inMemory(1 << 20), mac: Uint8Array.of(2, 0, 0, 0, 0, 1), wireTiming: false, firmware })
  device.powerCycle('download')
  const transport = await startSocketTransport(device, new DeviceLink(device, NO_FAULTS), '127.0.0.1', 0, 'download')
  running.push({ transport, device })
  return transport.url
}

async function probeError(url: string): Promise<{ message: string; hint?: string }> {
  const service = new FlasherService()
  try {
    const { state } = await service.wait(service.start({ operation: 'probe', port: url, options: { readBack: false } }))
    if (state.type !== 'failed') throw new Error(`expected a failed probe, got ${JSON.stringify(state)}`)
    return state.error
  } finally {
    await service.dispose()
  }
}

describe('chip detection by magic word', () => {
  it('names an ESP8266 and says PairKit does not flash it', async () => {
    const error = await probeError(await twinWithMagic(0xfff0c101))
    expect(error.message).toMatch(/^this is an ESP8266, which PairKit does not flash/)
    expect(error.hint).toBe('Only ESP32-family chips can run the bridge firmware.')
  })

  it('gives an unknown magic word in hex', async () => {
    const error = await probeError(await twinWithMagic(0x12345678))
    expect(error.message).toMatch(/^unknown chip \(magic word 0x12345678\)/)
  })
})
