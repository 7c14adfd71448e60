// The Traffic view against two twins configured as a pair (settings in their NVS, a local
// mosquitto for signalling): messages published on each site from the page's publish panel
// show crossing A → B and B → A, from the site brokers' subscribers; then, with both consoles
// opened from the view and no broker watched, the firmware's forward lines alone give the same
// directions. The bridge test runs from its card and its result reads as findings. Screenshots
// of the view with live traffic and a result, light and dark, at 1280×800 and 1920×1080.
import { readFileSync } from 'node:fs'
import type { Browser, ConsoleMessage, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from '../support/browser'
import { screenshotPath } from '../support/screenshots'
import { makeTempDir } from '../support/temp-dir'
import { MiniMqtt, startBridgePair, type BridgePair } from './bridge-twins'
import { go, startWeb } from './technician'

const dir = makeTempDir('pairkit-e2e-traffic-')
let browser: Browser
let page: Page
let pair: BridgePair
const cspErrors: string[] = []

beforeAll(async () => {
  pair = await startBridgePair(dir)
  const web = await startWeb(makeTempDir('pairkit-e2e-traffic-data-'))
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' })
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) cspErrors.push(message.text())
  })
  await page.goto(web.url)
  await go(page, 'traffic')
})

afterAll(async () => {
  await browser?.close()
})

function rows(topic: string): Locator {
  return page.locator(`[data-testid="traffic-row"][data-topic="${topic}"]`)
}

/** The rows of a topic as [site, source, direction, fate], site A first, once `count` of them crossed. */
async function crossed(topic: string, count = 2): Promise<string[][]> {
  await page.locator(`[data-testid="traffic-row"][data-topic="${topic}"][data-fate="crossed"]`).nth(count - 1).waitFor({ timeout: 15_000 })
  const found = await rows(topic).evaluateAll((elements) =>
    elements.map((element) => ['data-site', 'data-source', 'data-direction', 'data-fate'].map((name) => element.getAttribute(name) ?? '')),
  )
  return found.sort((x, y) => (x[0] as string).localeCompare(y[0] as string))
}

async function sourcesConnected(ids: string[]): Promise<void> {
  for (const id of ids) await page.locator(`[data-testid="traffic-source"][data-source="${id}"][data-state="connected"]`).waitFor({ timeout: 15_000 })
}

async function publishFromPanel(site: 'A' | 'B', topic: string, payload: string): Promise<void> {
  await page.getByTestId('publish-site').selectOption(site)
  await page.getByTestId('publish-topic').fill(topic)
  await page.getByTestId('publish-payload').fill(payload)
  await page.getByTestId('publish-send').click()
  await page.getByTestId('publish-sent').getByText(`Published on site ${site}`).waitFor()
}

/** Opens the form again when a session runs (it folds away behind its sources). */
async function changeWhatToWatch(): Promise<void> {
  const edit = page.getByTestId('traffic-edit')
  if (await edit.isVisible()) await edit.click()
}

describe('Traffic view with two twins as a pair', () => {
  it('shows messages from both site brokers crossing A → B and B → A, with exact counters and the payload', async () => {
    await page.getByTestId('traffic-a-mqtt').fill(pair.a.broker())
    await page.getByTestId('traffic-b-mqtt').fill(pair.b.broker())
    await page.getByTestId('traffic-a-device').fill('')
    await page.getByTestId('traffic-start').click()
    await sourcesConnected(['A/mqtt', 'B/mqtt'])

    await publishFromPanel('A', 'farm/north/temperature', '{"celsius": 21.5, "sensor": "north-1"}')
    await publishFromPanel('B', 'farm/south/pump', 'switch the pump on')
    expect(await crossed('farm/north/temperature')).toEqual([
      ['A', 'mqtt', 'a-to-b', 'crossed'],
      ['B', 'mqtt', 'a-to-b', 'crossed'],
    ])
    expect(await crossed('farm/south/pump')).toEqual([
      ['A', 'mqtt', 'b-to-a', 'crossed'],
      ['B', 'mqtt', 'b-to-a', 'crossed'],
    ])
    // What the technician reads in the direction column.
    await expect(rows('farm/north/temperature').first().locator('.dir-chip').innerText()).resolves.toBe('A → B')
    await expect(rows('farm/south/pump').first().locator('.dir-chip').innerText()).resolves.toBe('B → A')
    await page.getByTestId('count-aToB-crossed').getByText('1', { exact: true }).waitFor()
    await page.getByTestId('count-bToA-crossed').getByText('1', { exact: true }).waitFor()
    await expect(page.getByTestId('count-aToB-lost').innerText()).resolves.toBe('0')

    // One message in full: pretty JSON, and its direction in words.
    await rows('farm/north/temperature').last().click()
    await page.getByTestId('detail-topic').getByText('farm/north/temperature').waitFor()
    await expect(page.getByTestId('detail-payload').innerText()).resolves.toBe('{\n  "celsius": 21.5,\n  "sensor": "north-1"\n}')
    await expect(page.getByTestId('detail-direction').innerText()).resolves.toBe('A → B')
    // The buffer as JSON lines, downloaded as a file.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('traffic-export').click()])
    expect(download.suggestedFilename()).toMatch(/^pairkit-traffic-.*\.jsonl$/)
    const lines = readFileSync((await download.path()) as string, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>)
    expect(lines[0]).toMatchObject({ type: 'header', format: 'pairkit-traffic/1' })
    const exported = lines.filter((line) => line.topic === 'farm/north/temperature').map((line) => [line.site, line.direction, line.payloadText])
    expect(exported.sort((x, y) => String(x[0]).localeCompare(String(y[0])))).toEqual([
      ['A', 'a-to-b', '{"celsius": 21.5, "sensor": "north-1"}'],
      ['B', 'a-to-b', '{"celsius": 21.5, "sensor": "north-1"}'],
    ])
    // The topic tree counts each message once per site.
    await page.getByTestId('topics-A').locator('[data-topic="farm/north"] [data-testid="topic-total"]').first().getByText('1').waitFor({ timeout: 5000 })
  })

  it('shows the same directions from the consoles\' forward lines alone, opened from the view', async () => {
    await changeWhatToWatch()
    for (const [site, twin] of [['a', pair.a], ['b', pair.b]] as const) {
      await page.getByTestId(`traffic-${site}-mqtt`).fill('')
      await page.getByTestId(`traffic-${site}-device`).fill(twin.url)
      await page.getByTestId(`traffic-open-console-${site}`).click()
      await page.locator(`[data-testid="traffic-console-${site}"][data-state="open"]`).waitFor({ timeout: 15_000 })
    }
    await page.getByTestId('traffic-start').click()
    await sourcesConnected(['A/console', 'B/console'])
    // No broker watched: the test publishes on the sites' brokers itself.
    const [onA, onB] = await Promise.all([MiniMqtt.connect(pair.a.broker()), MiniMqtt.connect(pair.b.broker())])
    onA.publish('console/north', 'seen on both consoles: handle_message on A')
    onB.publish('console/south', 'seen on both consoles: handle_message on B')
    onA.close()
    onB.close()
    expect(await crossed('console/north')).toEqual([
      ['A', 'console', 'a-to-b', 'crossed'],
      ['B', 'console', 'a-to-b', 'crossed'],
    ])
    expect(await crossed('console/south')).toEqual([
      ['A', 'console', 'b-to-a', 'crossed'],
      ['B', 'console', 'b-to-a', 'crossed'],
    ])
    await expect(page.getByTestId('count-aToB-crossed').innerText()).resolves.toBe('1')
    await expect(page.getByTestId('count-bToA-crossed').innerText()).resolves.toBe('1')
  })

  it('runs the bridge test from its card and shows both directions and its findings, with live traffic from every source', async () => {
    // Brokers and consoles together, as a technician with both at hand would watch.
    await changeWhatToWatch()
    await page.getByTestId('traffic-a-mqtt').fill(pair.a.broker())
    await page.getByTestId('traffic-b-mqtt').fill(pair.b.broker())
    await page.getByTestId('traffic-start').click()
    await sourcesConnected(['A/mqtt', 'B/mqtt', 'A/console', 'B/console'])
    await page.getByTestId('bridge-test-run').click()
    const result = page.getByTestId('bridge-test-result')
    await result.waitFor({ timeout: 60_000 })
    await expect(result.getAttribute('data-pass')).resolves.toBe('true')
    await expect(page.getByTestId('bridge-test-direction').count()).resolves.toBe(2)
    const codes = await page.getByTestId('bridge-test-finding').evaluateAll((elements) => elements.map((element) => element.getAttribute('data-code')))
    expect(codes).toContain('qos-not-carried')
    expect(codes).toContain('retain-not-carried')
    expect(await page.getByTestId('bridge-test-verdict').innerText()).toMatch(/pass\s+The bridge passed\./)
    // The test's own messages crossed in the view too.
    await page.locator('[data-testid="traffic-row"][data-fate="crossed"]').first().waitFor()

    // Every probe crossed, also the largest ones, whose console lines the monitor cuts.
    await page.getByTestId('count-aToB-pending').getByText('0', { exact: true }).waitFor()
    await page.getByTestId('count-bToA-pending').getByText('0', { exact: true }).waitFor()
    await expect(page.getByTestId('count-aToB-lost').innerText()).resolves.toBe('0')
    await expect(page.getByTestId('count-bToA-lost').innerText()).resolves.toBe('0')

    // The oldest rows in the buffer came only as counts or left the page long ago: read back by id.
    await page.getByTestId('traffic-scroll').focus()
    await page.keyboard.press('Home')
    await page.locator('[data-testid="traffic-row"][aria-rowindex="2"]').waitFor()
    await page.getByTestId('traffic-follow').waitFor()
    await page.getByText(/^reading message/).first().waitFor({ state: 'detached' })
    const oldest = await page.locator('[data-testid="traffic-row"][aria-rowindex="2"]').getAttribute('data-topic')
    await expect(page.getByTestId('detail-topic').innerText()).resolves.toBe(oldest)
    await page.getByTestId('traffic-follow').click()

    await publishFromPanel('A', 'farm/north/temperature', '{"celsius": 22.1, "sensor": "north-1"}')
    await rows('farm/north/temperature').last().click()
    await page.getByTestId('detail-topic').getByText('farm/north/temperature').waitFor()
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme })
      for (const size of [{ width: 1280, height: 800 }, { width: 1920, height: 1080 }]) {
        await page.setViewportSize(size)
        await page.evaluate('window.scrollTo(0, 0)')
        await page.mouse.move(0, 0)
        await page.screenshot({ path: screenshotPath(`traffic-${scheme}-${size.width}x${size.height}.png`) })
        await page.getByTestId('bridge-test').scrollIntoViewIfNeeded()
        await page.screenshot({ path: screenshotPath(`traffic-bridge-test-${scheme}-${size.width}x${size.height}.png`) })
        await page.getByTestId('traffic-rate-chart').scrollIntoViewIfNeeded()
        await page.screenshot({ path: screenshotPath(`traffic-rates-${scheme}-${size.width}x${size.height}.png`) })
      }
    }
    expect(cspErrors).toEqual([])
    const html = await page.content()
    for (const secret of ['workshop-e2e-pass', 'iot-e2e-pass']) expect(html).not.toContain(secret)
  })

  it('labels every input and shows a focus outline on every control reached with Tab', async () => {
    await page.emulateMedia({ colorScheme: 'light' })
    await page.setViewportSize({ width: 1280, height: 800 })
    await changeWhatToWatch()
    const unlabelled = await page.evaluate(`[...document.querySelectorAll('input, select, textarea')]
      .filter((element) => element.labels.length === 0 && !element.getAttribute('aria-label') && !element.getAttribute('aria-labelledby'))
      .map((element) => element.outerHTML.slice(0, 80))`)
    expect(unlabelled).toEqual([])
    await page.evaluate('window.scrollTo(0, 0)')
    await page.locator('body').focus()
    const seen = new Set<string>()
    for (let step = 0; step < 80; step++) {
      await page.keyboard.press('Tab')
      const focus = (await page.evaluate(`(() => {
        const element = document.activeElement
        if (!element || element === document.body) return undefined
        const style = getComputedStyle(element)
        return { what: element.tagName + ' ' + (element.getAttribute('data-testid') || element.textContent || '').trim().slice(0, 30), style: style.outlineStyle, width: parseFloat(style.outlineWidth) }
      })()`)) as { what: string; style: string; width: number } | undefined
      if (!focus) break
      seen.add(focus.what)
      expect(focus.style, focus.what).not.toBe('none')
      expect(focus.width, focus.what).toBeGreaterThanOrEqual(2)
    }
    expect(seen.size).toBeGreaterThan(20)
  })
})
