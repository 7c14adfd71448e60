// Debian's Chromium driven by playwright-core, with the flags this environment needs
// (no sandbox as root, no background traffic to the outside). Playwright gives each
// launch a fresh, empty profile.
import { chromium, type Browser } from 'playwright-core'

export const CHROMIUM_PATH = process.env.PAIRKIT_CHROMIUM ?? '/usr/bin/chromium'

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  })
}
