// `pairkit web` started again on the same port and data folder: the tab's token still opens a
// WebSocket (so the page reconnects by itself), and the records made before are there.
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { freePort } from '../../support/free-port'
import { spawnPairkit, stopProcess, waitForLine } from '../../support/processes'
import { makeTempDir } from '../../support/temp-dir'

const dir = makeTempDir('pairkit-web-restart-')
const renderer = path.join(dir, 'renderer')
mkdirSync(renderer, { recursive: true })
writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>PairKit</title>')
const dataDir = path.join(dir, 'data')

async function startWeb(args: string[]): Promise<{ url: string; dataDir: string; stop: () => Promise<void> }> {
  const child = spawnPairkit(['web', '--json', ...args], { env: { ...process.env, PAIRKIT_RENDERER_DIR: renderer } })
  const [line] = await waitForLine(child.stdout!, /^\{.*"url".*\}$/, 120_000)
  const printed = JSON.parse(line) as { url: string; dataDir: string }
  return { ...printed, stop: () => stopProcess(child) }
}

/** Opens the backend's WebSocket with a token and sends one request; resolves with the answer. */
function ask(port: number, token: string, method: string, params: unknown): Promise<{ ok: boolean; result?: unknown; error?: { message: string } }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/rpc?token=${encodeURIComponent(token)}`)
    ws.once('open', () => ws.send(JSON.stringify({ kind: 'request', id: 1, method, params })))
    ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as { kind: string; ok: boolean; result?: unknown; error?: { message: string } }
      if (message.kind !== 'response') return
      ws.close()
      resolve(message)
    })
    ws.once('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)))
    ws.once('error', reject)
  })
}

const tokenOf = (url: string) => new URL(url).searchParams.get('token') as string

describe('pairkit web restarted', () => {
  it('accepts the same token on the same port and keeps the records in the data folder', async () => {
    const port = await freePort()
    const first = await startWeb(['--port', String(port), '--data-dir', dataDir])
    expect(first.dataDir).toBe(dataDir)
    const token = tokenOf(first.url)
    expect(await ask(port, token, 'devices.add', { link: 'rfc2217://127.0.0.1:4000/' })).toMatchObject({ ok: true, result: { id: 'rfc2217://127.0.0.1:4000' } })
    await first.stop()

    const second = await startWeb(['--port', String(port), '--data-dir', dataDir])
    try {
      expect(tokenOf(second.url)).toBe(token)
      const listed = await ask(port, token, 'devices.list', {})
      expect(listed).toMatchObject({ ok: true, result: [{ id: 'rfc2217://127.0.0.1:4000', presence: 'unknown' }] })
      await expect(ask(port, 'not-the-token', 'devices.list', {})).rejects.toThrow(/HTTP 403/)
    } finally {
      await second.stop()
    }
  })

  it('makes a new token every run on a free port', async () => {
    const first = await startWeb(['--data-dir', dataDir])
    await first.stop()
    const second = await startWeb(['--data-dir', dataDir])
    await second.stop()
    expect(tokenOf(second.url)).not.toBe(tokenOf(first.url))
  })
})
