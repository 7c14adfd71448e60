// The virtual lab in the page, against `pairkit web` as it ships (its twins run in the browser
// host's process). A fresh data folder offers "Try the virtual lab" in Devices, and one click
// starts the lab and shows it; once taken up the offer is gone for good. From the Lab view the
// lab starts without a fault, both virtual ESP32s get to connected, and "Open in ICE view" shows
// the pair connected on both sides. Staged with "STUN server unreachable", the lab runs on with
// the fault and the ICE view gives the "no srflx — STUN unreachable" diagnosis. The README's
// picture of the Lab view, ready, comes from here (`npm run screenshots -- test/e2e/lab.test.ts`).
import type { Browser, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from '../support/browser'
import { checkScreenshotPath, screenshotPath } from '../support/screenshots'
import { makeTempDir } from '../support/temp-dir'
import { go, startWeb } from './technician'

let browser: Browser
let page: Page
let url: string
const consoleErrors: string[] = []

beforeAll(async () => {
  const web = await startWeb(makeTempDir('pairkit-e2e-lab-data-'))
  url = web.url
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' })
  page.on('console', (message) => message.type() === 'error' && !/WebSocket|ERR_CONNECTION/i.test(message.text()) && consoleErrors.push(message.text()))
  page.on('pageerror', (error) => consoleErrors.push(error.message))
  await page.goto(url)
})

afterAll(async () => {
  await browser?.close()
})

const status = () => page.getByTestId('lab-status').getAttribute('data-status')

async function waitStatus(expected: string, timeout: number): Promise<void> {
  await expect.poll(status, { timeout, interval: 250 }).toBe(expected)
}

async function stopLab(): Promise<void> {
  await go(page, 'lab')
  if ((await page.getByTestId('lab-stop').count()) === 0) return
  await page.getByTestId('lab-stop').click()
  await waitStatus('stopped', 30_000)
}

// A test that failed half-way leaves the next one a stopped lab.
afterEach(async () => {
  if (page) await stopLab()
})

describe('the first run', () => {
  it('offers the virtual lab in Devices; one click starts it and shows it; then the offer is gone', async () => {
    await go(page, 'devices')
    const offer = page.getByTestId('lab-offer')
    await offer.waitFor({ timeout: 15_000 })
    expect(await offer.innerText()).toMatch(/Try the virtual lab/)
    await page.getByTestId('lab-offer-start').click()
    await page.getByRole('heading', { level: 1, name: 'Lab', exact: true }).waitFor()
    await expect.poll(status, { timeout: 15_000 }).toMatch(/^(starting|ready)$/)
    await stopLab()
    // Taken up once, never offered again: not after going back, not after a reload.
    await go(page, 'devices')
    await page.getByRole('heading', { level: 2, name: 'Known devices' }).waitFor()
    await page.reload()
    await go(page, 'devices')
    await page.getByRole('heading', { level: 2, name: 'Known devices' }).waitFor()
    await page.waitForTimeout(1000)
    await expect(page.getByTestId('lab-offer').count()).resolves.toBe(0)
  }, 60_000)
})

describe('the Lab view', () => {
  it('starts the lab without a fault, shows both virtual ESP32s connected, and opens the pair connected in the ICE view', async () => {
    await go(page, 'lab')
    await page.getByTestId('lab-chip').selectOption('esp32s3')
    await page.getByTestId('lab-fault').selectOption('')
    await page.getByTestId('lab-start').click()
    await waitStatus('ready', 150_000)
    expect(await page.getByTestId('lab-status').innerText()).toMatch(/^Ready/)
    const twins = page.getByTestId('lab-twin')
    await expect(twins.count()).resolves.toBe(2)
    for (const role of [1, 2]) {
      const twin = page.locator(`[data-testid="lab-twin"][data-role="${role}"]`)
      expect(await twin.getAttribute('data-step')).toBe('connected')
      expect(await twin.getByTestId('lab-twin-serial').innerText()).toMatch(/^rfc2217:\/\/127\.0\.0\.1:\d+$/)
      expect(await twin.getByTestId('lab-twin-mqtt').innerText()).toMatch(/^mqtt:\/\/127\.0\.0\.1:\d+$/)
    }
    expect(await page.getByTestId('lab-signalling').innerText()).toMatch(/^mqtt:\/\/127\.0\.0\.1:\d+$/)
    expect(await page.getByTestId('lab-stun').innerText()).toMatch(/^stun:127\.0\.0\.1:\d+$/)
    await page.evaluate('window.scrollTo(0, 0)')
    await page.mouse.move(0, 0)
    await page.screenshot({ path: screenshotPath('lab.png') })

    // The twins are devices like any board, with their pair and side.
    const serials = await page.getByTestId('lab-twin-serial').allInnerTexts()
    await go(page, 'devices')
    for (const serial of serials) await page.locator(`[data-testid="device-card"][data-device="${serial}"]`).waitFor()

    await go(page, 'lab')
    await page.getByTestId('lab-open-ice').click()
    await page.getByRole('heading', { level: 1, name: 'ICE', exact: true }).waitFor()
    const states = page.locator('[data-testid="ice-side"] [data-testid="ice-side-state"]')
    await expect.poll(async () => (await states.allInnerTexts()).join(','), { timeout: 60_000, interval: 250 }).toMatch(/^(connected|completed),(connected|completed)$/)
    expect(await page.locator('[data-testid="ice-side"]').evaluateAll((sides) => sides.map((side) => side.getAttribute('data-site')))).toEqual(['A', 'B'])
    await page.screenshot({ path: checkScreenshotPath('lab-ice-connected.png'), fullPage: true })
    await stopLab()
    expect(consoleErrors).toEqual([])
  }, 240_000)

  it('with "STUN server unreachable" runs on with the fault, and the ICE view gives the no-srflx diagnosis', async () => {
    await go(page, 'lab')
    await page.getByTestId('lab-fault').selectOption('stun-unreachable')
    expect(await page.locator('#lab-fault-note').innerText()).toMatch(/STUN server does not answer/)
    await page.getByTestId('lab-start').click()
    await waitStatus('fault', 150_000)
    expect(await page.getByTestId('lab-status').innerText()).toBe('Running with the fault "STUN server unreachable"')
    await page.getByTestId('lab-fault-running').waitFor()
    await page.getByTestId('lab-open-ice').click()
    await page.getByRole('heading', { level: 1, name: 'ICE', exact: true }).waitFor()
    const finding = page.locator('[data-testid="finding"][data-finding="no-srflx"]').first()
    await finding.waitFor({ timeout: 60_000 })
    expect(await finding.getByTestId('finding-title').innerText()).toBe('No server-reflexive candidate: the STUN server 127.0.0.1 did not answer')
    expect(await finding.getByTestId('finding-action').innerText()).toMatch(/^Check that the network lets UDP out to the STUN server 127\.0\.0\.1/)
    await page.screenshot({ path: checkScreenshotPath('lab-stun-unreachable.png'), fullPage: true })
    await stopLab()
    expect(consoleErrors).toEqual([])
  }, 240_000)
})
