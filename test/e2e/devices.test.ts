// The real renderer against the real backend through the browser host: a serial port
// that appears while the page is open shows in Devices, and goes when it goes.
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from '../support/browser'
import { spawnPairkit, waitForLine } from '../support/processes'
import { createPtyPair } from '../support/pty'
import { makeTempDir } from '../support/temp-dir'

const portsDir = makeTempDir('pairkit-e2e-ports-')
let browser: Browser
let page: Page
let url: string
const consoleErrors: string[] = []

beforeAll(async () => {
  const host = spawnPairkit(['web', '--json'], { env: { ...process.env, PAIRKIT_EXTRA_PORTS: path.join(portsDir, 'ttyPK*'), PAIRKIT_DATA_DIR: makeTempDir('pairkit-e2e-devices-data-') } })
  const [line] = await waitForLine(host.stdout!, /^\{.*"url".*\}$/, 30_000)
  url = (JSON.parse(line) as { url: string }).url
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1100, height: 640 } })
  page.on('console', (message) => message.type() === 'error' && consoleErrors.push(message.text()))
  page.on('pageerror', (error) => consoleErrors.push(error.message))
})

afterAll(async () => {
  await browser?.close()
})

describe('Devices view', () => {
  it('shows the navigation with every view built, none marked as still to come', async () => {
    await page.goto(url)
    const nav = page.getByRole('navigation', { name: 'Main' })
    for (const label of ['Devices', 'Flash', 'Configure', 'Commission', 'Monitor', 'ICE', 'Traffic', 'Lab']) {
      await expect(nav.getByRole('link', { name: new RegExp(`^${label}( \\d+ ports?)?$`) }).count()).resolves.toBe(1)
    }
    await expect(nav.getByTestId('nav-coming').count()).resolves.toBe(0)
    // In the order of the work: Commission comes after Configure and before the views that watch a pair.
    const order = await nav.getByRole('link').allInnerTexts()
    expect(order.map((text) => text.split('\n')[0]?.replace(/\s*\d+ ports?$/, '').trim()).slice(2, 5)).toEqual(['Configure', 'Commission', 'Monitor'])
    // Each is a view of its own, with its own controls.
    for (const [label, control] of [['Commission', 'commission-start'], ['Monitor', 'monitor-target'], ['ICE', 'ice-target'], ['Lab', 'lab-chip']] as const) {
      await nav.getByRole('link', { name: label, exact: true }).click()
      await page.getByRole('heading', { level: 1, name: label, exact: true }).waitFor()
      await page.getByTestId(control).waitFor()
    }
    await nav.getByRole('link', { name: /Devices/ }).click()
    await page.getByRole('heading', { level: 1, name: 'Devices' }).waitFor()
  })

  it('shows a pseudo-terminal port created while the page is open, and removes it when it goes', async () => {
    const row = (file: string) => page.locator(`[data-testid="port-row"][data-path="${file}"]`)
    const pair = await createPtyPair(path.join(portsDir, 'ttyPK0'), path.join(portsDir, 'ttyPK1'))
    try {
      await row(pair.a).waitFor({ state: 'visible', timeout: 5_000 })
      await row(pair.b).waitFor({ state: 'visible', timeout: 5_000 })
      expect(await row(pair.a).innerText()).toContain('watched path')
    } finally {
      await pair.close()
    }
    await row(pair.a).waitFor({ state: 'detached', timeout: 5_000 })
    await row(pair.b).waitFor({ state: 'detached', timeout: 5_000 })
  })

  it('shows the error of a mistyped network address under the box, and keeps what was typed', async () => {
    const box = page.getByTestId('probe-remote')
    await box.fill('socket://nohost')
    await page.getByTestId('probe-remote-go').click()
    const error = page.getByTestId('probe-remote-error')
    await error.waitFor()
    expect(await error.innerText()).toMatch(/^socket:\/\/nohost is not a port address PairKit can open\.\s+Use socket:\/\/HOST:PORT or rfc2217:\/\/HOST:PORT/)
    expect(await box.inputValue()).toBe('socket://nohost')
    expect(await box.getAttribute('aria-invalid')).toBe('true')
    // Next to the box: right under it, not at the top of the page.
    const [boxArea, errorArea] = [await box.boundingBox(), await error.boundingBox()]
    expect(errorArea!.y - (boxArea!.y + boxArea!.height)).toBeLessThan(24)
    expect(errorArea!.y).toBeGreaterThan(boxArea!.y)
    // Fixing the typo takes the message away; nothing was probed.
    await box.press('End')
    await box.type(':4000')
    await error.waitFor({ state: 'detached' })
    await expect(page.getByTestId('device-card').count()).resolves.toBe(0)
  })

  it('runs under the strict Content-Security-Policy without errors', () => {
    expect(consoleErrors).toEqual([])
  })
})
