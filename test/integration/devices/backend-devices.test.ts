// The technician's day through the contract, on two twins: probe, flash both without typing
// their links again, make a pair, write it to both, and see the devices report the pair and
// their roles after the automatic probe; one operation per device whatever the spelling of
// its link; and everything still there after a restart of the backend.
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { base64ToBytes, bytesToBase64 } from '../../../src/common/base64'
import type { Device, FlashJob, ProvisionResult, RequestParams, RequestResult } from '../../../src/common/contract'
import { ProvisionResultSchema } from '../../../src/common/contract'
import { PairKitError } from '../../../src/common/errors'
import { RpcClient } from '../../../src/common/rpc/client'
import { createProtocolPair } from '../../../src/common/rpc/memory-protocol'
import { RpcServer } from '../../../src/common/rpc/server'
import { Backend } from '../../../src/main/backend'
import { startTwin, type Twin } from '../../../src/twin/index'
import { makeTempDir } from '../../support/temp-dir'
import { esp32Build, flasherArgsJson } from '../../unit/bundle/build-fixtures'

const twins: Twin[] = []
const open: Array<{ dispose(): void }> = []
afterEach(() => {
  for (const item of open.splice(0).reverse()) item.dispose()
})
afterAll(async () => {
  for (const twin of twins) await twin.close()
})

interface Session {
  backend: Backend
  client: RpcClient
  jobs: Map<string, FlashJob>
  devices: () => Device[]
}

/** A backend and a client talking the contract over the in-memory transport, as a window does over IPC. */
function connect(dataDir: string): Session {
  const backend = new Backend({ host: 'browser', dataDir, extraPortPatterns: [] })
  const [clientSide, serverSide] = createProtocolPair()
  const server = new RpcServer(serverSide, backend.handlers, backend.onEvent, 10)
  const client = new RpcClient(clientSide)
  open.push(backend, server, client)
  const jobs = new Map<string, FlashJob>()
  let devices: Device[] = []
  client.on('flash.job', (job) => job.type !== 'warning' && jobs.set(job.jobId, job))
  client.on('devices.changed', (list) => (devices = list))
  return { backend, client, jobs, devices: () => devices }
}

async function until<T>(what: string, check: () => T | undefined, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = check()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

async function finished(session: Session, jobId: string): Promise<FlashJob> {
  return until(`job ${jobId}`, () => {
    const job = session.jobs.get(jobId)
    return job && ['done', 'failed', 'cancelled'].includes(job.type) ? job : undefined
  })
}

function request<K extends Parameters<RpcClient['request']>[0]>(session: Session, method: K, params: RequestParams<K>): Promise<RequestResult<K>> {
  return session.client.request(method, params)
}

async function twin(): Promise<Twin> {
  const started = await startTwin({ chip: 'esp32', listen: 'rfc2217://127.0.0.1:0', wireTiming: false })
  twins.push(started)
  return started
}

function droppedBuild(): { path: string; base64: string }[] {
  const layout = esp32Build()
  const files: Record<string, Uint8Array> = { ...layout.files, 'flasher_args.json': new TextEncoder().encode(flasherArgsJson('dash', layout, { flashSize: '4MB' })) }
  return Object.entries(files).map(([name, bytes]) => ({ path: `build/${name}`, base64: bytesToBase64(bytes) }))
}

/** The other way to write a link: upper-case scheme, a trailing slash. */
const respelled = (url: string) => `${url.replace('rfc2217://', 'RFC2217://')}/`

const siteA = { staSsid: 'Farm office', staPassword: 'wifi-secret-a1', apSsid: 'Sensors A', apPassword: 'iot-secret-33' }
const siteB = { staSsid: 'Barn', staPassword: 'wifi-secret-b2', apSsid: 'Sensors B', apPassword: 'iot-secret-44' }

describe('devices through the contract', () => {
  it('runs one operation per device whatever the spelling of its link', async () => {
    const session = connect(makeTempDir('pairkit-backend-busy-'))
    const board = await twin()
    const bundle = await request(session, 'bundle.load', { files: droppedBuild() })
    expect(bundle.ok).toBe(true)

    const first = await request(session, 'flash.start', { bundleId: bundle.bundleId, devices: [board.url] })
    const second = await request(session, 'flash.start', { bundleId: bundle.bundleId, devices: [respelled(board.url)] })
    expect(first.jobs).toEqual([{ deviceId: board.url, jobId: expect.any(String) }])
    expect(second.jobs).toEqual([{ deviceId: board.url, error: expect.objectContaining({ code: 'DEVICE_BUSY' }) }])
    expect(second.jobs[0]?.error?.message).toMatch(new RegExp(`^${board.url.replace(/[.:/]/g, '\\$&')} is being flashed since \\d\\d:\\d\\d:\\d\\d; wait for it to finish or cancel it$`))
    await until('the device shown busy', () => session.devices().find((device) => device.id === board.url && device.busy?.operation === 'flash'))
    await expect(request(session, 'devices.probe', { deviceId: respelled(board.url) })).rejects.toThrow(/is being flashed since/)
    await expect(request(session, 'devices.forget', { deviceId: board.url })).rejects.toThrow(/is being flashed since/)

    const done = await finished(session, first.jobs[0]?.jobId as string)
    expect(done.type, JSON.stringify(done)).toBe('done')
    // The same link twice in one request is one job; the device is free again.
    const both = await request(session, 'flash.start', { bundleId: bundle.bundleId, devices: [board.url, respelled(board.url)] })
    expect(both.jobs).toHaveLength(1)
    await finished(session, both.jobs[0]?.jobId as string)
    expect((await request(session, 'devices.list', {})).map((device) => device.id)).toEqual([board.url])
  })

  it('probes, flashes and provisions two devices, and all of it survives a restart', async () => {
    const dataDir = makeTempDir('pairkit-backend-day-')
    const session = connect(dataDir)
    const [boardA, boardB] = [await twin(), await twin()]

    // Devices: probe both; they become known devices.
    for (const board of [boardA, boardB]) {
      const { jobId } = await request(session, 'devices.probe', { deviceId: board.url })
      expect((await finished(session, jobId)).type).toBe('done')
    }
    const known = await request(session, 'devices.list', {})
    expect(known.map((device) => [device.id, device.presence, device.facts?.chip])).toEqual([[boardA.url, 'reachable', 'esp32'], [boardB.url, 'reachable', 'esp32']])
    expect(known[0]?.facts?.firmware).toBeUndefined()

    // Flash: the device ids from the list are the targets; the probe after the flash finds the app.
    const bundle = await request(session, 'bundle.load', { files: droppedBuild() })
    const flashed = await request(session, 'flash.start', { bundleId: bundle.bundleId, devices: known.map((device) => device.id) })
    for (const job of flashed.jobs) expect((await finished(session, job.jobId as string)).type).toBe('done')
    const afterFlash = await until('the probe after the flash', () => {
      const list = session.devices()
      return list.length === 2 && list.every((device) => device.facts?.firmware) ? list : undefined
    })
    expect(afterFlash.map((device) => device.facts?.firmware?.partition)).toEqual(['factory', 'factory'])
    expect(afterFlash.map((device) => device.busy)).toEqual([undefined, undefined])

    // Configure: a pair, written to both devices, roles 1 and 2.
    const pair = await request(session, 'config.pair', { siteA, siteB })
    const results: ProvisionResult[] = []
    for (const [board, role] of [[boardA, 1], [boardB, 2]] as const) {
      const { jobId } = await request(session, 'devices.provision', { deviceId: respelled(board.url), pairId: pair.pairId, role })
      const done = await finished(session, jobId)
      expect(done, JSON.stringify(done)).toMatchObject({ type: 'done', operation: 'provision', deviceId: board.url })
      results.push(ProvisionResultSchema.parse((done as Extract<FlashJob, { type: 'done' }>).result))
    }
    for (const [index, result] of results.entries()) {
      expect(result).toMatchObject({ partition: { name: 'nvs', offset: 0x9000, size: 0x6000 }, pair: { pairId: pair.pairId, role: index + 1 }, readBack: { differences: [], comparedWith: { pairId: pair.pairId, side: index === 0 ? 'a' : 'b' } } })
      expect(result.probe?.config?.config).toMatchObject({ pairId: pair.pairId, role: index + 1 })
    }
    for (const [board, side] of [[boardA, 'a'], [boardB, 'b']] as const) {
      const image = base64ToBytes((await request(session, 'config.nvsImage', { pairId: pair.pairId, side })).base64) as Uint8Array
      expect(Buffer.from(board.device.flash.read(0x9000, 0x6000)).equals(Buffer.from(image))).toBe(true)
    }
    const cards = await until('both cards with the pair', () => {
      const list = session.devices()
      return list.every((device) => device.facts?.pairId === pair.pairId) ? list : undefined
    })
    expect(cards.map((device) => device.facts?.role)).toEqual([1, 2])
    for (const secret of ['wifi-secret-a1', 'wifi-secret-b2', 'iot-secret-33']) expect(JSON.stringify(cards) + JSON.stringify(results)).not.toContain(secret)

    const history = await request(session, 'history.list', {})
    // Newest first; the two flashes ran side by side and may have ended in either order.
    expect(history.slice(0, 2).map((entry) => [entry.operation, entry.outcome, entry.deviceId])).toEqual([
      ['provision', 'done', boardB.url],
      ['provision', 'done', boardA.url],
    ])
    expect(history.slice(2).map((entry) => [entry.operation, entry.outcome, entry.deviceId]).sort()).toEqual([
      ['flash', 'done', boardA.url],
      ['flash', 'done', boardB.url],
    ].sort())
    const flashOfA = history.find((entry) => entry.operation === 'flash' && entry.deviceId === boardA.url)
    expect(flashOfA).toMatchObject({ bundle: { name: bundle.source, sha256: bundle.sha256 }, chip: 'esp32', mac: cards[0]?.facts?.mac })
    expect(flashOfA?.regions.map((region) => region.offset)).toEqual([0x1000, 0x8000, 0x10000])
    expect(history[1]).toMatchObject({ pair: { pairId: pair.pairId, role: 1 }, regions: [{ offset: 0x9000, size: 0x6000, name: 'nvs' }] })
    await request(session, 'ui.setState', { key: 'flash.selected', value: [boardA.url, boardB.url] })

    // Restart: the same data folder, a new backend. Passwords were in memory only.
    session.backend.dispose()
    const again = connect(dataDir)
    const devices = await request(again, 'devices.list', {})
    expect(devices.map((device) => [device.id, device.presence, device.facts?.pairId, device.facts?.role])).toEqual([
      [boardA.url, 'unknown', pair.pairId, 1],
      [boardB.url, 'unknown', pair.pairId, 2],
    ])
    expect((await request(again, 'history.list', {})).map((entry) => entry.id)).toEqual(history.map((entry) => entry.id))
    expect(await request(again, 'bundle.current', {})).toMatchObject({ bundleId: bundle.bundleId, sha256: bundle.sha256, ok: true })
    expect((await request(again, 'ui.getState', {})).values).toEqual({ 'flash.selected': [boardA.url, boardB.url] })
    const pairs = await request(again, 'config.pairs', {})
    expect(pairs).toMatchObject([{ pairId: pair.pairId, passwords: 'missing' }])

    // Without the passwords nothing is written; given again, the device is provisioned.
    const before = boardA.device.flash.read(0, 4 << 20)
    let refused: unknown
    try {
      await request(again, 'devices.provision', { deviceId: boardA.url, pairId: pair.pairId, role: 1 })
    } catch (error) {
      refused = error
    }
    expect(refused).toBeInstanceOf(PairKitError)
    expect((refused as PairKitError).message).toBe(`the passwords of pair ${pair.pairId} were kept in memory only and were lost when PairKit restarted: enter them again in Configure`)
    expect(Buffer.from(boardA.device.flash.read(0, 4 << 20)).equals(Buffer.from(before))).toBe(true)
    await request(again, 'config.setPasswords', { pairId: pair.pairId, a: { staPassword: siteA.staPassword, apPassword: siteA.apPassword }, b: { staPassword: siteB.staPassword, apPassword: siteB.apPassword }, turnPassword: '' })
    // The flash still holds the bundle restored from the data folder: flash it again by its id.
    const reflash = await request(again, 'flash.start', { bundleId: bundle.bundleId, devices: [boardA.url] })
    expect((await finished(again, reflash.jobs[0]?.jobId as string)).type).toBe('done')
    const { jobId } = await request(again, 'devices.provision', { deviceId: boardA.url, pairId: pair.pairId, role: 1 })
    expect((await finished(again, jobId)).type).toBe('done')
  })

  it('marks a remote link that does not answer as unreachable, saying why', async () => {
    const session = connect(makeTempDir('pairkit-backend-gone-'))
    const { jobId } = await request(session, 'devices.probe', { deviceId: 'rfc2217://127.0.0.1:1/' })
    expect((await finished(session, jobId)).type).toBe('failed')
    const device = await until('the device marked', () => session.devices().find((item) => item.id === 'rfc2217://127.0.0.1:1' && item.presence === 'unreachable'))
    expect(device).toMatchObject({ presenceDetail: expect.stringMatching(/nothing listens at rfc2217:\/\/127\.0\.0\.1:1/), lastProbe: { ok: false, error: { code: 'PORT_NOT_FOUND' } } })
  })

  it('flashes an NVS image dropped alone, at the offset chosen for it, with no chip to name', async () => {
    const session = connect(makeTempDir('pairkit-backend-placed-'))
    const board = await twin()
    const pair = await request(session, 'config.pair', { siteA, siteB })
    const image = (await request(session, 'config.nvsImage', { pairId: pair.pairId, side: 'b' })).base64
    const bundle = await request(session, 'bundle.load', { files: [{ path: 'b-nvs.bin', base64: image }], placements: [{ path: 'b-nvs.bin', offset: 0x9000 }] })
    expect(bundle).toMatchObject({ ok: true, problems: [], parts: [{ offset: 0x9000, kind: 'data', placed: true }] })
    expect(bundle.chip).toBeUndefined()
    const { jobs } = await request(session, 'flash.start', { bundleId: bundle.bundleId, devices: [board.url] })
    expect((await finished(session, jobs[0]?.jobId as string)).type).toBe('done')
    expect(Buffer.from(board.device.flash.read(0x9000, 0x6000)).equals(Buffer.from(base64ToBytes(image) as Uint8Array))).toBe(true)
  })
})
