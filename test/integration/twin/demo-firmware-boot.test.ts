// The twin boots PairKit's own demo firmware as the serverless-MQTT bridge: the bootloader's
// partition table listing, the app's descriptor, then the firmware's broker on loopback.
import { connect as netConnect, type Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { demoBundle, DEMO_CHIPS } from '../../../src/common/demo-firmware'
import { stripAnsi } from '../../../src/common/serverless/firmware-log'
import type { ChipName } from '../../../src/common/esp/chips'
import { startTwin } from '../../../src/twin'

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.()
})

describe.each(DEMO_CHIPS)('the demo firmware on an %s twin', (chip) => {
  it('boots as the serverless_mqtt firmware and starts its broker', async () => {
    let broker = ''
    const twin = await startTwin({ chip: chip as ChipName, listen: 'socket://127.0.0.1:0', boot: 'app', wireTiming: false, logColours: false, onBroker: (url) => (broker = url) })
    cleanups.push(() => twin.close())
    for (const part of demoBundle({ chip }).parts) twin.device.flash.program(part.offset, part.bytes)
    const [, port = ''] = /:(\d+)$/.exec(twin.url) ?? []
    // A raw socket connection powers the chip on in app mode.
    const socket: Socket = netConnect(Number(port), '127.0.0.1')
    cleanups.push(() => void socket.destroy())
    let text = ''
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')))
    const deadline = Date.now() + 10_000
    while ((broker === '' || !stripAnsi(text).includes('Calling app_main()')) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25))
    const console = stripAnsi(text)
    expect(broker, console).toMatch(/^mqtt:\/\/127\.0\.0\.1:\d+$/)
    expect(console).toContain('ESP-IDF v5.4-pairkit-demo 2nd stage bootloader')
    expect(console).toMatch(/ 0 nvs\s+WiFi data\s+01 02 00009000 00006000/)
    expect(console).toContain('Project name:     serverless_mqtt')
    expect(console).not.toContain('this twin emulates only')
    expect(console).not.toMatch(/Checksum failed|Image hash failed|not bootable/)
  })
})
