// `npm start` on a machine without the Electron runtime: one line saying why, then the
// browser host, whose printed URL serves the app.
import { describe, expect, it } from 'vitest'
import { REPO_ROOT, spawnTracked, stopProcess, waitForLine } from '../support/processes'

describe('npm start without Electron', () => {
  it('says why in one line and serves the UI instead', async () => {
    const child = spawnTracked('node', ['scripts/start.js'], { cwd: REPO_ROOT, env: { ...process.env, DISPLAY: '' }, detached: false })
    try {
      const lines: string[] = []
      child.stdout?.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)))
      const [, url] = (await waitForLine(child.stdout!, /PairKit is at (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/, 60_000)) as RegExpMatchArray
      const why = lines.filter((line) => line.startsWith('PairKit:'))
      expect(why).toHaveLength(1)
      expect(why[0]).toMatch(/serving the UI to your browser instead/)
      const page = await fetch(url as string)
      expect(page.status).toBe(200)
      const html = await page.text()
      expect(html).toContain('<div id="app"></div>')
      expect(html).toContain('Content-Security-Policy')
    } finally {
      await stopProcess(child)
    }
  })
})
