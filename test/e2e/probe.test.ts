// Probing from the Devices view: a virtual ESP32 whose flash holds a bootloader, a partition
// table, an app and bridge settings shows what it is, what it runs and how it is configured —
// without its passwords.
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { configToNvsImage, defaultConfig } from '../../src/common/config'
import { launchChromium } from '../support/browser'
import { spawnPairkit, waitForLine } from '../support/processes'
import { esp32Build } from '../unit/bundle/build-fixtures'
import { screenshotPath } from '../support/screenshots'
import { makeTempDir } from '../support/temp-dir'

const WIFI_PASSWORD = 'probe-secret-wifi'
let browser: Browser
let page: Page
let twinUrl: string

beforeAll(async () => {
  const dir = makeTempDir('pairkit-e2e-probe-')
  const flash = new Uint8Array(4 << 20).fill(0xff)
  const build = esp32Build()
  flash.set(build.files['bootloader/bootloader.bin'] as Uint8Array, 0x1000)
  flash.set(build.files['partition_table/partition-table.bin'] as Uint8Array, 0x8000)
  flash.set(build.files['hello-world.bin'] as Uint8Array, 0x10000)
  // partitions_singleapp.csv: nvs at 0x9000, 0x6000 bytes.
  const config = { ...defaultConfig(), role: 2 as const, pairId: 'a1b2c3d4e5f60718', apSsid: 'Sensors-North', staSsid: 'Barn-Uplink', staPassword: WIFI_PASSWORD }
  flash.set(configToNvsImage(config, 0x6000), 0x9000)
  writeFileSync(path.join(dir, 'flash.bin'), flash)
  const twin = spawnPairkit(['twin', '--chip', 'esp32', '--flash', path.join(dir, 'flash.bin'), '--listen', 'rfc2217://127.0.0.1:0', '--no-wire-timing', '--json'])
  twinUrl = (JSON.parse((await waitForLine(twin.stdout!, /^\{.*"url".*\}$/, 30_000))[0]) as { url: string }).url
  const host = spawnPairkit(['web', '--json'])
  const [line] = await waitForLine(host.stdout!, /^\{.*"url".*\}$/, 30_000)
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1200, height: 900 } })
  await page.goto((JSON.parse(line) as { url: string }).url)
})

afterAll(async () => {
  await browser?.close()
})

describe('Probe from the Devices view', () => {
  it('shows chip, firmware and bridge settings, and no password', async () => {
    await page.getByTestId('probe-remote').fill(twinUrl)
    await page.getByTestId('probe-remote-go').click()
    const card = page.locator(`[data-testid="probe-card"][data-port="${twinUrl}"]`)
    await card.getByTestId('probe-result').waitFor({ timeout: 60_000 })
    expect(await card.getByTestId('probe-result').innerText()).toMatch(/ESP32/)
    expect(await card.getByTestId('probe-firmware').innerText()).toMatch(/hello-world/)
    const settings = await card.getByTestId('probe-config').innerText()
    expect(settings).toMatch(/Role\s+2/)
    expect(settings).toMatch(/a1b2c3d4e5f60718/)
    expect(settings).toMatch(/Sensors-North/)
    expect(await page.content()).not.toContain(WIFI_PASSWORD)
    await page.screenshot({ path: screenshotPath('probe.png'), fullPage: true })
  })
})
