// The browser host: serves the built renderer over HTTP and the backend over a
// WebSocket, both on 127.0.0.1 only. Every WebSocket must present the per-run token
// and come from a page of this same origin, so no other local page can drive it.
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { WebSocketServer, type WebSocket } from 'ws'
import { Emitter } from '../../common/event'
import { DisposableStore, toDisposable } from '../../common/lifecycle'
import type { MessageProtocol } from '../../common/rpc/protocol'
import { RpcServer } from '../../common/rpc/server'
import type { Backend } from '../backend'

export const WS_PATH = '/rpc'
/** A frame larger than this is refused: the largest message is a dropped firmware bundle. */
export const MAX_WS_MESSAGE_BYTES = 64 * 1024 * 1024

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
}

export interface WebHostOptions {
  backend: Backend
  /** Folder with the built renderer (index.html and assets). */
  rendererDir: string
  port?: number
  token?: string
}

export interface WebHost {
  readonly url: string
  readonly port: number
  readonly token: string
  close(): Promise<void>
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? randomBytes(24).toString('base64url')
  const store = new DisposableStore()
  const root = path.resolve(options.rendererDir)

  const server = http.createServer((req, res) => void serveStatic(root, req, res))
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WS_MESSAGE_BYTES })

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const origin = req.headers.origin
    const expectedOrigin = `http://${req.headers.host ?? ''}`
    if (url.pathname !== WS_PATH || !sameToken(url.searchParams.get('token'), token) || (origin !== undefined && origin !== expectedOrigin)) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n')
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => connect(ws))
  })

  function connect(ws: WebSocket): void {
    const onMessage = new Emitter<unknown>()
    const protocol: MessageProtocol = {
      send: (message) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message))
      },
      onMessage: onMessage.event,
    }
    const rpc = new RpcServer(protocol, options.backend.handlers, options.backend.onEvent)
    const connection = store.add(toDisposable(() => {
      rpc.dispose()
      onMessage.dispose()
      ws.terminate()
    }))
    ws.on('message', (data, isBinary) => {
      let message: unknown
      try {
        message = JSON.parse(isBinary ? '' : data.toString('utf8'))
      } catch {
        message = { kind: 'unparseable' }
      }
      onMessage.fire(message)
    })
    ws.on('close', () => connection.dispose())
    ws.on('error', () => connection.dispose())
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    async close() {
      store.dispose()
      wss.close()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeAllConnections()
    },
  }
}

function sameToken(given: string | null, expected: string): boolean {
  if (given === null) return false
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

async function serveStatic(root: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405).end()
    return
  }
  const url = new URL(req.url ?? '/', 'http://127.0.0.1')
  let relative: string
  try {
    relative = decodeURIComponent(url.pathname)
  } catch {
    res.writeHead(400).end()
    return
  }
  if (relative.endsWith('/')) relative += 'index.html'
  const file = path.resolve(root, '.' + path.posix.normalize(relative))
  if (!file.startsWith(root + path.sep)) {
    res.writeHead(403).end()
    return
  }
  const info = await stat(file).catch(() => undefined)
  if (!info?.isFile()) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found')
    return
  }
  res.writeHead(200, {
    'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
    'content-length': info.size,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-cache',
  })
  if (req.method === 'HEAD') res.end()
  else createReadStream(file).pipe(res)
}
