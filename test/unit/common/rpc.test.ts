// The contract suite over an in-memory transport: the same client and server code the
// Electron IPC and the browser host's WebSocket carry.
import { afterEach, describe, expect, it } from 'vitest'
import type { ContractEvent, ContractHandlers } from '../../../src/common/contract'
import { PairKitError } from '../../../src/common/errors'
import { Emitter } from '../../../src/common/event'
import { RpcClient, type RpcClientOptions } from '../../../src/common/rpc/client'
import { createProtocolPair } from '../../../src/common/rpc/memory-protocol'
import type { MessageProtocol } from '../../../src/common/rpc/protocol'
import { RpcServer } from '../../../src/common/rpc/server'

const PORT = { path: '/dev/ttyUSB0', vendorId: '10c4', productId: 'ea60', bridge: 'Silicon Labs CP210x', likelyEsp32: true, source: 'system' as const }

function setup(overrides: Partial<ContractHandlers> = {}, clientOptions: RpcClientOptions = {}) {
  const calls: string[] = []
  // Only the handlers these tests call; the rest of the contract is not needed here.
  const handlers = {
    'app.info': () => {
      calls.push('app.info')
      return { name: 'PairKit', version: '1.2.3', host: 'browser', platform: 'linux-x64' }
    },
    'ports.list': () => {
      calls.push('ports.list')
      return [PORT]
    },
    ...overrides,
  } as ContractHandlers
  const events = new Emitter<ContractEvent>()
  const [clientSide, serverSide] = createProtocolPair()
  const sent: unknown[] = []
  const recordingServerSide: MessageProtocol = {
    send: (message) => {
      sent.push(message)
      serverSide.send(message)
    },
    onMessage: serverSide.onMessage,
  }
  const server = new RpcServer(recordingServerSide, handlers, events.event, 10)
  const client = new RpcClient(clientSide, clientOptions)
  disposables.push(server, client)
  return { client, clientSide, events, calls, sent }
}

const disposables: { dispose(): void }[] = []
afterEach(() => disposables.splice(0).forEach((item) => item.dispose()))

describe('RPC over the contract', () => {
  it('answers a request with the handler result', async () => {
    const { client, calls } = setup()
    await expect(client.request('ports.list', {})).resolves.toEqual([PORT])
    expect(calls).toEqual(['ports.list'])
  })

  it('rejects params that do not match the schema before any handler runs', async () => {
    const { client, calls } = setup()
    // Deliberately wrong at run time, as a hostile or buggy page would send it.
    const bad = { unexpected: 1 } as unknown as Record<string, never>
    await expect(client.request('ports.list', bad)).rejects.toMatchObject({ code: 'INVALID_REQUEST' })
    expect(calls).toEqual([])
  })

  it('answers malformed envelopes and unknown methods with a validation error', async () => {
    const { clientSide, calls } = setup()
    const answers: unknown[] = []
    clientSide.onMessage((message) => answers.push(message))
    clientSide.send({ kind: 'request', id: 7, method: 'fs.readFile', params: {} })
    clientSide.send({ kind: 'request', id: 'x' })
    clientSide.send('garbage')
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(answers).toHaveLength(3)
    expect(answers[0]).toMatchObject({ kind: 'response', id: 7, ok: false, error: { code: 'INVALID_REQUEST' } })
    expect(answers[1]).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } })
    expect(answers[2]).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } })
    expect(calls).toEqual([])
  })

  it('carries a PairKitError across with its code and hint', async () => {
    const { client } = setup({
      'ports.list': () => {
        throw new PairKitError('PORT_BUSY', 'port busy: another program has /dev/ttyUSB0 open')
      },
    })
    const error = await client.request('ports.list', {}).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(PairKitError)
    expect(error).toMatchObject({ code: 'PORT_BUSY', message: 'port busy: another program has /dev/ttyUSB0 open' })
    expect((error as PairKitError).hint).toMatch(/Close the other program/)
  })

  it('refuses a handler result that breaks the contract', async () => {
    const { client } = setup({ 'ports.list': () => [{ path: 42 }] as never })
    await expect(client.request('ports.list', {})).rejects.toMatchObject({ code: 'INTERNAL' })
  })

  it('batches a burst of events into few messages, in order', async () => {
    const { client, events, sent } = setup()
    const received: number[] = []
    client.on('app.log', (event) => received.push(event.time))
    for (let i = 0; i < 500; i++) events.fire({ name: 'app.log', payload: { level: 'info', message: `line ${i}`, time: i } })
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(received).toEqual([...Array(500).keys()])
    const batches = sent.filter((message) => (message as { kind: string }).kind === 'events')
    expect(batches.length).toBeLessThanOrEqual(2)
  })

  it('drops events whose payload breaks the contract', async () => {
    const { client, events } = setup()
    const received: unknown[] = []
    client.on('ports.changed', (ports) => received.push(ports))
    events.fire({ name: 'ports.changed', payload: [{ nope: true }] as never })
    events.fire({ name: 'ports.changed', payload: [PORT] })
    await new Promise((resolve) => setTimeout(resolve, 40))
    expect(received).toEqual([[PORT]])
  })
})

describe('request time limits', () => {
  it('rejects a request that gets no answer within its limit, and forgets it', async () => {
    // A handler that never answers: the server is alive, the answer never comes.
    const { client } = setup(
      { 'ports.list': () => new Promise(() => {}), 'flash.jobs': () => [] },
      {
        timeoutMs: (method) => (method === 'ports.list' ? 50 : undefined),
        timeoutError: (method, ms) => new PairKitError('TIMEOUT', `${method} took longer than ${ms} ms`),
      },
    )
    const started = Date.now()
    await expect(client.request('ports.list', {})).rejects.toMatchObject({ code: 'TIMEOUT', message: 'ports.list took longer than 50 ms' })
    expect(Date.now() - started).toBeGreaterThanOrEqual(45)
    // A request without a limit still gets its answer.
    await expect(client.request('flash.jobs', {})).resolves.toEqual([])
  })

  it('does not time out a request that is answered in time', async () => {
    const { client } = setup({}, { timeoutMs: () => 1000 })
    await expect(client.request('ports.list', {})).resolves.toEqual([PORT])
  })
})
