// The Flash view against the real backend and virtual ESP32s: drop a zipped build folder,
// see it checked, flash two devices in parallel with progress and a summary, and find the
// bytes on their flash. A device added under two spellings of its link is one target. A
// device of the wrong chip is refused with a clear error on its row and a Retry; a device
// being flashed cannot be chosen again, and says why; a job cancelled half-way keeps its bar
// where it stopped, and Retry finishes it. An NVS image dropped alone is written at the
// offset chosen from a probed device's partition table.
import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { zipSync } from 'fflate'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { configToNvsImage, defaultConfig } from '../../src/common/config'
import { launchChromium } from '../support/browser'
import { deviceCard, go } from './technician'
import { spawnPairkit, waitForLine } from '../support/processes'
import { esp32Build, flasherArgsJson } from '../unit/bundle/build-fixtures'
import { screenshotPath } from '../support/screenshots'
import { makeTempDir } from '../support/temp-dir'

const dir = makeTempDir('pairkit-e2e-flash-')
const build = esp32Build()
let browser: Browser
let page: Page
const twins: { url: string; flash: string }[] = []
let wrongChip: string
let slow: { url: string; flash: string }

async function startTwin(chip: string, flash: string, wireTiming = false): Promise<string> {
  const twin = spawnPairkit(['twin', '--chip', chip, '--flash', flash, '--listen', 'rfc2217://127.0.0.1:0', ...(wireTiming ? [] : ['--no-wire-timing']), '--json'])
  const [line] = await waitForLine(twin.stdout!, /^\{.*"url".*\}$/, 30_000)
  return (JSON.parse(line) as { url: string }).url
}

beforeAll(async () => {
  const host = spawnPairkit(['web', '--json'], { env: { ...process.env, PAIRKIT_DATA_DIR: makeTempDir('pairkit-e2e-flash-data-') } })
  const [line] = await waitForLine(host.stdout!, /^\{.*"url".*\}$/, 30_000)
  for (const name of ['a', 'b']) {
    const flash = path.join(dir, `${name}.bin`)
    twins.push({ url: await startTwin('esp32', flash), flash })
  }
  wrongChip = await startTwin('esp32c3', path.join(dir, 'c3.bin'))
  // Paced at the baud rate, so a job can be cancelled while it writes.
  slow = { url: await startTwin('esp32', path.join(dir, 'slow.bin'), true), flash: path.join(dir, 'slow.bin') }
  const zip = zipSync({
    build: { ...Object.fromEntries(Object.entries(build.files).map(([file, bytes]) => [file, bytes])), 'flasher_args.json': new TextEncoder().encode(flasherArgsJson('dash', build)) },
  })
  writeFileSync(path.join(dir, 'build.zip'), zip)
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
  await page.goto(`${(JSON.parse(line) as { url: string }).url}#/flash`)
})

afterAll(async () => {
  await browser?.close()
})

const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex')

describe('Flash view', () => {
  it('checks a dropped build before anything is written', async () => {
    await page.getByTestId('file-input').setInputFiles(path.join(dir, 'build.zip'))
    await page.getByTestId('bundle-ok').waitFor()
    const parts = await page.getByTestId('bundle-parts').innerText()
    expect(parts).toMatch(/0x1000\s+bootloader/)
    expect(parts).toMatch(/0x8000\s+partition-table/)
    expect(parts).toMatch(/0x10000\s+app/)
  })

  it('flashes two devices in parallel and verifies them', async () => {
    for (const twin of twins) {
      await page.getByTestId('remote-port').fill(twin.url)
      await page.getByTestId('add-remote').click()
      await page.getByTestId(`target-${twin.url}`).waitFor()
    }
    for (const twin of twins) expect(await page.getByTestId(`target-${twin.url}`).isChecked()).toBe(true)
    await page.getByTestId('start-flash').click()
    for (const twin of twins) {
      const job = page.locator(`[data-testid="flash-job"][data-port="${twin.url}"]`)
      await job.and(page.locator('[data-state="done"]')).waitFor({ timeout: 60_000 })
      expect(await job.getByTestId('job-status').innerText()).toMatch(/verified by MD5/)
    }
    const run = page.getByTestId('flash-run').first()
    await expect(run.getByTestId('run-summary').innerText()).resolves.toBe('2 of 2 written and verified')
    for (const twin of twins) {
      const written = await run.locator(`[data-testid="flash-job"][data-port="${twin.url}"]`).getByTestId('job-written').innerText()
      expect(written).toMatch(/^Everything written: bootloader, partition table and app \(\d+ blocks\)\.$/)
    }
    await page.screenshot({ path: screenshotPath('flash.png'), fullPage: true })
    for (const twin of twins) {
      const flash = new Uint8Array(readFileSync(twin.flash))
      for (const [file, offset] of [['bootloader/bootloader.bin', 0x1000], ['partition_table/partition-table.bin', 0x8000], ['hello-world.bin', 0x10000]] as const) {
        const expected = build.files[file] as Uint8Array
        expect(md5(flash.subarray(offset, offset + expected.length)), `${file} on ${twin.url}`).toBe(md5(expected))
      }
    }
  })

  it('flashes the same build again: nothing is written; "Write everything" writes every block', async () => {
    const runs = page.getByTestId('flash-run')
    /** Starts a run and waits until each twin's job in its card is done; the card's text per twin. */
    const flashAgain = async (): Promise<string[]> => {
      const before = await runs.count()
      await page.getByTestId('start-flash').click()
      // The new run's card comes first; wait for it, so no job of an earlier run is read.
      await expect.poll(() => runs.count()).toBe(before + 1)
      const written: string[] = []
      for (const twin of twins) {
        const job = runs.first().locator(`[data-testid="flash-job"][data-port="${twin.url}"]`)
        await job.and(page.locator('[data-state="done"]')).waitFor({ timeout: 60_000 })
        written.push(await job.getByTestId('job-written').innerText())
      }
      return written
    }
    expect(await page.getByTestId('write-note').innerText()).toMatch(/^Only what a device does not already hold is written/)
    for (const written of await flashAgain()) expect(written).toBe('Nothing written: bootloader, partition table and app were already on the device.')
    await page.getByTestId('write-everything').check()
    expect(await page.getByTestId('write-note').innerText()).toBe('Every block is written, whatever the devices already hold.')
    for (const written of await flashAgain()) expect(written).toMatch(/^Everything written: bootloader, partition table and app \(\d+ blocks\)\.$/)
    await expect(runs.first().locator('.card-header').innerText()).resolves.toMatch(/, writing everything$/)
    await page.getByTestId('write-everything').uncheck()
  })

  it('lists the same twin added under two spellings of its link as one target', async () => {
    const targets = page.getByTestId('target')
    const before = await targets.count()
    const first = twins[0] as { url: string }
    await page.getByTestId('remote-port').fill(`${first.url.replace('rfc2217://', 'RFC2217://')}/`)
    await page.getByTestId('add-remote').click()
    // The box empties once the backend has taken the device.
    await expect.poll(() => page.getByTestId('remote-port').inputValue()).toBe('')
    expect(await targets.count()).toBe(before)
    await expect(page.locator(`[data-testid="target"][data-device="${first.url}"]`).count()).resolves.toBe(1)
    expect(await page.getByTestId(`target-${first.url}`).isChecked()).toBe(true)
  })

  it('refuses a device of another chip, saying so', async () => {
    for (const twin of twins) await page.getByTestId(`target-${twin.url}`).uncheck()
    await page.getByTestId('remote-port').fill(wrongChip)
    await page.getByTestId('add-remote').click()
    await page.getByTestId('start-flash').click()
    const job = page.locator(`[data-testid="flash-job"][data-port="${wrongChip}"]`)
    await job.and(page.locator('[data-state="failed"]')).waitFor({ timeout: 60_000 })
    expect(await job.getByTestId('error-panel').innerText()).toMatch(/this bundle is for esp32, the device is an esp32c3/i)
    expect(await job.getByTestId('job-status').innerText()).toBe('Failed before writing')
    await expect(page.getByTestId('flash-run').first().getByTestId('run-summary').innerText()).resolves.toBe(`1 of 1 failed: ${wrongChip}`)
    await expect(job.getByTestId('retry').isVisible()).resolves.toBe(true)
  })

  it('keeps the progress of a cancelled job where it stopped, and Retry writes the device on the same port', async () => {
    await page.getByTestId(`target-${wrongChip}`).uncheck()
    await page.getByTestId('remote-port').fill(slow.url)
    await page.getByTestId('add-remote').click()
    await page.getByTestId('baud').selectOption('115200')
    await page.getByTestId('start-flash').click()
    const run = page.getByTestId('flash-run').first()
    const job = run.locator(`[data-testid="flash-job"][data-port="${slow.url}"]`)
    await job.and(page.locator('[data-state="progress"]')).waitFor({ timeout: 60_000 })
    // One operation per device: while it is flashed it cannot be chosen for another run, and says why.
    const target = page.locator(`[data-testid="target"][data-device="${slow.url}"]`)
    await expect(target.innerText()).resolves.toMatch(/Being flashed since \d{1,2}:\d{2}:\d{2}/)
    await expect(page.getByTestId(`target-${slow.url}`).isDisabled()).resolves.toBe(true)
    // Its card in Devices too: every button disabled, the reason beside them.
    await go(page, 'devices')
    const card = deviceCard(page, slow.url)
    await expect(card.getByTestId('device-busy').innerText()).resolves.toMatch(/^Being flashed since \d{1,2}:\d{2}:\d{2}( [AP]M)?: Writing/)
    for (const button of ['device-probe', 'device-write-pair', 'device-forget']) await expect(card.getByTestId(button).isDisabled(), button).resolves.toBe(true)
    await go(page, 'flash')
    // Past the bootloader and the partition table (about 14 % of the bytes), inside the app.
    await expect.poll(async () => Number(await job.locator('progress').getAttribute('value')), { timeout: 60_000, interval: 50 }).toBeGreaterThanOrEqual(30)
    await job.getByRole('button', { name: 'Cancel' }).click()
    await job.and(page.locator('[data-state="cancelled"]')).waitFor({ timeout: 30_000 })
    const kept = Number(await job.locator('progress').getAttribute('value'))
    expect(kept).toBeGreaterThanOrEqual(30)
    expect(kept).toBeLessThan(100)
    expect(await job.getByTestId('job-status').innerText()).toMatch(/^Cancelled at \d+ %$/)
    await expect(run.getByTestId('run-summary').innerText()).resolves.toBe('1 of 1 cancelled')

    await job.getByTestId('retry').click()
    await job.and(page.locator('[data-state="done"]')).waitFor({ timeout: 90_000 })
    await expect(run.getByTestId('run-summary').innerText()).resolves.toBe('1 of 1 written and verified')
    // The parts the cancelled attempt finished are not written again.
    expect(await job.getByTestId('job-written').innerText()).toMatch(/^Bootloader unchanged, partition table unchanged, app: (all \d+|\d+ of \d+) blocks written\.$/)
    const flash = new Uint8Array(readFileSync(slow.flash))
    const app = build.files['hello-world.bin'] as Uint8Array
    expect(md5(flash.subarray(0x10000, 0x10000 + app.length))).toBe(md5(app))
  })
})

describe('Flash view, bundle problems', () => {
  it('offers to write a file at the app offset as raw data, where the CLI has --raw', async () => {
    // A build whose flasher_args.json names a text file as the app (a zip carries only .bin and .json files).
    const notes = new TextEncoder().encode('# bridge\n\nBuild with idf.py build, then flash build/bridge.bin.\n')
    const zip = zipSync({ build: { ...build.files, 'notes.bin': notes, 'flasher_args.json': new TextEncoder().encode(flasherArgsJson('dash', build, { app: 'notes.bin' })) } })
    writeFileSync(path.join(dir, 'readme-build.zip'), zip)
    await page.getByTestId('file-input').setInputFiles(path.join(dir, 'readme-build.zip'))
    await page.getByTestId('bundle-not-ok').waitFor()
    const problems = await page.getByTestId('bundle-problems').innerText()
    expect(problems).toMatch(/0x10000 app is not an ESP app image \(its first byte is 0x23, an image starts with 0xE9\): pick the app \.bin from the build folder, or write it as raw data\./)
    expect(problems).not.toMatch(/--raw/)
    await page.getByTestId('write-raw').click()
    await page.getByTestId('bundle-ok').waitFor()
    expect(await page.getByTestId('bundle-parts').innerText()).toMatch(/0x10000\s+data\s+app\s+raw data/)
  })
})

describe('Flash view, raw data placed', () => {
  it('writes an NVS image dropped alone at the nvs partition of a probed device\'s table', async () => {
    const [first] = twins as [{ url: string; flash: string }]
    const image = configToNvsImage({ ...defaultConfig(), role: 2, pairId: '0a1b2c3d4e5f6789', staSsid: 'Placed-Net', staPassword: 'placed-secret-1' }, 0x6000)
    writeFileSync(path.join(dir, 'site-b-nvs.bin'), image)
    await page.getByTestId('file-input').setInputFiles(path.join(dir, 'site-b-nvs.bin'))
    const placement = page.getByTestId('placement')
    await placement.waitFor()
    // The first device flashed above was probed again: its table offers the nvs partition first.
    expect(await page.getByTestId('placement-choice').locator('option:checked').innerText()).toMatch(/^nvs at 0x9000 \(24\.0 KiB\), from /)
    await page.getByTestId('place-file').click()
    await page.getByTestId('bundle-ok').waitFor()
    expect(await page.getByTestId('bundle-parts').innerText()).toMatch(/0x9000\s+data\s+site-b-nvs\.bin\s+placed/)
    expect(await placement.getByTestId('placement-done').innerText()).toBe('Placed at 0x9000.')
    for (const box of await page.locator('[data-testid^="target-"]:checked').all()) await box.uncheck()
    await page.getByTestId(`target-${first.url}`).check()
    await page.getByTestId('start-flash').click()
    const job = page.getByTestId('flash-run').first().locator(`[data-testid="flash-job"][data-port="${first.url}"]`)
    await job.and(page.locator('[data-state="done"]')).waitFor({ timeout: 60_000 })
    expect(await job.getByTestId('job-reprobe').innerText()).toMatch(/pair 0a1b2c3d4e5f6789, site B \(role 2\)\.$/)
    const flash = new Uint8Array(readFileSync(first.flash))
    expect(md5(flash.subarray(0x9000, 0x9000 + image.length))).toBe(md5(image))
    // Only the nvs partition was written: the app is still there.
    const app = build.files['hello-world.bin'] as Uint8Array
    expect(md5(flash.subarray(0x10000, 0x10000 + app.length))).toBe(md5(app))
  })
})
