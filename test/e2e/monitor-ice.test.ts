// Live diagnostics in the page, with twins that run the bridge firmware on this computer: a pair
// made in Configure (signalling on a local mosquitto, STUN on a local coturn), its NVS images
// downloaded and put into two twins' flash, both probed. The Monitor view opens both consoles side
// by side and shows their boot logs; the ICE view shows both devices connected, their candidates,
// the pairs and the selected one. A twin whose STUN server does not answer gets the "no srflx"
// diagnosis with what to do. Neither view needs more from the page's security policy than the
// rest of the app (no inline style). Screenshots of both views, light and dark, at two sizes, none
// with a password in it; `npm run screenshots` makes two of them the README's pictures.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { configToNvsImage, defaultConfig } from '../../src/common/config'
import { launchChromium } from '../support/browser'
import { checkScreenshotPath, screenshotPath } from '../support/screenshots'
import { makeTempDir } from '../support/temp-dir'
import { freeUdpPort, startMosquitto, startStun, writeBridgeFlash } from './bridge-lab'
import { go, probeInDevices, startTwin, startWeb } from './technician'

const dir = makeTempDir('pairkit-e2e-monitor-ice-')
const SIZES = [
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
] as const
let browser: Browser
let page: Page
let signallingUrl: string
let stunPort: number
const violations: string[] = []

beforeAll(async () => {
  const [mosquitto, stun, web] = await Promise.all([startMosquitto(dir), startStun(dir), startWeb(makeTempDir('pairkit-e2e-monitor-ice-data-'))])
  signallingUrl = mosquitto.url
  stunPort = stun.port
  browser = await launchChromium()
  page = await browser.newPage({ viewport: SIZES[0], colorScheme: 'light', acceptDownloads: true })
  page.on('console', (message) => message.type() === 'error' && /Content Security Policy/i.test(message.text()) && violations.push(message.text()))
  await page.goto(web.url)
})

afterAll(async () => {
  await browser?.close()
})

/** The console of one device in the Monitor view. */
function consolePane(url: string): Locator {
  return page.locator(`[data-testid="console-pane"][data-device="${url}"]`)
}

/** Waits until searching the console for `text` finds it. */
async function consoleShows(url: string, text: string, timeout = 30_000): Promise<void> {
  const pane = consolePane(url)
  await pane.getByTestId('console-search').fill(text)
  await expect.poll(async () => pane.getByTestId('console-matches').innerText(), { timeout }).toMatch(/^\d+ match/)
}

/**
 * Where a console's newest line is: `below`, how far the end of its lines lies under the view's
 * bottom edge (0 while it follows, more once scrolled up); `lastRowGap`, how far the last row drawn
 * ends above that edge (0 when the newest line is on screen at the bottom).
 */
async function newestLine(log: Locator): Promise<{ below: number; lastRowGap: number }> {
  return log.evaluate((view) => {
    const bottom = view.getBoundingClientRect().top + view.clientTop + view.clientHeight
    const end = view.firstElementChild?.getBoundingClientRect().bottom ?? Number.NaN
    const last = [...view.querySelectorAll('.console-row')].filter((row) => row.textContent !== '').at(-1)
    return { below: Math.round(end - bottom), lastRowGap: Math.round(bottom - (last?.getBoundingClientRect().bottom ?? Number.NEGATIVE_INFINITY)) }
  })
}

/** A view as photographed: at its top, no pointer over a control. */
async function showForPhoto(view: 'monitor' | 'ice'): Promise<void> {
  await go(page, view)
  // The picture shows the pair at work: after the signalling test's fresh handshake, both sides connected again.
  if (view === 'ice') await expect.poll(() => page.getByTestId('ice-side-state').allInnerTexts(), { timeout: 30_000 }).toEqual(['connected', 'connected'])
  await page.evaluate('window.scrollTo(0, 0)')
  await page.mouse.move(0, 0)
}

/** Nothing in the page as shown, consoles included, holds one of the pair's passwords. */
async function expectNoPassword(where: string): Promise<void> {
  const html = await page.content()
  for (const secret of ['live-secret-A1', 'live-secret-B2', 'live-secret-iot']) expect(html, where).not.toContain(secret)
}

async function download(name: string): Promise<Uint8Array> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name, exact: true }).click()])
  return new Uint8Array(readFileSync(await file.path()))
}

describe('a pair of twins in the Monitor and ICE views', () => {
  let twinA: string
  let twinB: string
  let pairId: string

  beforeAll(async () => {
    // The pair, made in Configure with this computer's broker and STUN server.
    await go(page, 'configure')
    for (const [field, value] of [['a-staSsid', 'Farm-Office'], ['a-staPassword', 'live-secret-A1'], ['a-apSsid', 'Sensors'], ['a-apPassword', 'live-secret-iot'], ['b-staSsid', 'Barn-Uplink'], ['b-staPassword', 'live-secret-B2'], ['b-apSsid', 'Sensors'], ['b-apPassword', 'live-secret-iot'], ['shared-signallingUri', signallingUrl], ['shared-stunHost', '127.0.0.1'], ['shared-stunPort', String(stunPort)]] as const) {
      await page.getByTestId(field).fill(value)
    }
    await page.getByTestId('create-pair').click()
    await page.getByTestId('pair-row').first().waitFor()
    pairId = (await page.getByTestId('pair-row').first().getAttribute('data-pair')) as string
    const [nvsA, nvsB] = [await download('NVS A'), await download('NVS B')]
    ;[twinA, twinB] = await Promise.all([startTwin(writeBridgeFlash(path.join(dir, 'a.bin'), nvsA)), startTwin(writeBridgeFlash(path.join(dir, 'b.bin'), nvsB))])
    await go(page, 'devices')
    for (const url of [twinA, twinB]) await probeInDevices(page, url)
  }, 90_000)

  it('opens both consoles side by side and shows their boot logs, as the devices pair', async () => {
    await go(page, 'monitor')
    await page.getByTestId('monitor-target').selectOption(`pair:${pairId}`)
    await page.getByTestId('monitor-reset').check()
    await expect(page.getByTestId('monitor-open').innerText()).resolves.toBe('Open both monitors')
    await page.getByTestId('monitor-open').click()
    for (const url of [twinA, twinB]) {
      await expect.poll(() => consolePane(url).getByTestId('console-status').innerText(), { timeout: 20_000 }).toBe('open')
    }
    // Side by side: the same row, A on the left.
    const [boxA, boxB] = [await consolePane(twinA).boundingBox(), await consolePane(twinB).boundingBox()]
    expect(boxA?.y).toBe(boxB?.y)
    expect(boxA?.x).toBeLessThan(boxB?.x ?? 0)
    for (const url of [twinA, twinB]) {
      await consoleShows(url, '2nd stage bootloader')
      await consoleShows(url, 'Project name:     serverless_mqtt')
      await consoleShows(url, 'Peer is connected!')
      // The reset shows in the stream as PairKit's own line.
      await consoleShows(url, 'reset into the app')
      await consolePane(url).getByTestId('console-search').fill('')
    }
    // What follows the newest line is on screen: the last rows are the firmware's, coloured by level.
    await expect(consolePane(twinA).locator('.console-row.level-I').count()).resolves.toBeGreaterThan(3)
    const log = consolePane(twinA).getByTestId('console-log')
    await expect.poll(() => newestLine(log)).toEqual({ below: 0, lastRowGap: 0 })
    // Scrolling up pauses the console there; Follow brings the newest line back to the bottom.
    await log.hover()
    await page.mouse.wheel(0, -600)
    await consolePane(twinA).getByTestId('console-follow').waitFor({ timeout: 5_000 })
    await expect.poll(async () => (await newestLine(log)).below).toBeGreaterThan(300)
    await consolePane(twinA).getByTestId('console-follow').click()
    await consolePane(twinA).getByTestId('console-pause').waitFor({ timeout: 5_000 })
    await expect.poll(() => newestLine(log)).toEqual({ below: 0, lastRowGap: 0 })
  })

  it('shows both devices connected in the ICE view, each one\'s candidates received by the other, the pairs and the selected one', async () => {
    await go(page, 'ice')
    await page.getByTestId('ice-target').selectOption(`pair:${pairId}`)
    const sides = page.getByTestId('ice-side')
    for (const site of ['A', 'B']) {
      await expect.poll(() => sides.and(page.locator(`[data-site="${site}"]`)).getByTestId('ice-side-state').innerText(), { timeout: 30_000 }).toMatch(/^(connected|completed)$/)
    }
    for (const table of ['candidates-a', 'candidates-b']) {
      const rows = page.getByTestId(table).getByTestId('candidate')
      await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(2)
      expect((await rows.evaluateAll((items) => items.map((item) => item.getAttribute('data-type')))).sort()).toEqual(['host', 'srflx'])
      for (const text of await rows.allInnerTexts()) expect(text).toMatch(/^\S+\s+127\.0\.0\.1\s+\d+\s+\d+\s+received\s+\S+$/)
    }
    const pairs = page.getByTestId('candidate-pair')
    await expect.poll(() => pairs.count()).toBeGreaterThanOrEqual(1)
    const selected = page.locator('[data-testid="candidate-pair"][data-selected="true"]')
    await expect(selected.count()).resolves.toBe(1)
    expect(await selected.getByTestId('pair-selected').innerText()).toMatch(/^selected/)
    await expect(page.getByTestId('state-entry').and(page.locator('[data-state="connected"]')).count()).resolves.toBe(2)
    expect(await page.getByTestId('diagnosis').innerText()).not.toMatch(/\berror\b/)
  })

  it('shows the signalling as it passes when asked, and never answers for a device', async () => {
    await page.getByTestId('signalling-watch').click()
    await expect.poll(() => page.getByTestId('signalling-state').innerText(), { timeout: 10_000 }).toBe('watching')
    // A fresh handshake: both devices reset from the Monitor view pair again.
    await go(page, 'monitor')
    for (const url of [twinA, twinB]) await consolePane(url).getByTestId('console-close').click()
    for (const url of [twinA, twinB]) await expect.poll(() => consolePane(url).getByTestId('console-status').innerText()).toBe('closed')
    await page.getByTestId('monitor-open').click()
    await go(page, 'ice')
    const messages = page.getByTestId('signalling-message')
    await expect.poll(async () => (await messages.evaluateAll((items) => items.map((item) => item.getAttribute('data-kind')))).filter((kind) => kind === 'description').length, { timeout: 30_000 }).toBe(2)
    const texts = await messages.allInnerTexts()
    expect(texts.some((text) => /from site A\s+Site A asks whether site B is there \("0"\)/.test(text))).toBe(true)
    expect(texts.some((text) => /from site B\s+Site B answers that it is there \("1"\)/.test(text))).toBe(true)
    expect(texts.some((text) => /Site B's description: ufrag \S+, 2 candidates/.test(text))).toBe(true)
  })

  it('photographs the Monitor and ICE views, light and dark, with no password in them', async () => {
    // The README's pictures (monitor.png, ice.png): the pair at work, light, at full HD; the ICE view whole.
    await page.emulateMedia({ colorScheme: 'light' })
    await page.setViewportSize(SIZES[1])
    for (const view of ['monitor', 'ice'] as const) {
      await showForPhoto(view)
      await page.screenshot({ path: screenshotPath(`${view}.png`), fullPage: view === 'ice' })
      await expectNoPassword(view)
    }
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme })
      for (const size of SIZES) {
        await page.setViewportSize(size)
        for (const view of ['monitor', 'ice'] as const) {
          await showForPhoto(view)
          await page.screenshot({ path: checkScreenshotPath(`${view}-pair-${scheme}-${size.width}x${size.height}.png`) })
          await expectNoPassword(`${view} ${scheme} ${size.width}x${size.height}`)
        }
      }
    }
    await page.emulateMedia({ colorScheme: 'light' })
    await page.setViewportSize(SIZES[0])
    expect(violations).toEqual([])
  })
})

describe('a twin whose STUN server does not answer', () => {
  it('gets the "no srflx — STUN unreachable" diagnosis, with what to do', async () => {
    const closedPort = await freeUdpPort()
    const config = { ...defaultConfig(), role: 1 as const, pairId: 'c0ffee0000000001', signallingUri: signallingUrl, syncTopic: '/pairkit/e2e/nostun_', stunHost: '127.0.0.1', stunPort: closedPort, staSsid: 'Farm-Office', staPassword: 'nostun-secret-1', apSsid: 'Sensors', apPassword: 'nostun-secret-2' }
    const twin = await startTwin(writeBridgeFlash(path.join(dir, 'nostun.bin'), configToNvsImage(config, 0x6000)))
    await go(page, 'devices')
    await probeInDevices(page, twin)
    await go(page, 'ice')
    await page.getByTestId('ice-target').selectOption(`device:${twin}`)
    await page.getByTestId('ice-open-monitor').click()
    const finding = page.locator('[data-testid="finding"][data-finding="no-srflx"]')
    await finding.waitFor({ timeout: 40_000 })
    expect(await finding.getByTestId('finding-title').innerText()).toBe('No server-reflexive candidate: the STUN server 127.0.0.1 did not answer')
    expect(await finding.getByTestId('finding-action').innerText()).toMatch(/^Check that the network lets UDP out to the STUN server 127\.0\.0\.1 .*configure one the device can reach/)
    expect(await finding.innerText()).toMatch(/^warning/)
    await page.screenshot({ path: checkScreenshotPath('ice-no-srflx.png') })
    expect(violations).toEqual([])
  })
})
