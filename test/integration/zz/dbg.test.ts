import { it } from 'vitest'
import { configToNvsImage, defaultConfig } from '../../../src/common/config'
import { startEmbeddedBroker } from '../../../src/main/peer/local-broker'
import { startStunServer } from '../../../src/main/peer/stun-server'
import { makeTempDir } from '../../support/temp-dir'
import { connect, finished, recordingTwin } from '../monitor/helpers'
import { BOOTLOADER, NVS_OFFSET, renamedApp, TABLE } from '../twin/support/flash-images'
it('dbg', async () => {
  const signalling = await startEmbeddedBroker({ port: 0, host: '127.0.0.1' })
  const stun = await startStunServer({ host: '127.0.0.1' })
  const session = connect({ dataDir: makeTempDir('dbg-') })
  session.client.on('ice.changed', (c) => console.log('changed', JSON.stringify(c)))
  const urls: string[] = []
  for (const role of [1, 2] as const) {
    const { twin } = await recordingTwin({ wireTiming: false })
    const flash = twin.device.flash
    flash.program(0x1000, BOOTLOADER); flash.program(0x8000, TABLE)
    flash.program(NVS_OFFSET, configToNvsImage({ ...defaultConfig(), role, pairId: 'd1a9c0ffee000001', signallingUri: signalling.url, syncTopic: '/t/x_', stunHost: '127.0.0.1', stunPort: stun.port, staSsid: 'w', staPassword: 'pppppppp', apSsid: 'i', apPassword: 'pppppppp' }))
    flash.program(0x10000, renamedApp('serverless_mqtt'))
    const { jobId } = await session.request('devices.probe', { deviceId: twin.url })
    await finished(session, jobId)
    urls.push(twin.url)
  }
  console.log('probed', Date.now())
  const t = setInterval(() => console.log('tick', Date.now()), 1000)
  await Promise.all(urls.map((deviceId) => session.request('monitor.open', { deviceId, reset: true })))
  console.log('opened')
  await new Promise((r) => setTimeout(r, 8000))
  clearInterval(t)
  console.log(JSON.stringify(await session.request('ice.pair', { pairId: 'd1a9c0ffee000001' })).slice(0, 500))
}, 60000)
