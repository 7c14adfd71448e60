// Probing from the Devices view: a virtual ESP32 whose flash holds a bootloader, a partition
// table, an app and bridge settings shows what it is, what it runs and how it is configured —
// without its passwords. One whose nvs partition is blank says it has no bridge settings
// instead of showing the firmware's defaults, and that its app is not the bridge firmware.
// A device that does not answer is marked unreachable, not silently kept; Forget removes it.
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
import { deviceCard, probeInDevices } from './technician'

const WIFI_PASSWORD = 'probe-secret-wifi'
const dir = makeTempDir('pairkit-e2e-probe-')
let browser: Browser
let page: Page
let configuredTwin: string
let blankTwin: string

/** A 4 MB flash with the build's bootloader, table and hello-world app, and `nvs` at 0x9000 when given. */
function flashImage(nvs?: Uint8Array): Uint8Array {
  const flash = new Uint8Array(4 << 20).fill(0xff)
  const build = esp32Build()
  flash.set(build.files['bootloader/bootloader.bin'] as Uint8Array, 0x1000)
  flash.set(build.files['partition_table/partition-table.bin'] as Uint8Array, 0x8000)
  flash.set(build.files['hello-world.bin'] as Uint8Array, 0x10000)
  // partitions_singleapp.csv: nvs at 0x9000, 0x6000 bytes.
  if (nvs) flash.set(nvs, 0x9000)
  return flash
}

async function startTwin(name: string, flash: Uint8Array): Promise<string> {
  writeFileSync(path.join(dir, name), flash)
  const twin = spawnPairkit(['twin', '--chip', 'esp32', '--flash', path.join(dir, name), '--listen', 'rfc2217://127.0.0.1:0', '--no-wire-timing', '--json'])
  return (JSON.parse((await waitForLine(twin.stdout!, /^\{.*"url".*\}$/, 30_000))[0]) as { url: string }).url
}

beforeAll(async () => {
  const config = { ...defaultConfig(), role: 2 as const, pairId: 'a1b2c3d4e5f60718', apSsid: 'Sensors-North', staSsid: 'Barn-Uplink', staPassword: WIFI_PASSWORD }
  configuredTwin = await startTwin('configured.bin', flashImage(configToNvsImage(config, 0x6000)))
  blankTwin = await startTwin('blank.bin', flashImage())
  const host = spawnPairkit(['web', '--json'], { env: { ...process.env, PAIRKIT_DATA_DIR: makeTempDir('pairkit-e2e-probe-data-') } })
  const [line] = await waitForLine(host.stdout!, /^\{.*"url".*\}$/, 30_000)
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
  await page.goto((JSON.parse(line) as { url: string }).url)
})

afterAll(async () => {
  await browser?.close()
})

/** Probes from the Devices view's box and opens what the probe found. */
async function probe(url: string) {
  const card = await probeInDevices(page, url)
  await card.getByText(/^Everything the probe at .* found$/).click()
  await card.getByTestId('probe-result').waitFor()
  return card
}

describe('Probe from the Devices view', () => {
  it('shows chip, firmware and bridge settings, and no password', async () => {
    const card = await probe(configuredTwin)
    expect(await card.getByTestId('device-chip').innerText()).toMatch(/ESP32/)
    expect(await card.getByTestId('probe-firmware').innerText()).toMatch(/hello-world/)
    expect(await card.getByTestId('device-pair').innerText()).toBe('a1b2c3d4e5f60718, site B (role 2)')
    const settings = await card.getByTestId('probe-config').innerText()
    expect(settings).toMatch(/Role\s+2/)
    expect(settings).toMatch(/a1b2c3d4e5f60718/)
    expect(settings).toMatch(/Sensors-North/)
    expect(settings).toMatch(/IoT network channel\s+follows the upstream Wi-Fi/)
    expect(await page.content()).not.toContain(WIFI_PASSWORD)
    await page.screenshot({ path: screenshotPath('probe.png'), fullPage: true })
  })

  it('says a device without bridge settings has none, and that its app is not the bridge firmware', async () => {
    const card = await probe(blankTwin)
    expect(await card.getByTestId('probe-no-settings').innerText()).toMatch(/^No bridge settings on this device\. It runs hello-world, which is not the bridge firmware\.$/)
    expect(await card.getByTestId('probe-not-bridge').innerText()).toBe('not the bridge firmware')
    expect(await card.getByTestId('device-pair').innerText()).toBe('no pair settings')
    await expect(card.getByTestId('probe-config').count()).resolves.toBe(0)
    // None of the firmware's built-in defaults is shown as if it were the device's setting.
    expect(await card.innerText()).not.toMatch(/mqtt\.eclipseprojects\.io|myssid|Signalling broker/)
  })

  it('marks a device that does not answer as unreachable, with why, and keeps what it knew', async () => {
    const gone = 'rfc2217://127.0.0.1:9'
    await page.getByTestId('probe-remote').fill(gone)
    await page.getByTestId('probe-remote-go').click()
    const card = deviceCard(page, gone)
    await card.getByTestId('device-probe-error').waitFor({ timeout: 30_000 })
    expect(await card.getByTestId('device-presence').innerText()).toBe('unreachable')
    expect(await card.getByTestId('presence-detail').innerText()).toMatch(/127\.0\.0\.1:9/)
    expect(await card.getByTestId('device-last-probe').innerText()).toMatch(/\(failed\)$/)
  })

  it('forgets a device on request, and the others stay', async () => {
    const gone = 'rfc2217://127.0.0.1:9'
    await deviceCard(page, gone).getByTestId('device-forget').click()
    await deviceCard(page, gone).waitFor({ state: 'detached' })
    await expect(page.getByTestId('device-card').count()).resolves.toBe(2)
  })
})
