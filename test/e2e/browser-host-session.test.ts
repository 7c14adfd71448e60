// The browser host's page in Chromium: the token leaves the address bar once the page
// has it and a reload still connects (sessionStorage); another site cannot frame the page;
// the page says where passwords are kept.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from '../support/browser'
import { spawnPairkit, waitForLine } from '../support/processes'
import { makeTempDir } from '../support/temp-dir'

/** The browser host as `pairkit web --json` announces it. */
let host: { url: string; port: string; token: string }
let browser: Browser
let page: Page
let framer: http.Server | undefined
const consoleErrors: string[] = []

beforeAll(async () => {
  const web = spawnPairkit(['web', '--json'], { env: { ...process.env, PAIRKIT_EXTRA_PORTS: '', PAIRKIT_DATA_DIR: makeTempDir('pairkit-e2e-session-data-') } })
  const [line] = await waitForLine(web.stdout!, /^\{.*"url".*\}$/, 30_000)
  const url = new URL((JSON.parse(line) as { url: string }).url)
  host = { url: url.href, port: url.port, token: url.searchParams.get('token') ?? '' }
  browser = await launchChromium()
  page = await browser.newPage()
  page.on('console', (message) => message.type() === 'error' && consoleErrors.push(message.text()))
  page.on('pageerror', (error) => consoleErrors.push(error.message))
})

afterAll(async () => {
  await browser?.close()
  await new Promise((resolve) => (framer ? framer.close(resolve) : resolve(undefined)))
})

/** Sends app.info over the page's own window.pairkit and resolves with the answer. */
function askAppInfo(target: Page): Promise<unknown> {
  return target.evaluate(
    () =>
      new Promise((resolve) => {
        const bridge = (globalThis as unknown as { pairkit: { send(message: unknown): void; onMessage(listener: (message: { kind: string; id?: number }) => void): void } }).pairkit
        bridge.onMessage((message) => message.kind === 'response' && message.id === 4242 && resolve(message))
        bridge.send({ kind: 'request', id: 4242, method: 'app.info', params: {} })
      }),
  )
}

describe('browser host session', () => {
  it('takes the token out of the address bar once loaded, keeping the view', async () => {
    await page.goto(`${host.url}#/configure`)
    await page.getByRole('heading', { name: 'Configure' }).waitFor()
    expect(await askAppInfo(page)).toMatchObject({ ok: true, result: { host: 'browser' } })
    expect(page.url()).toBe(`http://127.0.0.1:${host.port}/#/configure`)
    expect(await page.evaluate("sessionStorage.getItem('pairkit.token')")).toBe(host.token)
  })

  it('says that passwords are kept in memory only', async () => {
    await expect(page.getByTestId('secrets-memory-only').innerText()).resolves.toMatch(/in memory only: the browser host keeps nothing on disk/)
  })

  it('connects again after a reload, from the token kept for this tab', async () => {
    await page.reload()
    await page.getByRole('heading', { name: 'Configure' }).waitFor()
    expect(page.url()).not.toMatch(/token/)
    expect(await askAppInfo(page)).toMatchObject({ ok: true, result: { name: 'PairKit' } })
    expect(consoleErrors).toEqual([])
  })

  it('cannot be framed by a page of another origin', async () => {
    framer = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><iframe src="${host.url}"></iframe>`)
    })
    await new Promise<void>((resolve) => framer?.listen(0, '127.0.0.1', resolve))
    const other = await browser.newPage()
    try {
      await other.goto(`http://127.0.0.1:${(framer.address() as AddressInfo).port}/`)
      await other.waitForLoadState('load')
      const framed = other.frames().find((frame) => frame !== other.mainFrame())
      expect(framed).toBeDefined()
      // Chromium puts its own error page in the frame instead.
      expect(await framed?.evaluate('document.body.innerText')).not.toMatch(/PairKit|Devices/)
    } finally {
      await other.close()
    }
  })
})
