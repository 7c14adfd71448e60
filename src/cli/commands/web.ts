import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { PairKitError } from '../../common/errors'
import { UsageError, type Command } from '../command'

// out/renderer, seen from this module built into out/cli or from its source in src/cli/commands.
const here = path.dirname(fileURLToPath(import.meta.url))
export const RENDERER_DIR =
  [path.resolve(here, '../renderer'), path.resolve(here, '../../../out/renderer')].find((dir) => existsSync(path.join(dir, 'index.html'))) ??
  path.resolve(here, '../renderer')

export const webCommand: Command = {
  name: 'web',
  summary: 'Serve the PairKit UI to a browser on this computer (127.0.0.1 only).',
  usage: 'web [--port N] [--json]',
  help: `
Serves the built UI and the PairKit backend on 127.0.0.1 and prints the URL to open.
The URL carries a token made for this run: only a page opened from it can use the backend.
Runs until Ctrl-C. Build the UI first with \`npm run build\` (\`npm run web\` does both).

  --port N   listen on port N (default: a free port)
  --json     print {"url": …} as one JSON line

Example: pairkit web --port 8080`,
  options: { port: { type: 'string' } },
  async run({ values, out, signal }) {
    const port = values.port === undefined ? 0 : Number(values.port)
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port takes a number from 0 to 65535')
    const rendererDir = process.env.PAIRKIT_RENDERER_DIR ?? RENDERER_DIR
    if (!existsSync(path.join(rendererDir, 'index.html'))) {
      throw new PairKitError('NOT_FOUND', 'the UI is not built', { hint: 'Run `npm run build` first, or use `npm run web`.' })
    }
    const [{ Backend }, { startWebHost }] = await Promise.all([import('../../main/backend'), import('../../main/host/web-host')])
    const backend = new Backend({ host: 'browser' })
    const host = await startWebHost({ backend, rendererDir, port })
    out.result({ url: host.url, port: host.port }, () => `PairKit is at ${host.url}`)
    await new Promise<void>((resolve) => {
      if (signal.aborted) resolve()
      signal.addEventListener('abort', () => resolve(), { once: true })
      process.once('SIGTERM', () => resolve())
    })
    await host.close()
    backend.dispose()
    return 0
  },
}
