// The Configure view against the real backend: validation once a field is left, the public
// servers flagged, the pair wizard, NVS download, and read-back with a diff — the passwords
// kept in the form only until the technician leaves the view, and never in the page.
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
  const host = spawnPairkit(['web', '--json'], { env: { ...process.env, PAIRKIT_DATA_DIR: makeTempDir('pairkit-e2e-config-data-') } })
  const [line] = await waitForLine(host.stdout!, /^\{.*"url".*\}$/, 30_000)
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1200, height: 900 }, acceptDownloads: true })
  await page.goto(`${(JSON.parse(line) as { url: string }).url}#/configure`)
})

afterAll(async () => {
  await browser?.close()
})

describe('Configure view', () => {
  it('marks no field before it is touched, and the problem of a field once it is left', async () => {
    await page.getByTestId('site-a').waitFor()
    await expect(page.locator('[aria-invalid="true"]').count()).resolves.toBe(0)
    await page.getByTestId('a-apPassword').fill('short')
    await expect(page.getByTestId('a-apPassword-problem').count()).resolves.toBe(0)
    await page.getByTestId('a-apPassword').press('Tab')
    await expect(page.getByTestId('a-apPassword-problem').innerText()).resolves.toMatch(/8 to 63 characters/)
    await page.getByTestId('a-staSsid').fill('x'.repeat(33))
    await page.getByTestId('a-staSsid').blur()
    await expect(page.getByTestId('a-staSsid-problem').innerText()).resolves.toMatch(/at most 32 bytes/)
    // Site B is still untouched: empty, but not red.
    await expect(page.getByTestId('b-staSsid-problem').count()).resolves.toBe(0)
    // Create pair says what is wrong next to the button, and now every problem shows.
    await page.getByTestId('create-pair').click()
    await expect(page.getByTestId('create-error').innerText()).resolves.toMatch(/^The pair was not created\s+\d+ settings need correcting first; they are marked in red\.$/)
    await expect(page.getByTestId('b-staSsid-problem').innerText()).resolves.toMatch(/empty/)
    await expect(page.getByTestId('pairs').count()).resolves.toBe(0)
  })

  it('shows the IoT channel 0 as following the upstream Wi-Fi', async () => {
    const channel = page.getByTestId('a-apChannel')
    expect(await channel.inputValue()).toBe('0')
    expect(await channel.locator('option:checked').innerText()).toMatch(/follows the upstream Wi-Fi/)
  })

  it('warns that the default broker and STUN server are public, and takes the technician to the field', async () => {
    const broker = page.getByTestId('public-broker')
    expect(await broker.innerText()).toMatch(/mqtt\.eclipseprojects\.io is a public broker: anyone can read it\..*use your site's own broker/s)
    expect(await page.getByTestId('public-stun').innerText()).toMatch(/stun\.l\.google\.com is a public STUN server/)
    await page.getByTestId('own-broker').click()
    expect(await page.evaluate('document.activeElement?.id')).toBe('shared-signallingUri')
    // The address is selected: typing replaces it.
    await page.keyboard.type('mqtt://broker.example.net')
    expect(await page.getByTestId('shared-signallingUri').inputValue()).toBe('mqtt://broker.example.net')
    await broker.waitFor({ state: 'detached' })
  })

  it('creates a pair, keeps the passwords in the form until the view is left, and never shows them', async () => {
    await page.getByTestId('a-staSsid').fill('Farm-Office')
    await page.getByTestId('a-staPassword').fill(STA_PASSWORD_A)
    await page.getByTestId('a-apSsid').fill('Sensors')
    await page.getByTestId('a-apPassword').fill(AP_PASSWORD)
    await page.getByTestId('b-staSsid').fill('Barn-Uplink')
    await page.getByTestId('b-staPassword').fill(STA_PASSWORD_B)
    await page.getByTestId('b-apSsid').fill('Sensors')
    await page.getByTestId('b-apPassword').fill(AP_PASSWORD)
    await page.getByTestId('create-pair').click()
    const row = page.getByTestId('pair-row').first()
    await row.waitFor()
    expect(await row.innerText()).toMatch(/Farm-Office/)
    await expect(page.getByTestId('create-error').count()).resolves.toBe(0)
    // Still there for a correction or a second pair…
    expect(await page.getByTestId('a-staPassword').inputValue()).toBe(STA_PASSWORD_A)
    const html = await page.content()
    for (const secret of [STA_PASSWORD_A, STA_PASSWORD_B, AP_PASSWORD]) expect(html).not.toContain(secret)
    // …and gone once the technician leaves the view; the rest of the form stays.
    const nav = page.getByRole('navigation', { name: 'Main' })
    await nav.getByRole('link', { name: /^Devices/ }).click()
    await nav.getByRole('link', { name: /^Configure/ }).click()
    for (const field of ['a-staPassword', 'a-apPassword', 'b-staPassword', 'b-apPassword']) expect(await page.getByTestId(field).inputValue(), field).toBe('')
    expect(await page.getByTestId('a-staSsid').inputValue()).toBe('Farm-Office')
    await expect(page.locator('[aria-invalid="true"]').count()).resolves.toBe(0)
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
    expect(await page.getByTestId('read-back-problems').innerText()).toMatch(/will not pair/i)
    expect(await page.content()).not.toContain('another-secret-99')
    await page.screenshot({ path: screenshotPath('configure.png'), fullPage: true })
  })

  it('says when an NVS image holds no bridge settings, instead of listing defaults', async () => {
    const file = path.join(dir, 'blank.bin')
    writeFileSync(file, new Uint8Array(0x6000).fill(0xff))
    await page.getByTestId('compare-with').selectOption('')
    await page.getByTestId('file-input').setInputFiles(file)
    await expect(page.getByTestId('read-back-no-settings').innerText()).resolves.toMatch(/No bridge settings in this image/)
    await expect(page.getByTestId('read-back-config').count()).resolves.toBe(0)
  })
})
