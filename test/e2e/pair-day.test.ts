// A technician's day with two boards, in the page: probe both in Devices, flash both from
// Flash by ticking them (their links are never typed again), make a pair, write site A to one
// from the pair in Configure and site B to the other from its card in Devices — and both
// cards show the pair with roles 1 and 2 from the probe PairKit ran by itself after writing.
// Then the Devices view is photographed in both themes.
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from '../support/browser'
import { screenshotPath } from '../support/screenshots'
import { makeTempDir } from '../support/temp-dir'
import { createPair, deviceCard, go, probeInDevices, startTwin, startWeb, waitProbed, writeBuildZip, writeFromConfigure } from './technician'

const dir = makeTempDir('pairkit-e2e-day-')
const PASSWORDS = { a: 'day-secret-wifi-a', b: 'day-secret-wifi-b', iot: 'day-secret-iot-1' }
let browser: Browser
let page: Page
let twinA: string
let twinB: string
let pairId: string

beforeAll(async () => {
  ;[twinA, twinB] = await Promise.all([startTwin(path.join(dir, 'a.bin')), startTwin(path.join(dir, 'b.bin'))])
  const web = await startWeb(makeTempDir('pairkit-e2e-day-data-'))
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
  await page.goto(web.url)
})

afterAll(async () => {
  await browser?.close()
})

describe('a pair of devices, from probe to pair settings', () => {
  it('probes both twins in Devices: each gets a card with its chip and MAC', async () => {
    for (const url of [twinA, twinB]) {
      const card = await probeInDevices(page, url)
      expect(await card.getByTestId('device-chip').innerText()).toMatch(/ESP32/)
      expect(await card.getByTestId('device-mac').innerText()).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/)
      expect(await card.getByTestId('device-presence').innerText()).toBe('reachable')
      // Empty flash: nothing to run, no settings.
      expect(await card.getByTestId('device-firmware').innerText()).toMatch(/^none \(no partition table/)
    }
  })

  it('flashes both from Flash by ticking them, and each is probed again by itself', async () => {
    await go(page, 'flash')
    await page.getByTestId('file-input').setInputFiles(writeBuildZip(dir))
    await page.getByTestId('bundle-ok').waitFor()
    for (const url of [twinA, twinB]) {
      const target = page.locator(`[data-testid="target"][data-device="${url}"]`)
      expect(await target.innerText()).toMatch(/ESP32.*\n?.*([0-9a-f]{2}:){5}[0-9a-f]{2}/s)
      await page.getByTestId(`target-${url}`).check()
    }
    await expect(page.getByTestId('start-flash').innerText()).resolves.toBe('Flash 2 devices')
    await page.getByTestId('start-flash').click()
    await page.getByTestId('run-summary').getByText('2 of 2 written and verified').waitFor({ timeout: 90_000 })
    for (const url of [twinA, twinB]) {
      const job = page.locator(`[data-testid="flash-job"][data-port="${url}"]`)
      expect(await job.getByTestId('job-reprobe').innerText()).toMatch(/^Probed again: ESP32.*, running hello-world .*, no pair settings\.$/)
    }
  })

  it('writes site A to one device from the pair in Configure, and shows what was read back', async () => {
    pairId = await createPair(page, PASSWORDS)
    const run = await writeFromConfigure(page, pairId, 'a', twinA)
    expect(await run.getAttribute('data-state')).toBe('done')
    expect(await run.getByTestId('provision-written').innerText()).toMatch(/^Written to the nvs partition at 0x9000 \(24\.0 KiB\), verified by MD5; nothing else on the device was touched\.$/)
    expect(await run.getByTestId('provision-reprobe').innerText()).toContain(`pair ${pairId}, site A (role 1)`)
    expect(await run.getByTestId('read-back-match').innerText()).toBe(`The device holds exactly the intended settings of pair ${pairId} (site A).`)
  })

  it('writes site B to the other device from its card in Devices', async () => {
    await go(page, 'devices')
    const card = deviceCard(page, twinB)
    await card.getByTestId('device-write-pair').click()
    await card.getByTestId('provision-pair').selectOption(pairId)
    await card.getByTestId('provision-role-2').check()
    await card.getByTestId('provision-write').click()
    const run = card.getByTestId('provision-run')
    await run.and(page.locator('[data-state="done"]')).waitFor({ timeout: 60_000 })
    expect(await run.getByTestId('read-back-match').innerText()).toBe(`The device holds exactly the intended settings of pair ${pairId} (site B).`)
  })

  it('shows the pair id with roles 1 and 2 on the two cards, from the probe after the write', async () => {
    for (const [url, role, side] of [[twinA, '1', 'A'], [twinB, '2', 'B']] as const) {
      const card = await waitProbed(page, url)
      const pair = card.getByTestId('device-pair')
      expect(await pair.getAttribute('data-pair')).toBe(pairId)
      expect(await pair.getAttribute('data-role')).toBe(role)
      expect(await pair.innerText()).toBe(`${pairId}, site ${side} (role ${role})`)
      expect(await card.getByTestId('device-firmware').innerText()).toMatch(/^hello-world /)
    }
    // Flash lists them with their sides too.
    await go(page, 'flash')
    expect(await page.locator(`[data-testid="target"][data-device="${twinA}"]`).getByTestId('target-role').innerText()).toBe('site A')
    expect(await page.locator(`[data-testid="target"][data-device="${twinB}"]`).getByTestId('target-role').innerText()).toBe('site B')
  })

  it('lists every write in the history, per device, with the firmware\'s SHA-256 and the pair', async () => {
    await go(page, 'devices')
    for (const [url, side] of [[twinA, 'A'], [twinB, 'B']] as const) {
      const device = page.locator(`[data-testid="history-device"][data-device="${url}"]`)
      const [settings, firmware] = await device.getByTestId('history-entry').allInnerTexts()
      expect(settings).toMatch(new RegExp(`Pair settings\\s+done\\s+pair ${pairId}, site ${side} \\(role ${side === 'A' ? 1 : 2}\\)`))
      expect(firmware).toMatch(/Firmware\s+done\s+build\.zip SHA-256 [0-9a-f]{12}…/)
    }
    const html = await page.content()
    for (const secret of Object.values(PASSWORDS)) expect(html).not.toContain(secret)
  })

  it('photographs Devices with the two provisioned twins, light and dark', async () => {
    for (const url of [twinA, twinB]) {
      const close = deviceCard(page, url).getByTestId('provision-close')
      if (await close.count()) await close.click()
    }
    await page.evaluate('window.scrollTo(0, 0)')
    await page.mouse.move(0, 0)
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme })
      await page.screenshot({ path: screenshotPath(`devices-${scheme}.png`) })
    }
    await page.emulateMedia({ colorScheme: 'light' })
  })
})
