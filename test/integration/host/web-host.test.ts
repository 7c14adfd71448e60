// The browser host with a real Backend, a real HTTP server and real WebSockets.
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { Backend } from '../../../src/main/backend'
import { startWebHost, type WebHost } from '../../../src/main/host/web-host'
import { makeTempDir } from '../../support/temp-dir'

let host: WebHost
let backend: Backend
const calls: string[] = []

beforeAll(async () => {
  const dir = makeTempDir('pairkit-web-')
  const renderer = path.join(dir, 'renderer')
  mkdirSync(path.join(renderer, 'assets'), { recursive: true })
  writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>PairKit</title>')
  writeFileSync(path.join(dir, 'secret.txt'), 'outside the renderer')
  backend = new Backend({ host: 'browser', extraPortPatterns: [] })
  const list = backend.handlers['ports.list']
  backend.handlers['ports.list'] = (input) => {
    calls.push('ports.list')
    return list(input)
  }
  host = await startWebHost({ backend, rendererDir: renderer })
})

afterAll(async () => {
  await host?.close()
  backend?.dispose()
})

function open(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers })
    ws.once('open', () => resolve(ws))
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)))
    ws.once('error', reject)
  })
}

function nextMessage(ws: WebSocket, predicate: (message: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const message = JSON.parse(data.toString()) as Record<string, unknown>
      if (predicate(message)) {
        ws.off('message', onMessage)
        resolve(message)
      }
    }
    ws.on('message', onMessage)
  })
}

const rpcUrl = (token: string) => `ws://127.0.0.1:${host.port}/rpc?token=${encodeURIComponent(token)}`

describe('browser host', () => {
  it('prints a URL on 127.0.0.1 with the token', () => {
    expect(host.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${host.port}/\\?token=[A-Za-z0-9_-]{32}$`))
  })

  it('serves the renderer and nothing outside it', async () => {
    const index = await fetch(`http://127.0.0.1:${host.port}/`)
    expect(index.status).toBe(200)
    expect(await index.text()).toContain('<title>PairKit</title>')
    const escape = await fetch(`http://127.0.0.1:${host.port}/..%2fsecret.txt`)
    expect([403, 404]).toContain(escape.status)
    expect(await escape.text()).not.toContain('outside the renderer')
  })

  it('refuses a WebSocket without the right token or from another origin', async () => {
    await expect(open(rpcUrl('wrong-token'))).rejects.toThrow('HTTP 403')
    await expect(open(`ws://127.0.0.1:${host.port}/rpc`)).rejects.toThrow('HTTP 403')
    await expect(open(rpcUrl(host.token), { origin: 'http://evil.example' })).rejects.toThrow('HTTP 403')
  })

  it('answers a valid request', async () => {
    const ws = await open(rpcUrl(host.token), { origin: `http://127.0.0.1:${host.port}` })
    const answer = nextMessage(ws, (message) => message.kind === 'response')
    ws.send(JSON.stringify({ kind: 'request', id: 1, method: 'app.info', params: {} }))
    expect(await answer).toMatchObject({ id: 1, ok: true, result: { name: 'PairKit', host: 'browser' } })
    ws.close()
  })

  it('answers malformed messages with a validation error, without reaching a service', async () => {
    const ws = await open(rpcUrl(host.token))
    const before = calls.length
    const malformed = [
      'not json at all',
      JSON.stringify({ kind: 'request', id: 2, method: 'ports.list', params: { path: '/etc/passwd' } }),
      JSON.stringify({ kind: 'request', id: 3, method: 'ports.list', params: 'x' }),
      JSON.stringify({ kind: 'request', id: 4, method: '__proto__', params: {} }),
      JSON.stringify({ kind: 'request', id: -1, method: 'ports.list' }),
    ]
    const answers: Record<string, unknown>[] = []
    const all = new Promise<void>((resolve) => {
      ws.on('message', (data) => {
        const message = JSON.parse(data.toString()) as Record<string, unknown>
        if (message.kind === 'response') answers.push(message)
        if (answers.length === malformed.length) resolve()
      })
    })
    for (const text of malformed) ws.send(text)
    await all
    for (const answer of answers) expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } })
    expect(calls.length).toBe(before)
    ws.close()
  })
})
