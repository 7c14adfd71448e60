// Watches one lab twin's console, as a serial monitor does, through the project's log parser:
// it opens the twin's serial link, resets the chip into its app with DTR/RTS, and follows the
// boot until the firmware says its ICE link is up and its forwarding client is connected.
// Each reset starts over, so a reboot on the way is not mistaken for a connection.
import { CancelledError, PairKitError } from '../../common/errors'
import { LogParser, type LogEvent } from '../../common/logs'
import { openLink, type SerialLink } from '../serial/link'

export type ConsoleMilestone = 'booting' | 'app' | 'signalling' | 'ice-connected' | 'connected'

export interface TwinConsoleWatch {
  /** Resolves when the firmware is connected to its peer and bridging; rejects on close or abort. */
  readonly connected: Promise<void>
  close(): Promise<void>
}

/** EN held low this long, as a serial monitor's reset does. */
const RESET_PULSE_MS = 20

export async function watchTwinConsole(url: string, onMilestone: (milestone: ConsoleMilestone, detail?: string) => void, signal: AbortSignal): Promise<TwinConsoleWatch> {
  const parser = new LogParser()
  let iceUp = false
  let bridging = false
  let settle: { resolve: () => void; reject: (error: Error) => void } | undefined
  const connected = new Promise<void>((resolve, reject) => (settle = { resolve, reject }))
  connected.catch(() => undefined)
  // Once closing, what the console still says is no longer the lab's (closing the link may reset the chip).
  let closing = false
  const consider = (event: LogEvent) => {
    if (closing) return
    if ((event.kind === 'boot' && event.event === 'rom-banner') || event.kind === 'reboot') {
      iceUp = false
      bridging = false
      onMilestone('booting')
    } else if (event.kind === 'boot' && event.event === 'app-main') onMilestone('app')
    else if (event.kind === 'signalling' && event.event === 'connected') onMilestone('signalling')
    else if (event.kind === 'ice-state') {
      iceUp = event.state === 'connected' || event.state === 'completed'
      if (iceUp) onMilestone('ice-connected', event.state)
    } else if (event.kind === 'bridge' && event.event === 'local-client-connected') bridging = true
    else if (event.kind === 'bridge' && event.event === 'local-client-disconnected') bridging = false
    if (iceUp && bridging) {
      onMilestone('connected')
      settle?.resolve()
    }
  }
  const link: SerialLink = await openLink(url, { signal, onData: (chunk) => parser.push(chunk).forEach(consider) })
  link.onClose((error) => settle?.reject(error ?? new PairKitError('PORT_DISCONNECTED', `the console of ${url} closed before the twin connected`)))
  const onAbort = () => settle?.reject(new CancelledError('the lab was stopped'))
  signal.addEventListener('abort', onAbort, { once: true })
  // EN low, then released with IO0 high: the chip boots its app with the console listening.
  await link.setSignals({ dtr: false, rts: true })
  await new Promise((resolve) => setTimeout(resolve, RESET_PULSE_MS))
  await link.setSignals({ rts: false })
  return {
    connected,
    async close() {
      closing = true
      signal.removeEventListener('abort', onAbort)
      await link.close()
    },
  }
}
