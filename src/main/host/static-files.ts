// The browser host's file server: the built renderer, nothing outside its folder.
// Each file is opened once and read through that one handle, so a file replaced or
// removed meanwhile cannot crash the host; a read that fails answers 500.
import { open } from 'node:fs/promises'
import type http from 'node:http'
import path from 'node:path'

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

export interface StaticResponse {
  /** Sent with every answer. */
  headers: Record<string, string>
  /** Applied to every HTML page before it is sent. */
  rewriteHtml(html: string): string
}

export async function serveStatic(root: string, req: http.IncomingMessage, res: http.ServerResponse, { headers, rewriteHtml }: StaticResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, headers).end()
    return
  }
  const url = new URL(req.url ?? '/', 'http://127.0.0.1')
  let relative: string
  try {
    relative = decodeURIComponent(url.pathname)
  } catch {
    res.writeHead(400, headers).end()
    return
  }
  if (relative.endsWith('/')) relative += 'index.html'
  const file = path.resolve(root, '.' + path.posix.normalize(relative))
  if (!file.startsWith(root + path.sep)) {
    res.writeHead(403, headers).end()
    return
  }
  const handle = await open(file, 'r').catch(() => undefined)
  if (!handle) {
    res.writeHead(404, { ...headers, 'content-type': 'text/plain; charset=utf-8' }).end('not found')
    return
  }
  try {
    const info = await handle.stat()
    if (!info.isFile()) {
      res.writeHead(404, { ...headers, 'content-type': 'text/plain; charset=utf-8' }).end('not found')
      return
    }
    const extension = path.extname(file)
    let body = await handle.readFile()
    if (extension === '.html') body = Buffer.from(rewriteHtml(body.toString('utf8')))
    res.writeHead(200, {
      ...headers,
      'content-type': CONTENT_TYPES[extension] ?? 'application/octet-stream',
      'content-length': String(body.length),
      'cache-control': 'no-cache',
    })
    res.end(req.method === 'HEAD' ? undefined : body)
  } catch {
    if (!res.headersSent) res.writeHead(500, { ...headers, 'content-type': 'text/plain; charset=utf-8' }).end(`could not read ${url.pathname}`)
    else res.destroy()
  } finally {
    await handle.close().catch(() => undefined)
  }
}
