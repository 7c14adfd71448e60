// `pairkit monitor`: a device's console, live, with every byte kept in the data folder's spool
// (the same MonitorService the app uses, for one session).
import { PairKitError } from '../../common/errors'
import type { AnsiColour } from '../../common/logs/ansi'
import { UsageError, type Command } from '../command'

/** SGR foreground codes for re-colouring lines on a terminal (the lines come without ANSI). */
const SGR: Partial<Record<AnsiColour, number>> = { black: 30, red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, white: 37 }

export const monitorCommand: Command = {
  name: 'monitor',
  summary: "Show a device's console live, and keep every byte of it in the data folder.",
  usage: 'monitor --port URL [--baud N] [--reset] [--data-dir DIR] [--spool-limit MB] [--json]',
  help: `
Opens the device's serial console and prints its lines as they come; Ctrl-C ends it cleanly.
Every byte is also kept, exactly as received, in the data folder's spool (monitor/<device>/
<start time>/raw.bin, with session.json); the session's folder is printed on stderr at the end,
and \`pairkit logs parse FOLDER\` reads it. A local port that goes away is waited for and read
again when it is back; a network link that goes away ends the command.

  --port URL         /dev/ttyUSB0, COM3, socket://HOST:PORT or rfc2217://HOST:PORT
  --baud N           the console's rate (default 115200)
  --reset            reset the chip into its app first (DTR/RTS, as after a flash), so the log
                     starts with the boot; a link without those lines is not reset (a warning)
  --data-dir DIR     where the spool is (default: PAIRKIT_DATA_DIR, else the app's folder)
  --spool-limit MB   the spool's total size (default: PAIRKIT_MONITOR_SPOOL_MB, else the app's
                     setting, else 512); the oldest finished sessions are deleted beyond it
  --json             one JSON object per event the log parser finds (kind, t = ms since boot
                     or null, hostTime, the event's fields); lines it does not know are kind raw

What PairKit itself says (a reset, the port gone or back) goes to stderr.

Example: pairkit monitor --port /dev/ttyUSB0 --reset`,
  options: { port: { type: 'string' }, baud: { type: 'string' }, reset: { type: 'boolean' }, 'data-dir': { type: 'string' }, 'spool-limit': { type: 'string' } },
  async run({ values, out, signal }) {
    const port = values.port
    if (typeof port !== 'string' || port.length === 0) throw new UsageError('--port is required (a device path, socket://HOST:PORT or rfc2217://HOST:PORT)')
    const baud = values.baud === undefined ? undefined : Number(values.baud)
    if (baud !== undefined && (!Number.isInteger(baud) || baud < 300 || baud > 4_000_000)) throw new UsageError(`--baud ${String(values.baud)} is not a baud rate (300 to 4000000)`)
    if (values['data-dir'] === '') throw new UsageError('--data-dir needs a folder')
    const [{ MonitorService }, { DeviceLocks }, { resolveDataDir }, { PortWatcher }, { parseDeviceLink }] = await Promise.all([
      import('../../main/monitor'),
      import('../../main/devices/device-locks'),
      import('../../main/state/data-dir'),
      import('../../main/serial/port-watcher'),
      import('../../common/devices/device-id'),
    ])
    const link = parseDeviceLink(port)
    const spoolLimitMb = typeof values['spool-limit'] === 'string' ? values['spool-limit'] : undefined
    // A local port that goes away is waited for: the watcher sees it back and the session resumes.
    const watcher = link.kind === 'local' ? new PortWatcher([port]) : undefined
    watcher?.start()
    const monitor = new MonitorService({
      locks: new DeviceLocks(),
      dataDir: resolveDataDir(typeof values['data-dir'] === 'string' ? values['data-dir'] : undefined),
      ...(spoolLimitMb !== undefined ? { spoolLimitMb } : {}),
      ...(watcher ? { ports: watcher.onDidChange } : {}),
    })
    const colours = !out.json && process.stdout.isTTY === true
    let gone: PairKitError | undefined
    const ended = new Promise<void>((resolve) => {
      const stop = () => resolve()
      if (signal.aborted) stop()
      signal.addEventListener('abort', stop, { once: true })
      process.once('SIGTERM', stop)
      monitor.onNotice((message) => out.warn(message))
      monitor.onEvent((event) => {
        if (event.name !== 'monitor.status') return
        const { session, notice } = event.payload
        if (notice) out.error(`${notice.level === 'info' ? '' : `${notice.level === 'warn' ? 'warning' : 'error'}: `}${notice.message}`)
        const status = session.status
        if (status.state !== 'ended' || status.reason !== 'port-lost' && status.reason !== 'failed') return
        if (status.waitingForPort) out.error(`waiting for ${session.deviceId} to come back (Ctrl-C to stop)`)
        else {
          gone = new PairKitError('PORT_DISCONNECTED', status.message ?? `${session.deviceId} went away`)
          resolve()
        }
      })
    })
    const write = (text: string) => process.stdout.write(text)
    let sessionId: string
    try {
      ;({ sessionId } = await monitor.open(
        { deviceId: port, ...(baud !== undefined ? { baud } : {}), reset: values.reset === true },
        out.json
          ? {
              onLine: (line) => line.marker && out.error(line.text),
              onEvent: ({ source: _source, ...event }) => write(`${JSON.stringify(event)}\n`),
            }
          : {
              onLine: (line) => {
                if (line.marker) out.error(line.text)
                else write(`${colours && line.colour && SGR[line.colour] ? `\x1b[${SGR[line.colour]}m${line.text}\x1b[0m` : line.text}\n`)
              },
            },
      ))
    } catch (error) {
      watcher?.dispose()
      monitor.dispose()
      throw error
    }
    await ended
    const spoolDir = monitor.list().find((session) => session.sessionId === sessionId)?.spoolDir
    await monitor.close(sessionId)
    await monitor.shutdown()
    watcher?.dispose()
    monitor.dispose()
    if (spoolDir) out.error(`the session is kept in ${spoolDir}`)
    if (gone) throw gone
    return 0
  },
}
