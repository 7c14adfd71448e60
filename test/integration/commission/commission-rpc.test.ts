// The commission.* requests through the backend's RPC, as the page sends them: bad input gets
// its sentence before anything runs; a commissioning of two twins reports every step as
// commission.state events and ends commissioned; its report, printable page and support bundle
// come back through the contract with no password of the pair in them; and after a restart of
// the backend the records, the report, the bundle and the pair's history are all still there.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { unzipSync } from 'fflate'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { base64ToBytes, bytesToBase64 } from '../../../src/common/base64'
import type { CommissionState } from '../../../src/common/commission/steps'
import type { RequestParams, RequestResult } from '../../../src/common/contract'
import { RpcClient } from '../../../src/common/rpc/client'
import { createProtocolPair } from '../../../src/common/rpc/memory-protocol'
import { RpcServer } from '../../../src/common/rpc/server'
import { Backend } from '../../../src/main/backend'
import { makeTempDir } from '../../support/temp-dir'
import { SECRETS, siteSettings, startCommissionLab, type CommissionLab } from './support/two-twins'

interface Session {
  backend: Backend
  client: RpcClient
  states: CommissionState[]
  close(): Promise<void>
}

function connect(dataDir: string): Session {
  const backend = new Backend({ host: 'browser', dataDir, extraPortPatterns: [] })
  const [clientSide, serverSide] = createProtocolPair()
  const server = new RpcServer(serverSide, backend.handlers, backend.onEvent, 10)
  const client = new RpcClient(clientSide)
  const states: CommissionState[] = []
  client.on('commission.state', (state) => states.push(state))
  return {
    backend,
    client,
    states,
    close: async () => {
      client.dispose()
      server.dispose()
      await backend.commissioning.dispose()
      backend.dispose()
    },
  }
}

function request<K extends Parameters<RpcClient['request']>[0]>(session: Session, method: K, params: RequestParams<K>): Promise<RequestResult<K>> {
  return session.client.request(method, params)
}

async function failure(work: Promise<unknown>): Promise<{ code: string; message: string; hint?: string }> {
  try {
    await work
  } catch (error) {
    return error as { code: string; message: string; hint?: string }
  }
  throw new Error('the request succeeded')
}

function expectNoSecret(text: string, where: string): void {
  for (const secret of Object.values(SECRETS)) expect(text.includes(secret), `${secret} in ${where}`).toBe(false)
}

async function until<T>(what: string, check: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = check()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** The lab's build folder as the page drops it (bundle.load). */
function droppedBuild(lab: CommissionLab): { path: string; base64: string }[] {
  const names = ['flasher_args.json', 'bootloader/bootloader.bin', 'partition_table/partition-table.bin', 'serverless_mqtt.bin']
  return names.map((name) => ({ path: `build/${name}`, base64: bytesToBase64(readFileSync(path.join(lab.buildDir, name))) }))
}

describe('commission.* through the RPC', () => {
  let lab: CommissionLab
  let dataDir: string
  let session: Session
  let pairId: string
  let commissionId: string
  let done: CommissionState

  beforeAll(async () => {
    lab = await startCommissionLab(makeTempDir('pairkit-commission-rpc-'))
    dataDir = makeTempDir('pairkit-commission-rpc-data-')
    session = connect(dataDir)
    pairId = (await request(session, 'config.pair', siteSettings(lab) as RequestParams<'config.pair'>)).pairId
  }, 30_000)
  afterAll(async () => {
    await session?.close()
    await lab?.close()
  })

  it('refuses bad input before anything runs, each with what to do', async () => {
    const bundle = await request(session, 'bundle.load', { files: droppedBuild(lab) })
    const same = await failure(request(session, 'commission.start', { a: lab.a.url, b: lab.a.url, pairId, bundleId: bundle.bundleId }))
    expect(same).toMatchObject({ code: 'BAD_INPUT', hint: 'Choose two different devices.' })
    const malformed = await failure(session.client.request('commission.start', { a: lab.a.url, b: lab.b.url, pairId: 'NOT A PAIR', bundleId: bundle.bundleId }))
    expect(malformed.code).toBe('INVALID_REQUEST')
    const broker = await failure(session.client.request('commission.start', { a: lab.a.url, b: lab.b.url, pairId, bundleId: bundle.bundleId, siteAMqtt: 'http://10.0.0.1' }))
    expect(broker.code).toBe('INVALID_REQUEST')
    const unknown = await failure(request(session, 'commission.report', { commissionId: 'com-nothere' }))
    expect(unknown).toMatchObject({ code: 'NOT_FOUND' })
    expect(unknown.hint).toBeTruthy()
    expect(await failure(request(session, 'commission.supportBundle', { commissionId: 'com-nothere' }))).toMatchObject({ code: 'NOT_FOUND' })
    expect(await failure(request(session, 'commission.resume', { commissionId: 'com-nothere' }))).toMatchObject({ code: 'NOT_FOUND' })
    // Nothing was started: no state was pushed, no record kept.
    expect(session.states).toEqual([])
    expect(await request(session, 'commission.records', {})).toEqual([])
  })

  it('commissions two twins, pushing each step as commission.state', async () => {
    const bundle = await request(session, 'bundle.current', {})
    ;({ commissionId } = await request(session, 'commission.start', { a: lab.a.url, b: lab.b.url, pairId, bundleId: bundle?.bundleId as string, notes: 'cabinet 7' }))
    done = await until('the commissioning to stop', () => session.states.find((state) => state.commissionId === commissionId && state.status !== 'running'), 150_000)
    expect(done.status, JSON.stringify(done.steps, null, 1)).toBe('done')
    // Every step was seen running before it ended, in order.
    const seenRunning = [...new Set(session.states.flatMap((state) => state.steps.filter((step) => step.status === 'running').map((step) => step.id)))]
    expect(seenRunning).toEqual(['firmware', 'provision', 'reset', 'boot', 'sync', 'connect', 'bridge-test', 'report'])
    expect(done.reportId).toBeTruthy()
  }, 160_000)

  it('answers the records, the report and the support bundle, with no password in any of them', async () => {
    const records = await request(session, 'commission.records', { pairId })
    expect(records.map((record) => [record.state.commissionId, record.state.status, record.report?.outcome])).toEqual([[commissionId, 'done', 'commissioned']])
    const { report, html } = await request(session, 'commission.report', { commissionId })
    expect(report.notes).toBe('cabinet 7')
    expect(report.bridgeTest?.pass).toBe(true)
    expectNoSecret(JSON.stringify(report), 'the report')
    expectNoSecret(html, 'the printable report')
    expect(html).toContain(pairId)
    const zip = await request(session, 'commission.supportBundle', { commissionId })
    expect(zip.fileName).toBe(`pairkit-commissioning-${pairId}-${commissionId}-support.zip`)
    const entries = unzipSync(base64ToBytes(zip.base64) as Uint8Array)
    expect(Object.keys(entries)).toEqual(expect.arrayContaining(['report.json', 'report.html', 'a/events.jsonl', 'b/events.jsonl']))
    for (const [name, bytes] of Object.entries(entries)) expectNoSecret(Buffer.from(bytes).toString('latin1'), name)
  })

  it("keeps the records, the report, the bundle and the pair's history across a restart of the backend", async () => {
    await session.close()
    session = connect(dataDir)
    const [record] = await request(session, 'commission.records', { pairId })
    expect(record?.state).toEqual(done)
    expect((await request(session, 'commission.report', { commissionId })).report.reportId).toBe(done.reportId)
    expect((await request(session, 'commission.supportBundle', { commissionId })).base64.length).toBeGreaterThan(100)
    const history = await request(session, 'history.list', { pairId })
    expect(history.map((entry) => `${entry.operation} ${entry.pair?.role}`)).toEqual(expect.arrayContaining(['commission 1', 'commission 2', 'bridge-test 1', 'bridge-test 2', 'provision 1', 'provision 2']))
  })
})
