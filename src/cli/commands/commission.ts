// `pairkit commission`: the whole commissioning of a pair from the command line — firmware,
// pair settings, reset, boot, sync, connect, bridge test, report — with one line per step
// change (one JSON object with --json) and the report's files at the end.
import { type Command, UsageError } from '../command'

export const commissionCommand: Command = {
  name: 'commission',
  summary: 'Commission a pair on two devices: flash where needed, provision, watch them connect, run the bridge test, write the report.',
  usage: 'commission --a URL --b URL --bundle PATH --pair ID [--site-a-mqtt URL --site-b-mqtt URL] [--notes TEXT] [--out DIR] [--data-dir DIR] [--passwords-file FILE] [--json]',
  help: `
Makes two devices a working pair and documents it, step by step:
  1. compares the firmware bundle with each device (MD5 of each part) and flashes the parts
     that differ; 2. writes the pair's settings, role 1 to A and role 2 to B; 3. resets both
     with their consoles open; 4–6. watches both boot, meet on the signalling broker and connect;
  7. runs the bridge test between the two site brokers; 8. writes the report (JSON and HTML)
  and a support bundle (.zip: consoles, parsed events, ICE models, redacted configuration).
A step that fails stops the flow with the diagnosis from the consoles and what to do.

  --a URL, --b URL      the devices: /dev/ttyUSB0, COM3, socket://HOST:PORT, rfc2217://HOST:PORT
  --bundle PATH         the firmware: build folder, .zip or merged .bin
  --pair ID             a pair made in the PairKit app or with \`pairkit config pair\` (its data folder)
  --site-a-mqtt URL     site A's broker for the bridge test (default: the device's soft-AP broker,
  --site-b-mqtt URL     mqtt://192.168.4.1:1883, or for a twin the port its console announces)
  --notes TEXT          the technician's notes, printed in the report
  --out DIR             where the report files go (default: the data folder's records/<pair>/)
  --data-dir DIR        PairKit's data folder (default: PAIRKIT_DATA_DIR, else the app's own)
  --passwords-file FILE the pair's passwords as JSON, {"a":{"staPassword","apPassword"},"b":{…},
                        "turnPassword","signallingUri"}, for a pair whose passwords the app keeps
  --json                one JSON object per step change, then the result

Exit status: 0 when the pair is commissioned and the bridge test passes, 1 when a step fails,
2 for usage errors.

Example: pairkit commission --a /dev/ttyUSB0 --b /dev/ttyUSB1 --bundle build/ --pair 3f9a0c1d2e4b5a69`,
  options: {
    a: { type: 'string' },
    b: { type: 'string' },
    bundle: { type: 'string' },
    pair: { type: 'string' },
    'site-a-mqtt': { type: 'string' },
    'site-b-mqtt': { type: 'string' },
    notes: { type: 'string' },
    out: { type: 'string' },
    'data-dir': { type: 'string' },
    'passwords-file': { type: 'string' },
  },
  positionals: { min: 0, max: 0 },
  async run({ values, out, signal }) {
    const text = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined)
    const a = text('a')
    const b = text('b')
    const bundlePath = text('bundle')
    const pairId = text('pair')
    if (!a || !b) throw new UsageError('give both devices: --a URL and --b URL')
    if (!bundlePath) throw new UsageError('give the firmware: --bundle PATH (a build folder, .zip or merged .bin)')
    if (!pairId) throw new UsageError('give the pair: --pair ID')
    if (!/^[a-z0-9]{8,32}$/.test(pairId)) throw new UsageError(`--pair ${pairId} is not a pair id (8 to 32 lower-case letters and digits)`)
    const siteA = text('site-a-mqtt')
    const siteB = text('site-b-mqtt')
    const { brokerUrlProblem } = await import('../../main/traffic/broker-connection')
    for (const [flag, url] of [['--site-a-mqtt', siteA], ['--site-b-mqtt', siteB]] as const) {
      const problem = url === undefined ? undefined : brokerUrlProblem(url)
      if (problem) throw new UsageError(`${flag}: ${problem}`)
    }
    const { runCommission } = await import('./commission-run')
    return runCommission(
      {
        a,
        b,
        bundlePath,
        pairId,
        ...(siteA ? { siteAMqtt: siteA } : {}),
        ...(siteB ? { siteBMqtt: siteB } : {}),
        ...(text('notes') !== undefined ? { notes: text('notes') as string } : {}),
        ...(text('out') ? { outDir: text('out') as string } : {}),
        ...(text('data-dir') ? { dataDir: text('data-dir') as string } : {}),
        ...(text('passwords-file') ? { passwordsFile: text('passwords-file') as string } : {}),
      },
      out,
      signal,
    )
  },
}
