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
  usage: 'web [--port N] [--data-dir DIR] [--json]',
  help: `
Serves the built UI and the PairKit backend on 127.0.0.1 and prints the URL to open.
The URL carries a token: only a page opened from it can use the backend. Pairs, devices,
the flash history, the chosen firmware and each view's inputs are kept in the data folder,
the desktop app's own; passwords stay in memory only, for this run.
Runs until Ctrl-C. Build the UI first with \`npm run build\` (\`npm run web\` does both).

  --port N        listen on port N (default: a free port). With a fixed port the token is
                  kept in the data folder (file web-token, owner only), so a tab left open
                  reconnects when PairKit is started again on the same port; delete the file
                  for a new token
  --data-dir DIR  keep the records there (default: PAIRKIT_DATA_DIR, else the app's folder)
  --json          print {"url", "port", "dataDir"} as one JSON line

Example: pairkit web --port 8080`,
  options: { port: { type: 'string' }, 'data-dir': { type: 'string' } },
  async run({ values, out, signal }) {
    const port = values.port === undefined ? 0 : Number(values.port)
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port takes a number from 0 to 65535')
    if (values['data-dir'] === '') throw new UsageError('--data-dir needs a folder')
    const rendererDir = process.env.PAIRKIT_RENDERER_DIR ?? RENDERER_DIR
    if (!existsSync(path.join(rendererDir, 'index.html'))) {
      throw new PairKitError('NOT_FOUND', 'the UI is not built', { hint: 'Run `npm run build` first, or use `npm run web`.' })
    }
    const [{ Backend }, { startWebHost }, { keptWebToken }, { resolveDataDir }, { labTwinStarter }] = await Promise.all([
      import('../../main/backend'),
      import('../../main/host/web-host'),
      import('../../main/host/web-token'),
      import('../../main/state/data-dir'),
      import('../../twin/lab-twin'),
    ])
    const dataDir = resolveDataDir(typeof values['data-dir'] === 'string' ? values['data-dir'] : undefined)
    const token = port === 0 ? undefined : readableToken(() => keptWebToken(dataDir), dataDir)
    // The browser host runs the virtual lab's twins in its own process.
    const backend = new Backend({ host: 'browser', dataDir, startLabTwin: labTwinStarter({ onNote: (text) => out.error(text) }) })
    const host = await startWebHost({ backend, rendererDir, port, ...(token ? { token } : {}) }).catch((error: unknown) => {
      backend.dispose()
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new PairKitError('PORT_BUSY', `port ${port} on 127.0.0.1 is in use (another PairKit?)`, { hint: 'Open the PairKit that runs there, or choose another --port.' })
      throw error
    })
    out.result({ url: host.url, port: host.port, dataDir }, () => `PairKit is at ${host.url}`)
    await new Promise<void>((resolve) => {
      if (signal.aborted) resolve()
      signal.addEventListener('abort', () => resolve(), { once: true })
      process.once('SIGTERM', () => resolve())
    })
    await backend.lab.stop()
    await host.close()
    backend.dispose()
    return 0
  },
}

function readableToken(read: () => string, dataDir: string): string {
  try {
    return read()
  } catch (error) {
    throw new PairKitError('BAD_INPUT', `cannot keep the browser token in ${dataDir}: ${error instanceof Error ? error.message : String(error)}`, { hint: 'Give a folder you can write to with --data-dir.' })
  }
}
