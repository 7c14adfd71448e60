// The Configure view against the real backend: live validation, the pair wizard, NVS
// download, and read-back with a diff — and the passwords never shown again after entry.
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { configFromNvsImage, configToNvsImage, defaultConfig } from '../../src/common/config'
import { launchChromium } from '../support/browser'
import { spawnPairkit, waitForLine } from '../support/processes'
import { screenshotPath } from '../support/screenshots'
import { makeTempDir } from '../support/temp-dir'

const STA_PASSWORD_A = 'upstream-secret-A1'
const STA_PASSWORD_B = 'upstream-secret-B2'
const AP_PASSWORD = 'iot-net-secret-77'
const dir = makeTempDir('pairkit-e2e-config-')
let browser: Browser
let page: Page

beforeAll(async () => {
  const host = spawnPairkit(['web', '--json'])
  const [line] = await waitForLine(host.stdout!, /^\{.*"url".*\}$/, 30_000)
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1200, height: 900 }, acceptDownloads: true })
  await page.goto(`${(JSON.parse(line) as { url: string }).url}#/configure`)
})

afterAll(async () => {
  await browser?.close()
})

describe('Configure view', () => {
  it('validates as the technician types', async () => {
    await page.getByTestId('a-apPassword').fill('short')
    await expect(page.getByTestId('a-apPassword-problem').innerText()).resolves.toMatch(/8 to 63 characters/)
    await page.getByTestId('a-staSsid').fill('x'.repeat(33))
    await expect(page.getByTestId('a-staSsid-problem').innerText()).resolves.toMatch(/at most 32 bytes/)
    expect(await page.getByTestId('create-pair').isDisabled()).toBe(true)
  })

  it('creates a pair, then shows no password again', async () => {
    await page.getByTestId('a-staSsid').fill('Farm-Office')
    await page.getByTestId('a-staPassword').fill(STA_PASSWORD_A)
    await page.getByTestId('a-apSsid').fill('Sensors')
    await page.getByTestId('a-apPassword').fill(AP_PASSWORD)
    await page.getByTestId('b-staSsid').fill('Barn-Uplink')
    await page.getByTestId('b-staPassword').fill(STA_PASSWORD_B)
    await page.getByTestId('b-apSsid').fill('Sensors')
    await page.getByTestId('b-apPassword').fill(AP_PASSWORD)
    await page.getByTestId('shared-signallingUri').fill('mqtt://broker.example.net')
    await page.getByTestId('create-pair').click()
    const row = page.getByTestId('pair-row').first()
    await row.waitFor()
    expect(await row.innerText()).toMatch(/Farm-Office/)
    expect(await page.getByTestId('a-staPassword').inputValue()).toBe('')
    const html = await page.content()
    for (const secret of [STA_PASSWORD_A, STA_PASSWORD_B, AP_PASSWORD]) expect(html).not.toContain(secret)
  })

  it('downloads NVS images that hold the pair, and reads them back with no differences', async () => {
    const pairId = (await page.getByTestId('pair-row').first().getAttribute('data-pair')) as string
    const download = page.waitForEvent('download')
    await page.getByTestId('pair-row').first().getByRole('button', { name: 'NVS B' }).click()
    const file = path.join(dir, 'b.bin')
    await (await download).saveAs(file)
    const image = new Uint8Array(readFileSync(file))
    const read = configFromNvsImage(image)
    expect(read.config).toMatchObject({ role: 2, pairId, staSsid: 'Barn-Uplink', staPassword: STA_PASSWORD_B, apPassword: AP_PASSWORD })
    expect(read.config.syncTopic).toContain(pairId)

    await page.getByTestId('compare-with').selectOption(pairId)
    await page.getByTestId('file-input').setInputFiles(file)
    await expect(page.getByTestId('read-back-match').innerText()).resolves.toMatch(new RegExp(`exactly the intended settings of pair ${pairId} \\(site B\\)`))
    expect(await page.content()).not.toContain(STA_PASSWORD_B)
  })

  it('shows what differs when a device holds other settings, secrets hidden', async () => {
    const pairId = (await page.getByTestId('pair-row').first().getAttribute('data-pair')) as string
    const other = { ...defaultConfig(), role: 1 as const, staSsid: 'Wrong-Net', staPassword: 'another-secret-99', apSsid: 'Sensors', apPassword: AP_PASSWORD, pairId: 'ffffffffffffffff' }
    const file = path.join(dir, 'other.bin')
    writeFileSync(file, configToNvsImage(other))
    await page.getByTestId('compare-with').selectOption(pairId)
    await page.getByTestId('file-input').setInputFiles(file)
    const diff = page.getByTestId('read-back-diff')
    await diff.waitFor()
    const text = await diff.innerText()
    expect(text).toMatch(/Upstream Wi-Fi name \(SSID\)\s+Farm-Office\s+Wrong-Net/)
    expect(text).toMatch(/Upstream Wi-Fi password\s+••••\s+••••/)
    expect(text).toMatch(/Pair id/)
    expect(await page.getByTestId('read-back-problems').innerText()).toMatch(/will not pair/)
    expect(await page.content()).not.toContain('another-secret-99')
    await page.screenshot({ path: screenshotPath('configure.png'), fullPage: true })
  })
})
