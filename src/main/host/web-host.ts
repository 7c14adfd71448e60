// The browser host: serves the built renderer over HTTP and the backend over a
// WebSocket, both on 127.0.0.1 only. Every request must name the host as 127.0.0.1 or
// localhost (no DNS rebinding); every WebSocket must present the per-run token and come
// from a page of this host, so no other local page or web site can drive it.
import { timingSafeEqual } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import path from 'node:path'
import { WebSocketServer, type WebSocket } from 'ws'
import { Emitter } from '../../common/event'
import type { IDisposable } from '../../common/lifecycle'
import type { MessageProtocol } from '../../common/rpc/protocol'
import { RpcServer } from '../../common/rpc/server'
import type { Backend } from '../backend'
import { browserHostContentSecurityPolicy, withMetaPolicy } from '../security'
import { allowedOrigins, checkedHost } from './allowed-hosts'
import { serveStatic } from './static-files'
import { newWebToken } from './web-token'

export const WS_PATH = '/rpc'
/** A frame larger than this is refused: the largest message is a dropped firmware bundle. */
export const MAX_WS_MESSAGE_BYTES = 64 * 1024 * 1024
/**
 * Open WebSockets at most. A technician uses one or two tabs, and a reload opens the new
 * socket before the old one has closed; 16 leaves room for that while bounding what
 * a runaway page can hold (each socket may buffer a frame of up to 64 MiB).
 */
export const MAX_CONNECTIONS = 16

export interface WebHostOptions {
  backend: Backend
  /** Folder with the built renderer (index.html and assets). */
  rendererDir: string
  port?: number
  /** The token a WebSocket must present; a new random one by default (see web-token.ts for a kept one). */
  token?: string
}

export interface WebHost {
  readonly url: string
  readonly port: number
  readonly token: string
  /** Open WebSockets, each with its RpcServer. */
  readonly connectionCount: number
  close(): Promise<void>
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? newWebToken()
  const connections = new Set<IDisposable>()
  const root = path.resolve(options.rendererDir)
  let port = 0

  const server = http.createServer((req, res) => {
    const host = checkedHost(req.headers.host, port)
    if (!host) {
      res.writeHead(421, { 'content-type': 'text/plain; charset=utf-8' }).end(wrongHostMessage(port))
      return
    }
    const policy = browserHostContentSecurityPolicy(host)
    const headers = { 'content-security-policy': policy, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' }
    serveStatic(root, req, res, { headers, rewriteHtml: (html) => withMetaPolicy(html, policy) }).catch(() => {
      if (!res.headersSent) res.writeHead(500).end()
      else res.destroy()
    })
  })
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WS_MESSAGE_BYTES })

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const origin = req.headers.origin
    if (!checkedHost(req.headers.host, port)) return refuse(socket, 421, 'Misdirected Request', wrongHostMessage(port))
    if (url.pathname !== WS_PATH || !sameToken(url.searchParams.get('token'), token) || (origin !== undefined && !allowedOrigins(port).has(origin))) {
      return refuse(socket, 403, 'Forbidden', 'open PairKit from the address it printed (with its token)')
    }
    if (connections.size >= MAX_CONNECTIONS) {
      return refuse(socket, 503, 'Service Unavailable', `PairKit is already open in ${MAX_CONNECTIONS} tabs or windows; close one and reload`)
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
      backlogBytes: () => ws.bufferedAmount,
    }
    const rpc = new RpcServer(protocol, options.backend.handlers, options.backend.onEvent)
    let open = true
    const connection: IDisposable = {
      dispose() {
        if (!open) return
        open = false
        connections.delete(connection)
        rpc.dispose()
        onMessage.dispose()
        ws.terminate()
      },
    }
    connections.add(connection)
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
  port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    get connectionCount() {
      return connections.size
    },
    async close() {
      for (const connection of [...connections]) connection.dispose()
      wss.close()
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeAllConnections()
      await closed
    },
  }
}

function wrongHostMessage(port: number): string {
  return `PairKit answers only at http://127.0.0.1:${port}/ or http://localhost:${port}/`
}

function refuse(socket: Duplex, status: number, reason: string, message: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(message)}\r\nConnection: close\r\n\r\n${message}`)
}

function sameToken(given: string | null, expected: string): boolean {
  if (given === null) return false
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}
