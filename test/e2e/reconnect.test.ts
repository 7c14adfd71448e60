// The browser page when its background service goes away: a notice at the top while it
// cannot reach it, a request made meanwhile fails at once with a sentence, and once the
// service is back (restarted on the same port with the same data folder, so the tab's token
// is still good) the notice goes and the page fetches its state again — here a serial port
// that appeared while the service was down.
import type { ChildProcess } from 'node:child_process'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from '../support/browser'
import { freePort } from '../support/free-port'
import { spawnPairkit, stopProcess, waitForLine } from '../support/processes'
import { createPtyPair, type PtyPair } from '../support/pty'
import { makeTempDir } from '../support/temp-dir'

const dataDir = makeTempDir('pairkit-e2e-reconnect-data-')
const portsDir = makeTempDir('pairkit-e2e-reconnect-ports-')
let port: number
let host: ChildProcess
let browser: Browser
let page: Page
let pty: PtyPair | undefined
const consoleErrors: string[] = []

/** `pairkit web` on the fixed port, with its data folder; resolves with the URL it prints. */
async function startHost(): Promise<string> {
  host = spawnPairkit(['web', '--port', String(port), '--json'], {
    env: { ...process.env, PAIRKIT_DATA_DIR: dataDir, PAIRKIT_EXTRA_PORTS: path.join(portsDir, 'ttyRC*') },
  })
  const [line] = await waitForLine(host.stdout!, /^\{.*"url".*\}$/, 30_000)
  return (JSON.parse(line) as { url: string }).url
}

beforeAll(async () => {
  port = await freePort()
  const url = await startHost()
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
  page.on('pageerror', (error) => consoleErrors.push(error.message))
  await page.goto(url)
  await page.getByRole('heading', { level: 1, name: 'Devices' }).waitFor()
})

afterAll(async () => {
  await pty?.close()
  await browser?.close()
})

describe('reconnecting to the background service', () => {
  it('shows no notice while connected', async () => {
    await page.locator('[data-testid="ports-table"], [data-testid="no-ports"]').first().waitFor()
    await expect(page.getByTestId('connection-banner').count()).resolves.toBe(0)
  })

  it('shows the notice at the top when the service stops', async () => {
    await stopProcess(host)
    const banner = page.getByTestId('connection-banner')
    await banner.waitFor({ timeout: 10_000 })
    expect(await banner.innerText()).toMatch(/^PairKit's background service is not answering — reconnecting…/)
    expect((await banner.boundingBox())?.y).toBe(0)
  })

  it('fails a request made meanwhile at once, with a sentence, next to what asked', async () => {
    await page.getByTestId('probe-remote').fill('rfc2217://127.0.0.1:9')
    const asked = Date.now()
    await page.getByTestId('probe-remote-go').click()
    await expect(page.getByTestId('probe-remote-error').innerText()).resolves.toMatch(/PairKit's background service is not answering\.\s+Wait until the notice at the top of the page goes away, then try again\./)
    expect(Date.now() - asked).toBeLessThan(5_000)
  })

  it('reconnects by itself once the service is back, and fetches the ports again', async () => {
    // A port appears while the service is down: only a fresh list can show it.
    pty = await createPtyPair(path.join(portsDir, 'ttyRC0'), path.join(portsDir, 'ttyRC1'))
    await startHost()
    await page.getByTestId('connection-banner').waitFor({ state: 'detached', timeout: 15_000 })
    await page.locator(`[data-testid="port-row"][data-path="${pty.a}"]`).waitFor({ timeout: 10_000 })
    // And requests work again: the probe runs and fails on the closed port, not on the connection.
    await page.getByTestId('probe-remote-go').click()
    const card = page.locator('[data-testid="device-card"][data-device="rfc2217://127.0.0.1:9"]')
    await card.getByTestId('device-probe-error').waitFor({ timeout: 30_000 })
    expect(await card.getByTestId('device-probe-error').innerText()).not.toMatch(/background service/)
    expect(consoleErrors).toEqual([])
  })
})
