// What the technician did survives a reload of the page and a restart of PairKit: the known
// devices, the pairs, the flash history, the firmware chosen and each view's inputs, kept in
// the data folder. Passwords are kept in memory only by the browser host: after the restart
// the pair says so, and its settings are written again once they are entered again.
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from '../support/browser'
import { freePort } from '../support/free-port'
import { stopProcess } from '../support/processes'
import { makeTempDir } from '../support/temp-dir'
import { createPair, deviceCard, go, probeInDevices, startTwin, startWeb, writeBuildZip, writeFromConfigure } from './technician'

const dir = makeTempDir('pairkit-e2e-kept-')
const dataDir = makeTempDir('pairkit-e2e-kept-data-')
const PASSWORDS = { a: 'kept-secret-wifi-a', b: 'kept-secret-wifi-b', iot: 'kept-secret-iot-9' }
let port: number
let web: Awaited<ReturnType<typeof startWeb>>
let browser: Browser
let page: Page
let twin: string
let pairId: string

beforeAll(async () => {
  port = await freePort()
  twin = await startTwin(path.join(dir, 'board.bin'))
  web = await startWeb(dataDir, { port })
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
  await page.goto(web.url)
})

afterAll(async () => {
  await browser?.close()
})

/** The view inputs the backend keeps now, asked over the page's own connection. */
function keptInputs(): Promise<Record<string, unknown>> {
  return page.evaluate(
    () =>
      new Promise((resolve) => {
        const id = 900_000 + Math.floor(Math.random() * 100_000)
        const bridge = (globalThis as unknown as { pairkit: { send(message: unknown): void; onMessage(listener: (message: { kind: string; id?: number; result?: { values: Record<string, unknown> } }) => void): () => void } }).pairkit
        const stop = bridge.onMessage((message) => {
          if (message.kind !== 'response' || message.id !== id) return
          stop()
          resolve(message.result?.values ?? {})
        })
        bridge.send({ kind: 'request', id, method: 'ui.getState', params: {} })
      }),
  )
}

/** Everything the page should show again: the device with its pair, the history, the pair, the firmware and the inputs. */
async function expectEverythingThere(options: { afterRestart: boolean }): Promise<void> {
  await go(page, 'devices')
  const card = deviceCard(page, twin)
  await card.waitFor()
  expect(await card.getByTestId('device-pair').getAttribute('data-pair')).toBe(pairId)
  expect(await card.getByTestId('device-chip').innerText()).toMatch(/ESP32/)
  // A network device is not contacted behind the technician's back: after a restart PairKit does not know yet whether it answers.
  expect(await card.getByTestId('device-presence').innerText()).toBe(options.afterRestart ? 'not contacted yet' : 'reachable')
  const history = page.locator(`[data-testid="history-device"][data-device="${twin}"]`)
  await expect(history.getByTestId('history-entry').allInnerTexts()).resolves.toEqual([
    expect.stringMatching(new RegExp(`Pair settings\\s+done\\s+pair ${pairId}, site A`)),
    expect.stringMatching(/Firmware\s+done\s+build\.zip SHA-256 [0-9a-f]{12}…/),
  ])

  await go(page, 'flash')
  await page.getByTestId('bundle-ok').waitFor()
  expect(await page.locator('#bundle-title').innerText()).toBe('build.zip')
  expect(await page.getByTestId(`target-${twin}`).isChecked()).toBe(true)
  expect(await page.getByTestId('baud').inputValue()).toBe('460800')

  await go(page, 'configure')
  const row = page.locator(`[data-testid="pair-row"][data-pair="${pairId}"]`)
  await row.waitFor()
  expect(await row.getAttribute('data-passwords')).toBe(options.afterRestart ? 'missing' : 'stored')
  expect(await page.getByTestId('a-staSsid').inputValue()).toBe('Farm-Office')
  expect(await page.getByTestId('shared-signallingUri').inputValue()).toBe('mqtts://broker.farm.example')
  expect(await page.getByTestId('a-staPassword').inputValue()).toBe('')
}

describe('state that survives', () => {
  it('records a day\'s work: a device probed, flashed and given pair settings, with the views\' inputs', async () => {
    await probeInDevices(page, twin)
    await go(page, 'flash')
    await page.getByTestId('file-input').setInputFiles(writeBuildZip(dir))
    await page.getByTestId('bundle-ok').waitFor()
    await page.getByTestId(`target-${twin}`).check()
    await page.getByTestId('baud').selectOption('460800')
    await page.getByTestId('start-flash').click()
    await page.getByTestId('run-summary').getByText('1 of 1 written and verified').waitFor({ timeout: 90_000 })
    pairId = await createPair(page, PASSWORDS)
    expect(await (await writeFromConfigure(page, pairId, 'a', twin)).getAttribute('data-state')).toBe('done')
    // The inputs reach the backend a moment after they change.
    await expect.poll(async () => {
      const kept = await keptInputs()
      return [kept['flash.targets'], kept['flash.baud'], (kept['configure.pair-form'] as { a?: { staSsid?: string } } | undefined)?.a?.staSsid]
    }, { timeout: 5_000 }).toEqual([[twin], 460800, 'Farm-Office'])
    expect(JSON.stringify(await keptInputs())).not.toMatch(/kept-secret/)
  })

  it('shows it all again after a reload of the page', async () => {
    await page.reload()
    await expectEverythingThere({ afterRestart: false })
  })

  it('shows it all again after PairKit is stopped and started again, and after another reload', async () => {
    await stopProcess(web.process)
    await page.getByTestId('connection-banner').waitFor({ timeout: 10_000 })
    web = await startWeb(dataDir, { port })
    await page.getByTestId('connection-banner').waitFor({ state: 'detached', timeout: 15_000 })
    await expectEverythingThere({ afterRestart: true })
    await page.reload()
    await expectEverythingThere({ afterRestart: true })
  })

  it('asks for the pair\'s passwords again before writing its settings, and writes them once given', async () => {
    await go(page, 'configure')
    const row = page.locator(`[data-testid="pair-row"][data-pair="${pairId}"]`)
    await row.getByTestId('write-b').click()
    const form = page.locator(`[data-testid="pair-passwords"][data-pair="${pairId}"]`)
    await form.waitFor()
    await expect(page.getByTestId('provision-write').isDisabled()).resolves.toBe(true)
    // A password the firmware would refuse is not taken, and the form says why.
    await form.getByTestId('password-a.apPassword').fill('short')
    await form.getByTestId('save-passwords').click()
    await expect(form.getByTestId('passwords-error').innerText()).resolves.toMatch(/8 to 63 characters/)
    await form.getByTestId('password-a.staPassword').fill(PASSWORDS.a)
    await form.getByTestId('password-a.apPassword').fill(PASSWORDS.iot)
    await form.getByTestId('password-b.staPassword').fill(PASSWORDS.b)
    await form.getByTestId('password-b.apPassword').fill(PASSWORDS.iot)
    await form.getByTestId('save-passwords').click()
    await form.waitFor({ state: 'detached' })
    expect(await row.getAttribute('data-passwords')).toBe('stored')
    await page.getByTestId('provision-device').selectOption(twin)
    await page.getByTestId('provision-write').click()
    const run = page.locator(`[data-testid="provision-run"][data-device="${twin}"]`)
    await run.and(page.locator('[data-state="done"]')).waitFor({ timeout: 60_000 })
    expect(await run.getByTestId('read-back-match').innerText()).toBe(`The device holds exactly the intended settings of pair ${pairId} (site B).`)
    expect(await page.content()).not.toMatch(/kept-secret/)
  })
})
