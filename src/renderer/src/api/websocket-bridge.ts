// In a browser, window.pairkit is this: the same message pipe as the preload's, carried
// over the browser host's WebSocket. The token comes from the URL the host printed (then
// from the tab's sessionStorage: see session-token.ts).
//
// Unlike Electron's IPC, a socket can drop: the host was stopped, restarted or the laptop
// slept. The bridge then opens a new socket, sooner at first and every few seconds after
// (reconnect-delay.ts), and says so through onStatus, so the page can show that it is
// waiting and fetch its state again once it is back.
import { PairKitError } from '../../../common/errors'
import type { PairKitBridge } from '../../../common/rpc/window-bridge'
import { reconnectDelayMs } from './reconnect-delay'

export const WS_PATH = '/rpc'
/** Messages sent before the first connection is open wait here (the page's first requests). */
const MAX_QUEUED = 64

export type ConnectionState =
  /** The first connection is being opened. */
  | 'connecting'
  | 'connected'
  /** A connection was lost or refused; another attempt follows. */
  | 'disconnected'

export interface ConnectionStatus {
  state: ConnectionState
  /** Failed attempts since the last open connection. */
  failedAttempts: number
}

export interface WebSocketBridge extends PairKitBridge {
  readonly status: ConnectionStatus
  /** Every change of the connection's state. */
  onStatus(listener: (status: ConnectionStatus) => void): () => void
  /** Stops reconnecting and closes the socket. */
  close(): void
}

export function createWebSocketBridge(location: Location, token: string): WebSocketBridge {
  const address = `ws://${location.host}${WS_PATH}?token=${encodeURIComponent(token)}`
  const listeners = new Set<(message: unknown) => void>()
  const statusListeners = new Set<(status: ConnectionStatus) => void>()
  const queue: string[] = []
  let status: ConnectionStatus = { state: 'connecting', failedAttempts: 0 }
  let socket: WebSocket | undefined
  let retry: ReturnType<typeof setTimeout> | undefined
  let closed = false

  const setStatus = (next: ConnectionStatus) => {
    status = next
    for (const listener of [...statusListeners]) listener(status)
  }

  const open = () => {
    retry = undefined
    const current = new WebSocket(address)
    socket = current
    current.addEventListener('open', () => {
      setStatus({ state: 'connected', failedAttempts: 0 })
      for (const text of queue.splice(0)) current.send(text)
    })
    current.addEventListener('message', (event) => {
      let message: unknown
      try {
        message = JSON.parse(String(event.data))
      } catch {
        return
      }
      for (const listener of [...listeners]) listener(message)
    })
    // A refused or failed socket fires 'error' and then 'close'; 'close' alone decides.
    current.addEventListener('close', () => {
      if (socket !== current) return
      socket = undefined
      queue.length = 0
      if (closed) return
      const failedAttempts = status.state === 'connected' ? 0 : status.failedAttempts + 1
      setStatus({ state: 'disconnected', failedAttempts })
      retry = setTimeout(open, reconnectDelayMs(failedAttempts))
    })
  }
  open()

  return {
    get status() {
      return status
    },
    send(message) {
      const text = JSON.stringify(message)
      if (socket?.readyState === WebSocket.OPEN) socket.send(text)
      else if (status.state === 'connecting' && queue.length < MAX_QUEUED) queue.push(text)
      // Thrown here, the RpcClient rejects the request at once instead of letting it wait.
      else throw new PairKitError('UNAVAILABLE', "PairKit's background service is not answering", { hint: 'Wait until the notice at the top of the page goes away, then try again.' })
    },
    onMessage(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    onStatus(listener) {
      statusListeners.add(listener)
      return () => statusListeners.delete(listener)
    },
    close() {
      closed = true
      clearTimeout(retry)
      socket?.close()
    },
  }
}
