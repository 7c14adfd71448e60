// How the page looks and reads, with real content: a probed device, a flashed pair, a pair
// configuration. Light and dark themes follow the system, text keeps its contrast in both,
// keyboard focus is visible on every control, every input has a label; and screenshots of
// every view in both themes at 1280×800 and 1920×1080 (`npm run screenshots` keeps them).
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { zipSync } from 'fflate'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { configToNvsImage, defaultConfig } from '../../src/common/config'
import { launchChromium } from '../support/browser'
import { spawnPairkit, waitForLine } from '../support/processes'
import { screenshotPath } from '../support/screenshots'
import { makeTempDir } from '../support/temp-dir'
import { esp32Build, flasherArgsJson } from '../unit/bundle/build-fixtures'
import { deviceCard, probeInDevices, waitProbed, writeFromConfigure } from './technician'

const dir = makeTempDir('pairkit-e2e-look-')
const build = esp32Build()
const SIZES = [
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
] as const
const VIEWS = ['devices', 'flash', 'configure', 'monitor'] as const
let browser: Browser
let page: Page
const twins: string[] = []

function flashImage(nvs?: Uint8Array): Uint8Array {
  const flash = new Uint8Array(4 << 20).fill(0xff)
  flash.set(build.files['bootloader/bootloader.bin'] as Uint8Array, 0x1000)
  flash.set(build.files['partition_table/partition-table.bin'] as Uint8Array, 0x8000)
  flash.set(build.files['hello-world.bin'] as Uint8Array, 0x10000)
  if (nvs) flash.set(nvs, 0x9000)
  return flash
}

async function startTwin(name: string, flash: Uint8Array): Promise<string> {
  writeFileSync(path.join(dir, name), flash)
  const twin = spawnPairkit(['twin', '--chip', 'esp32', '--flash', path.join(dir, name), '--listen', 'rfc2217://127.0.0.1:0', '--no-wire-timing', '--json'])
  return (JSON.parse((await waitForLine(twin.stdout!, /^\{.*"url".*\}$/, 30_000))[0]) as { url: string }).url
}

/** "rgb(12, 34, 56)" → relative luminance (WCAG 2). */
function luminance(colour: string): number {
  const [r, g, b] = (colour.match(/[\d.]+/g) ?? []).slice(0, 3).map((part) => {
    const channel = Number(part) / 255
    return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4
  })
  return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0)
}
const contrast = (a: string, b: string) => {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number]
  return (light + 0.05) / (dark + 0.05)
}

async function go(view: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: new RegExp(`^${view}`, 'i') }).click()
  await page.evaluate('window.scrollTo(0, 0)')
}

beforeAll(async () => {
  const config = { ...defaultConfig(), role: 1 as const, pairId: '5f0c2a9e81d3b7a4', apSsid: 'Sensors-North', staSsid: 'Barn-Uplink', staPassword: 'look-secret-wifi', signallingUri: 'mqtts://broker.farm.example' }
  twins.push(await startTwin('a.bin', flashImage(configToNvsImage(config, 0x6000))), await startTwin('b.bin', flashImage()))
  const host = spawnPairkit(['web', '--json'], { env: { ...process.env, PAIRKIT_DATA_DIR: makeTempDir('pairkit-e2e-look-data-') } })
  const [line] = await waitForLine(host.stdout!, /^\{.*"url".*\}$/, 30_000)
  writeFileSync(path.join(dir, 'build.zip'), zipSync({ build: { ...build.files, 'flasher_args.json': new TextEncoder().encode(flasherArgsJson('dash', build)) } }))
  browser = await launchChromium()
  page = await browser.newPage({ viewport: SIZES[1], colorScheme: 'light' })
  await page.goto((JSON.parse(line) as { url: string }).url)

  // Devices: both twins probed.
  for (const url of twins) await probeInDevices(page, url)
  // Flash: the build written to both, ticked in the list of known devices.
  await go('flash')
  await page.getByTestId('file-input').setInputFiles(path.join(dir, 'build.zip'))
  await page.getByTestId('bundle-ok').waitFor()
  for (const url of twins) await page.getByTestId(`target-${url}`).check()
  await page.getByTestId('start-flash').click()
  await page.getByTestId('run-summary').getByText('2 of 2 written and verified').waitFor({ timeout: 60_000 })
  // Configure: a pair, left on the public default broker so its warning shows, written to both twins.
  await go('configure')
  for (const [field, value] of [['a-staSsid', 'Farm-Office'], ['a-staPassword', 'look-secret-A1'], ['a-apSsid', 'Sensors'], ['a-apPassword', 'look-secret-iot'], ['b-staSsid', 'Barn-Uplink'], ['b-staPassword', 'look-secret-B2'], ['b-apSsid', 'Sensors'], ['b-apPassword', 'look-secret-iot']]) {
    await page.getByTestId(field as string).fill(value as string)
  }
  await page.getByTestId('create-pair').click()
  await page.getByTestId('pair-row').waitFor()
  const pairId = (await page.getByTestId('pair-row').first().getAttribute('data-pair')) as string
  await writeFromConfigure(page, pairId, 'b', twins[1] as string)
  await writeFromConfigure(page, pairId, 'a', twins[0] as string)
  // Devices: the cards as the technician finds them afterwards (the write's panel closed on one, open on the other).
  await go('devices')
  await waitProbed(page, twins[0] as string)
  await waitProbed(page, twins[1] as string)
  await deviceCard(page, twins[1] as string).getByTestId('provision-close').click()
})

afterAll(async () => {
  await browser?.close()
})

describe('themes', () => {
  for (const scheme of ['light', 'dark'] as const) {
    it(`follows the system's ${scheme} theme, with readable text`, async () => {
      await page.emulateMedia({ colorScheme: scheme })
      await go('configure')
      const colours = (await page.evaluate(`(() => {
        const style = (selector, property) => getComputedStyle(document.querySelector(selector))[property]
        return {
          background: style('.content', 'backgroundColor'),
          surface: style('.card', 'backgroundColor'),
          text: style('.card', 'color'),
          muted: style('.lead', 'color'),
          warning: style('.notice strong', 'color'),
          warningBackground: style('.notice', 'backgroundColor'),
          accent: style('[data-testid="create-pair"]', 'backgroundColor'),
          accentText: style('[data-testid="create-pair"]', 'color'),
          navActive: style('.nav-item.active', 'backgroundColor'),
          navActiveText: style('.nav-item.active', 'color'),
        }
      })()`)) as Record<string, string>
      if (scheme === 'dark') expect(luminance(colours.background as string)).toBeLessThan(0.05)
      else expect(luminance(colours.background as string)).toBeGreaterThan(0.8)
      expect(contrast(colours.text as string, colours.surface as string)).toBeGreaterThan(7)
      expect(contrast(colours.muted as string, colours.background as string)).toBeGreaterThan(4.5)
      expect(contrast(colours.warning as string, colours.warningBackground as string)).toBeGreaterThan(4.5)
      expect(contrast(colours.accentText as string, colours.accent as string)).toBeGreaterThan(4.5)
      expect(contrast(colours.navActiveText as string, colours.navActive as string)).toBeGreaterThan(4.5)
      // The primary button is not red: red is for errors.
      const [r, g, b] = ((colours.accent as string).match(/\d+/g) ?? []).map(Number) as [number, number, number]
      expect(b).toBeGreaterThan(r)
      expect(g + b).toBeGreaterThan(r)
    })
  }
})

describe('keyboard and labels', () => {
  it('shows a visible focus outline on every control reached with Tab', async () => {
    await page.emulateMedia({ colorScheme: 'light' })
    for (const view of ['configure', 'commission', 'flash', 'devices', 'monitor', 'ice', 'lab']) {
      await go(view)
      await page.locator('body').focus()
      const seen = new Set<string>()
      for (let step = 0; step < 60; step++) {
        await page.keyboard.press('Tab')
        const focus = (await page.evaluate(`(() => {
          const element = document.activeElement
          if (!element || element === document.body) return undefined
          // A visually hidden file input shows its focus on the label around it.
          const shown = element.classList.contains('visually-hidden') ? element.closest('label') : element
          const style = getComputedStyle(shown)
          return { what: element.tagName + (element.id ? '#' + element.id : '') + ' ' + (element.textContent || element.getAttribute('data-testid') || '').trim().slice(0, 30), style: style.outlineStyle, width: parseFloat(style.outlineWidth) }
        })()`)) as { what: string; style: string; width: number } | undefined
        if (!focus) break
        seen.add(focus.what)
        expect(focus.style, focus.what).not.toBe('none')
        expect(focus.width, focus.what).toBeGreaterThanOrEqual(2)
      }
      // With no device watched and no lab running, ICE and Lab have only a few controls of their own.
      expect(seen.size, view).toBeGreaterThan(view === 'ice' || view === 'lab' ? 3 : 5)
    }
  })

  it('gives every input and select a label', async () => {
    for (const view of ['configure', 'commission', 'flash', 'devices', 'monitor', 'ice', 'lab']) {
      await go(view)
      const unlabelled = await page.evaluate(`[...document.querySelectorAll('input, select, textarea')]
        .filter((element) => element.labels.length === 0 && !element.getAttribute('aria-label') && !element.getAttribute('aria-labelledby'))
        .map((element) => element.outerHTML.slice(0, 80))`)
      expect(unlabelled, view).toEqual([])
    }
  })
})

describe('screenshots', () => {
  it('of every view, light and dark, at 1280×800 and 1920×1080, with no password in them', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme })
      for (const size of SIZES) {
        await page.setViewportSize(size)
        for (const view of VIEWS) {
          await go(view)
          await page.mouse.move(0, 0)
          await page.screenshot({ path: screenshotPath(`${view}-${scheme}-${size.width}x${size.height}.png`) })
        }
      }
    }
    const html = await page.content()
    for (const secret of ['look-secret-wifi', 'look-secret-A1', 'look-secret-B2', 'look-secret-iot']) expect(html).not.toContain(secret)
  })
})
