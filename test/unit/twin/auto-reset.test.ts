// esptool's reset sequences, replayed as data through the twin's auto-reset circuit.
import { describe, expect, it } from 'vitest'
import { ESP32 } from '../../../src/common/esp/chips'
import { classicReset, hardReset, unixTightReset, type ResetSequence } from '../../../src/common/esp/reset'
import { Device, EN_RC_DELAY_MS } from '../../../src/twin/device'
import { FlashMemory } from '../../../src/twin/flash'

function makeDevice(): { device: Device; output: () => string } {
  let text = ''
  const device = new Device({
    chip: ESP32,
    flash: FlashMemory.inMemory(1 << 20),
    mac: Uint8Array.of(2, 0, 0, 0, 0, 1),
    wireTiming: false,
    firmware: { logColours: false, quirks: 'intended', brokerHost: '127.0.0.1', brokerPort: 0 },
  })
  device.attach((bytes) => (text += new TextDecoder().decode(bytes)))
  return { device, output: () => text }
}

async function play(device: Device, sequence: ResetSequence, controlLatencyMs = 0): Promise<void> {
  for (const step of sequence.steps) {
    if ('waitMs' in step) await new Promise((resolve) => setTimeout(resolve, step.waitMs))
    else {
      device.setLines(step)
      if (controlLatencyMs) await new Promise((resolve) => setTimeout(resolve, controlLatencyMs))
    }
  }
  await new Promise((resolve) => setTimeout(resolve, EN_RC_DELAY_MS + 30))
}

describe('auto-reset circuit', () => {
  it.each([
    ['classic', classicReset(), 0],
    ['classic over RFC 2217 (50 ms per SET-CONTROL)', classicReset(), 50],
    ['unix tight', unixTightReset(), 0],
  ] as const)('%s reset enters download mode', async (_name, sequence, latency) => {
    const { device, output } = makeDevice()
    await play(device, sequence, latency)
    expect(device.state).toBe('download')
    expect(output()).toContain('rst:0x1 (POWERON_RESET),boot:0x3 (DOWNLOAD_BOOT(UART0/UART1/SDIO_REI_REO_V2))\r\nwaiting for download')
    await device.close()
  })

  it('a hard reset (RTS pulse, IO0 high) boots from flash', async () => {
    const { device, output } = makeDevice()
    await play(device, hardReset())
    expect(device.state).toBe('app')
    expect(output()).toContain('boot:0x13 (SPI_FAST_FLASH_BOOT)')
    await device.close()
  })

  it('asserting DTR and RTS together (opening a port) resets nothing', async () => {
    const { device, output } = makeDevice()
    device.setLines({ dtr: true, rts: true })
    await new Promise((resolve) => setTimeout(resolve, EN_RC_DELAY_MS + 30))
    expect(device.state).toBe('reset')
    expect(output()).toBe('')
    await device.close()
  })
})
