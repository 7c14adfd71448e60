// What the end-to-end tests do over and over, as a technician would: start virtual ESP32s and
// `pairkit web` as processes, and drive the page — probe a device in Devices, drop a build in
// Flash, make a pair in Configure. The backend is never imported: it runs as it ships.
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import type { ChildProcess } from 'node:child_process'
import { zipSync } from 'fflate'
import type { Locator, Page } from 'playwright-core'
import { spawnPairkit, waitForLine } from '../support/processes'
import { esp32Build, flasherArgsJson } from '../unit/bundle/build-fixtures'

/** A virtual ESP32 on rfc2217://127.0.0.1:PORT, its flash in `flashFile` (created empty when missing). */
export async function startTwin(flashFile: string, options: { chip?: string; wireTiming?: boolean } = {}): Promise<string> {
  const twin = spawnPairkit(['twin', '--chip', options.chip ?? 'esp32', '--flash', flashFile, '--listen', 'rfc2217://127.0.0.1:0', ...(options.wireTiming ? [] : ['--no-wire-timing']), '--json'])
  const [line] = await waitForLine(twin.stdout!, /^\{.*"url".*\}$/, 30_000)
  return (JSON.parse(line) as { url: string }).url
}

/** `pairkit web` with its own data folder; resolves with the process and the URL it prints. */
export async function startWeb(dataDir: string, options: { port?: number; env?: NodeJS.ProcessEnv } = {}): Promise<{ process: ChildProcess; url: string }> {
  const web = spawnPairkit(['web', ...(options.port ? ['--port', String(options.port)] : []), '--json'], { env: { ...process.env, PAIRKIT_EXTRA_PORTS: '', ...options.env, PAIRKIT_DATA_DIR: dataDir } })
  const [line] = await waitForLine(web.stdout!, /^\{.*"url".*\}$/, 30_000)
  return { process: web, url: (JSON.parse(line) as { url: string }).url }
}

/** A zipped ESP-IDF build of hello-world for the ESP32 (nvs partition at 0x9000), written into `dir`. */
export function writeBuildZip(dir: string): string {
  const build = esp32Build()
  const file = path.join(dir, 'build.zip')
  writeFileSync(file, zipSync({ build: { ...build.files, 'flasher_args.json': new TextEncoder().encode(flasherArgsJson('dash', build, { flashSize: '4MB' })) } }))
  return file
}

export async function go(page: Page, view: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: new RegExp(`^${view}`, 'i') }).click()
  await page.getByRole('heading', { level: 1, name: new RegExp(`^${view}$`, 'i') }).waitFor()
}

export function deviceCard(page: Page, url: string): Locator {
  return page.locator(`[data-testid="device-card"][data-device="${url}"]`)
}

/** Waits until the device's card shows a finished probe and the device is free again. */
export async function waitProbed(page: Page, url: string, timeout = 60_000): Promise<Locator> {
  const card = deviceCard(page, url)
  await card.getByTestId('device-firmware').waitFor({ timeout })
  await card.getByTestId('device-busy').waitFor({ state: 'detached', timeout })
  return card
}

/** Probes a network device from the Devices view's box. */
export async function probeInDevices(page: Page, url: string): Promise<Locator> {
  await page.getByTestId('probe-remote').fill(url)
  await page.getByTestId('probe-remote-go').click()
  return waitProbed(page, url)
}

export const SITE_INPUTS: ReadonlyArray<readonly [string, string]> = [
  ['a-staSsid', 'Farm-Office'], ['a-apSsid', 'Sensors-North'], ['b-staSsid', 'Barn-Uplink'], ['b-apSsid', 'Sensors-South'],
]

/** Fills the pair wizard (the given passwords for both sites) and creates the pair; resolves with its id. */
export async function createPair(page: Page, passwords: { a: string; b: string; iot: string }): Promise<string> {
  await go(page, 'configure')
  for (const [field, value] of SITE_INPUTS) await page.getByTestId(field).fill(value)
  await page.getByTestId('a-staPassword').fill(passwords.a)
  await page.getByTestId('b-staPassword').fill(passwords.b)
  await page.getByTestId('a-apPassword').fill(passwords.iot)
  await page.getByTestId('b-apPassword').fill(passwords.iot)
  await page.getByTestId('shared-signallingUri').fill('mqtts://broker.farm.example')
  const before = await page.getByTestId('pair-row').count()
  await page.getByTestId('create-pair').click()
  await page.getByTestId('pair-row').nth(before).waitFor()
  return (await page.getByTestId('pair-row').first().getAttribute('data-pair')) as string
}

/** Writes a pair's side to a device from its row in Configure; resolves with the finished run. */
export async function writeFromConfigure(page: Page, pairId: string, side: 'a' | 'b', url: string): Promise<Locator> {
  await go(page, 'configure')
  const row = page.locator(`[data-testid="pair-row"][data-pair="${pairId}"]`)
  await row.getByTestId(`write-${side}`).click()
  await page.getByTestId('provision-device').selectOption(url)
  await page.getByTestId('provision-write').click()
  const run = page.locator(`[data-testid="provision-run"][data-device="${url}"]`)
  await run.and(page.locator('[data-state="done"], [data-state="failed"]')).waitFor({ timeout: 60_000 })
  return run
}
