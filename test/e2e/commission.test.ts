// Commissioning from the Commission view, on two virtual ESP32s with empty flash and a local
// mosquitto as the signalling broker: probe both, choose the firmware in Flash and make a pair
// in Configure, then one Start runs firmware → provision → reset → boot → sync → connect →
// bridge test → report. The page shows every step done, the bridge test passing, and the
// report downloads as JSON and HTML, and the support bundle as a .zip, with no password of the
// pair in any of them or in the page; the pair's
// history lists the commissioning. Then the signalling broker stops before the next run: the
// sync step fails with the "broker unreachable" diagnosis next to it, the page is reloaded (the
// flow and the inputs are still there), the broker comes back, and "Try again from this step"
// finishes the flow.
import { readFileSync, writeFileSync } from 'node:fs'
import type { ChildProcess } from 'node:child_process'
import path from 'node:path'
import { unzipSync, zipSync } from 'fflate'
import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from '../support/browser'
import { freePort } from '../support/free-port'
import { spawnTracked, stopProcess } from '../support/processes'
import { screenshotPath } from '../support/screenshots'
import { makeTempDir } from '../support/temp-dir'
import { fixture } from '../unit/app-image/fixtures'
import { renamedApp } from '../unit/app-image/renamed-app'
import { MiniMqtt } from './bridge-twins'
import { go, probeInDevices, SITE_INPUTS, startTwin, startWeb } from './technician'

const dir = makeTempDir('pairkit-e2e-commission-')
const PASSWORDS = { a: 'com-wifi-secret-a7', b: 'com-wifi-secret-b8', iot: 'com-iot-secret-9', broker: 'com-broker-secret-5' }
let browser: Browser
let page: Page
let twinA: string
let twinB: string
let pairId: string
let signallingPort: number
let signalling: ChildProcess | undefined

/** mosquitto on 127.0.0.1:`port`, anonymous (a client's user and password are accepted as given). */
async function startSignalling(port: number): Promise<void> {
  const conf = path.join(dir, `mosquitto-${port}.conf`)
  writeFileSync(conf, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest none\n`)
  signalling = spawnTracked('mosquitto', ['-c', conf], { stdio: 'ignore' })
  for (let tries = 0; ; tries++) {
    try {
      ;(await MiniMqtt.connect(`mqtt://127.0.0.1:${port}`)).close()
      return
    } catch (error) {
      if (tries > 100) throw error
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }
}

/** A zipped build of the bridge firmware (serverless_mqtt) for the ESP32, nvs partition at 0x9000. */
function writeBridgeBuild(): string {
  const args = { flash_files: { '0x1000': 'bootloader/bootloader.bin', '0x8000': 'partition_table/partition-table.bin', '0x10000': 'serverless_mqtt.bin' }, extra_esptool_args: { chip: 'esp32' } }
  const file = path.join(dir, 'bridge-build.zip')
  writeFileSync(
    file,
    zipSync({
      build: {
        'flasher_args.json': new TextEncoder().encode(JSON.stringify(args)),
        bootloader: { 'bootloader.bin': fixture('images/bootloader_esp32_v5_2.bin') },
        partition_table: { 'partition-table.bin': fixture('partition-tables/partitions_singleapp.bin') },
        'serverless_mqtt.bin': renamedApp('serverless_mqtt'),
      },
    }),
  )
  return file
}

function step(id: string): Locator {
  return page.locator(`[data-testid="commission-step"][data-step="${id}"]`)
}

async function expectNoPassword(text: string, where: string): Promise<void> {
  for (const secret of Object.values(PASSWORDS)) expect(text.includes(secret), `${secret} in ${where}`).toBe(false)
}

beforeAll(async () => {
  signallingPort = await freePort()
  await startSignalling(signallingPort)
  ;[twinA, twinB] = await Promise.all([startTwin(path.join(dir, 'a.bin')), startTwin(path.join(dir, 'b.bin'))])
  const web = await startWeb(makeTempDir('pairkit-e2e-commission-data-'))
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: 'light', acceptDownloads: true })
  await page.goto(web.url)
  for (const url of [twinA, twinB]) await probeInDevices(page, url)
  await go(page, 'flash')
  await page.getByTestId('file-input').setInputFiles(writeBridgeBuild())
  await page.getByTestId('bundle-ok').waitFor()
  await go(page, 'configure')
  for (const [field, value] of SITE_INPUTS) await page.getByTestId(field).fill(value)
  await page.getByTestId('a-staPassword').fill(PASSWORDS.a)
  await page.getByTestId('b-staPassword').fill(PASSWORDS.b)
  await page.getByTestId('a-apPassword').fill(PASSWORDS.iot)
  await page.getByTestId('b-apPassword').fill(PASSWORDS.iot)
  await page.getByTestId('shared-signallingUri').fill(`mqtt://technician:${PASSWORDS.broker}@127.0.0.1:${signallingPort}`)
  await page.getByTestId('create-pair').click()
  await page.getByTestId('pair-row').first().waitFor()
  pairId = (await page.getByTestId('pair-row').first().getAttribute('data-pair')) as string
}, 90_000)

afterAll(async () => {
  await browser?.close()
})

describe('commissioning a pair from the Commission view', () => {
  it('commissions two empty twins: every step done, the bridge test passes', async () => {
    await go(page, 'commission')
    await page.getByTestId('commission-bundle').waitFor()
    await page.getByTestId('commission-a').selectOption(twinA)
    await page.getByTestId('commission-b').selectOption(twinB)
    await page.getByTestId('commission-pair').selectOption(pairId)
    await page.getByTestId('commission-notes').fill('Cabinet 3, left rail; both antennas up.')
    await page.getByTestId('commission-start').click()
    const flow = page.getByTestId('commission-flow')
    await flow.and(page.locator('[data-status="done"], [data-status="failed"], [data-status="cancelled"]')).waitFor({ timeout: 150_000 })
    const steps = await page.getByTestId('commission-step').evaluateAll((items) => items.map((item) => `${item.getAttribute('data-step')} ${item.getAttribute('data-status')}`))
    expect(steps).toEqual(['firmware done', 'provision done', 'reset done', 'boot done', 'sync done', 'connect done', 'bridge-test done', 'report done'])
    expect(await flow.getAttribute('data-status')).toBe('done')
    expect(await page.getByTestId('commission-headline').innerText()).toContain(`Pair ${pairId} is commissioned`)
    expect(await step('firmware').getByTestId('step-detail').innerText()).toMatch(/A was flashed .*B was flashed/)
    for (const id of ['firmware', 'bridge-test']) expect(await step(id).getByTestId('step-time').innerText()).toMatch(/\d s$/)
    const result = flow.getByTestId('bridge-test-result')
    await result.waitFor()
    expect(await result.getAttribute('data-pass')).toBe('true')
    expect(await result.getByTestId('bridge-test-verdict').innerText()).toContain('The bridge passed.')
  }, 170_000)

  it('downloads the JSON report with no password of the pair in it nor in the page', async () => {
    const download = page.waitForEvent('download')
    await page.getByTestId('commission-flow').getByTestId('report-json').click()
    const file = path.join(dir, 'report.json')
    const saved = await download
    expect(saved.suggestedFilename()).toMatch(new RegExp(`^pairkit-commissioning-${pairId}-com-[0-9a-f]+\\.json$`))
    await saved.saveAs(file)
    const text = readFileSync(file, 'utf8')
    const report = JSON.parse(text) as { outcome: string; pairId: string; notes: string; bridgeTest: { pass: boolean }; config: { a: { staPassword: string } } }
    expect(report).toMatchObject({ outcome: 'commissioned', pairId, notes: 'Cabinet 3, left rail; both antennas up.', bridgeTest: { pass: true } })
    expect(report.config.a.staPassword).toBe('••••')
    await expectNoPassword(text, 'the JSON report')
    await expectNoPassword(await page.content(), 'the page')
  })

  it('downloads the printable report and the support bundle, neither with a password', async () => {
    const flow = page.getByTestId('commission-flow')
    const html = page.waitForEvent('download')
    await flow.getByTestId('report-html').click()
    const htmlFile = path.join(dir, 'report.html')
    await (await html).saveAs(htmlFile)
    const page2 = readFileSync(htmlFile, 'utf8')
    expect(page2).toContain('Cabinet 3, left rail; both antennas up.')
    await expectNoPassword(page2, 'the printable report')
    const zip = page.waitForEvent('download')
    await flow.getByTestId('report-zip').click()
    const saved = await zip
    expect(saved.suggestedFilename()).toMatch(/-support\.zip$/)
    const zipFile = path.join(dir, 'support.zip')
    await saved.saveAs(zipFile)
    const entries = unzipSync(new Uint8Array(readFileSync(zipFile)))
    expect(Object.keys(entries)).toEqual(expect.arrayContaining(['report.json', 'report.html', 'a/events.jsonl', 'b/events.jsonl']))
    for (const [name, bytes] of Object.entries(entries)) await expectNoPassword(Buffer.from(bytes).toString('latin1'), `the support bundle's ${name}`)
  })

  it("lists the commissioning and what was done in the pair's history, and is photographed", async () => {
    const history = page.getByTestId('pair-history')
    const record = history.getByTestId('commission-record').first()
    expect(await record.getAttribute('data-status')).toBe('done')
    await record.getByTestId('report-html').waitFor()
    const done = await history.getByTestId('pair-history-entry').evaluateAll((items) => items.map((item) => item.getAttribute('data-what')))
    expect(done).toEqual(expect.arrayContaining(['Commissioned', 'Tested', 'Provisioned', 'Flashed']))
    expect(done.filter((what) => what === 'Commissioned')).toHaveLength(2)
    expect(await step('report').getByTestId('step-detail').innerText()).toBe(`written with the pair's records in the data folder (records/${pairId}/${await page.getByTestId('commission-flow').getAttribute('data-commission')}/)`)
    // The whole view in one window (a full-page picture would leave the sidebar at the first screen's height).
    const height = Number(await page.evaluate('document.documentElement.scrollHeight'))
    await page.setViewportSize({ width: 1280, height })
    await page.screenshot({ path: screenshotPath('commission.png') })
    await page.setViewportSize({ width: 1280, height: 800 })
  })
})

describe('a step that fails, and the flow resumed from it', () => {
  it('fails at the sync with the diagnosis next to the step when the signalling broker is down', async () => {
    await stopProcess(signalling as ChildProcess)
    await page.getByTestId('commission-start').click()
    const flow = page.locator('[data-testid="commission-flow"][data-status="failed"]')
    await flow.waitFor({ timeout: 120_000 })
    expect(await step('sync').getAttribute('data-status')).toBe('failed')
    for (const id of ['provision', 'reset', 'boot']) expect(await step(id).getAttribute('data-status')).toBe('done')
    expect(await step('firmware').getAttribute('data-status')).toBe('skipped')
    const findings = await step('sync').getByTestId('step-finding').allInnerTexts()
    expect(findings.join('\n')).toContain('The signalling broker could not be reached')
    expect(await step('sync').getByTestId('step-finding-action').first().innerText()).toMatch(/signalling broker address/)
    expect(await step('sync').getByTestId('step-resume').innerText()).toBe('Try again from this step')
    // An earlier step can be chosen too.
    expect(await step('sync').getByTestId('resume-from').locator('option').allInnerTexts()).toContain('Reset both devices with their consoles open')
  }, 130_000)

  it('keeps the flow and the inputs across a reload, and finishes once the broker is back', async () => {
    const commissionId = await page.getByTestId('commission-flow').getAttribute('data-commission')
    await page.reload()
    await page.getByRole('heading', { level: 1, name: 'Commission' }).waitFor()
    const flow = page.locator(`[data-testid="commission-flow"][data-commission="${commissionId}"][data-status="failed"]`)
    await flow.waitFor()
    expect(await page.getByTestId('commission-pair').inputValue()).toBe(pairId)
    expect(await page.getByTestId('commission-a').inputValue()).toBe(twinA)
    await startSignalling(signallingPort)
    await step('sync').getByTestId('step-resume').click()
    // The resumed sync runs (a second time) before the flow can end again.
    await step('sync').getByText('2nd attempt').waitFor()
    await page.locator(`[data-testid="commission-flow"][data-commission="${commissionId}"]`).and(page.locator('[data-status="done"], [data-status="failed"]')).waitFor({ timeout: 150_000 })
    const flowBox = page.getByTestId('commission-flow')
    expect(await flowBox.getAttribute('data-status'), await flowBox.innerText()).toBe('done')
    expect(await step('sync').getAttribute('data-status')).toBe('done')
    // The steps before it were not run again.
    expect(await step('provision').innerText()).not.toContain('attempt')
    expect(await page.getByTestId('commission-flow').getByTestId('bridge-test-result').getAttribute('data-pass')).toBe('true')
    const records = page.getByTestId('pair-history').getByTestId('commission-record')
    expect(await records.count()).toBe(2)
  }, 170_000)
})
