// The browser host with a real Backend, a real HTTP server and real WebSockets.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { toDisposable } from '../../../src/common/lifecycle'
import { Backend } from '../../../src/main/backend'
import { MAX_CONNECTIONS, startWebHost, type WebHost } from '../../../src/main/host/web-host'
import { makeTempDir } from '../../support/temp-dir'

let host: WebHost
let backend: Backend
const calls: string[] = []
/** Subscriptions to the backend's events: one per live RpcServer. */
let eventSubscriptions = 0

beforeAll(async () => {
  const dir = makeTempDir('pairkit-web-')
  const renderer = path.join(dir, 'renderer')
  mkdirSync(path.join(renderer, 'assets'), { recursive: true })
  writeFileSync(path.join(renderer, 'index.html'), `<!doctype html><meta http-equiv="Content-Security-Policy" content="connect-src 'self'" /><title>PairKit</title>`)
  writeFileSync(path.join(dir, 'secret.txt'), 'outside the renderer')
  // A file whose every read fails (EIO, Linux's /proc/self/mem at offset 0): what a file that
  // vanishes or breaks mid-request gives the host.
  symlinkSync('/proc/self/mem', path.join(renderer, 'assets', 'unreadable.js'))
  mkdirSync(path.join(renderer, 'assets', 'folder.js'))
  backend = new Backend({ host: 'browser', extraPortPatterns: [] })
  const list = backend.handlers['ports.list']
  backend.handlers['ports.list'] = (input) => {
    calls.push('ports.list')
    return list(input)
  }
  const events = backend.onEvent
  ;(backend as { onEvent: Backend['onEvent'] }).onEvent = (listener) => {
    eventSubscriptions++
    const subscription = events(listener)
    return toDisposable(() => {
      eventSubscriptions--
      subscription.dispose()
    })
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

/** A plain HTTP request with headers fetch() will not set (Host). */
function get(pathname: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: host.port, path: pathname, headers }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
      res.on('error', reject)
    })
    req.on('error', reject)
  })
}

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

function closed(ws: WebSocket): Promise<void> {
  return new Promise((resolve) => {
    if (ws.readyState === ws.CLOSED) resolve()
    else ws.once('close', () => resolve())
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

  it('answers 500 for a file that cannot be read, and keeps serving', async () => {
    const broken = await get('/assets/unreadable.js')
    expect(broken.status).toBe(500)
    expect(broken.body).not.toContain('/proc')
    expect((await get('/assets/folder.js')).status).toBe(404)
    expect((await get('/assets/missing.js')).status).toBe(404)
    expect((await get('/')).status).toBe(200)
  })

  it('answers only to 127.0.0.1 and localhost in the Host header (no DNS rebinding)', async () => {
    const rebound = await get('/', { host: `evil.example:${host.port}` })
    expect(rebound.status).toBe(421)
    expect(rebound.body).not.toContain('PairKit</title>')
    expect(rebound.body).toContain(`http://127.0.0.1:${host.port}/`)
    expect((await get('/', { host: `127.0.0.1:${host.port + 1}` })).status).toBe(421)
    expect((await get('/', { host: `LOCALHOST:${host.port}` })).status).toBe(200)
    await expect(open(rpcUrl(host.token), { host: `evil.example:${host.port}` })).rejects.toThrow('HTTP 421')
    await expect(open(rpcUrl(host.token), { host: `evil.example:${host.port}`, origin: `http://evil.example:${host.port}` })).rejects.toThrow('HTTP 421')
    const ws = await open(rpcUrl(host.token), { host: `localhost:${host.port}`, origin: `http://localhost:${host.port}` })
    ws.close()
  })

  it('sends its CSP as a header, with frame-ancestors and its own WebSocket address', async () => {
    const index = await get('/')
    const policy = String(index.headers['content-security-policy'])
    expect(policy).toMatch(/frame-ancestors 'none'/)
    expect(policy).toMatch(new RegExp(`connect-src 'self' ws://127\\.0\\.0\\.1:${host.port}(;|$)`))
    expect(index.headers['referrer-policy']).toBe('no-referrer')
    // The meta policy is the Electron window's (no WebSocket); the host puts its own there.
    expect(index.body).toContain(`http-equiv="Content-Security-Policy" content="${policy?.replace("; frame-ancestors 'none'", '')}"`)
    expect((await get('/', { host: `localhost:${host.port}` })).headers['content-security-policy']).toMatch(new RegExp(`connect-src 'self' ws://localhost:${host.port}(;|$)`))
  })

  it('refuses a WebSocket without the right token or from another origin', async () => {
    await expect(open(rpcUrl('wrong-token'))).rejects.toThrow('HTTP 403')
    await expect(open(`ws://127.0.0.1:${host.port}/rpc`)).rejects.toThrow('HTTP 403')
    for (const origin of ['http://evil.example', `http://evil.example:${host.port}`, `http://127.0.0.1:${host.port + 1}`, `https://127.0.0.1:${host.port}`, 'null']) {
      await expect(open(rpcUrl(host.token), { origin })).rejects.toThrow('HTTP 403')
    }
    for (const origin of [`http://127.0.0.1:${host.port}`, `http://localhost:${host.port}`]) (await open(rpcUrl(host.token), { origin })).close()
  })

  it('releases each connection\'s RpcServer when its socket closes', async () => {
    await until(() => host.connectionCount === 0)
    const subscriptionsBefore = eventSubscriptions
    for (let round = 0; round < 20; round++) {
      const sockets = await Promise.all(Array.from({ length: 10 }, () => open(rpcUrl(host.token))))
      expect(host.connectionCount).toBe(10)
      for (const ws of sockets) ws.close()
      await Promise.all(sockets.map(closed))
    }
    await until(() => host.connectionCount === 0)
    expect(eventSubscriptions).toBe(subscriptionsBefore)
  })

  it(`refuses the WebSocket beyond ${MAX_CONNECTIONS} with a clear status, and takes one again when a tab closes`, async () => {
    await until(() => host.connectionCount === 0)
    const sockets = await Promise.all(Array.from({ length: MAX_CONNECTIONS }, () => open(rpcUrl(host.token))))
    const refused = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const ws = new WebSocket(rpcUrl(host.token))
      ws.once('unexpected-response', (_req, res) => {
        let body = ''
        res.on('data', (chunk: Buffer) => (body += chunk.toString()))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
      })
      ws.once('open', () => reject(new Error('opened beyond the cap')))
    })
    expect(refused.status).toBe(503)
    expect(refused.body).toMatch(/close one and reload/)
    const first = sockets.shift() as WebSocket
    first.close()
    await closed(first)
    await until(() => host.connectionCount === MAX_CONNECTIONS - 1)
    sockets.push(await open(rpcUrl(host.token)))
    for (const ws of sockets) ws.close()
    await Promise.all(sockets.map(closed))
  })

  it('answers a valid request', async () => {
    const ws = await open(rpcUrl(host.token), { origin: `http://127.0.0.1:${host.port}` })
    const answer = nextMessage(ws, (message) => message.kind === 'response')
    ws.send(JSON.stringify({ kind: 'request', id: 1, method: 'app.info', params: {} }))
    expect(await answer).toMatchObject({ id: 1, ok: true, result: { name: 'PairKit', host: 'browser', secrets: { storage: 'memory', reason: expect.stringMatching(/browser host/) } } })
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
