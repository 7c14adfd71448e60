// In a browser, window.pairkit is this: the same message pipe as the preload's, carried
// over the browser host's WebSocket. The token comes from the URL the host printed
// (then from the tab's sessionStorage: see session-token.ts).
import type { PairKitBridge } from '../../../common/rpc/window-bridge'

export const WS_PATH = '/rpc'

export interface WebSocketBridge extends PairKitBridge {
  /** Resolves once the socket is open; rejects if the host refuses it. */
  readonly ready: Promise<void>
  onClose(listener: (reason: string) => void): void
}

export function createWebSocketBridge(location: Location, token: string): WebSocketBridge {
  const socket = new WebSocket(`ws://${location.host}${WS_PATH}?token=${encodeURIComponent(token)}`)
  const listeners = new Set<(message: unknown) => void>()
  const closeListeners = new Set<(reason: string) => void>()
  const queue: string[] = []

  const ready = new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => {
      for (const text of queue.splice(0)) socket.send(text)
      resolve()
    })
    socket.addEventListener('error', () => reject(new Error('the PairKit backend refused the connection (wrong or missing token?)')))
  })
  socket.addEventListener('close', (event) => {
    for (const listener of closeListeners) listener(event.reason || 'the PairKit backend closed the connection')
  })
  socket.addEventListener('message', (event) => {
    let message: unknown
    try {
      message = JSON.parse(String(event.data))
    } catch {
      return
    }
    for (const listener of listeners) listener(message)
  })

  return {
    ready,
    send(message) {
      const text = JSON.stringify(message)
      if (socket.readyState === WebSocket.OPEN) socket.send(text)
      else queue.push(text)
    },
    onMessage(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    onClose(listener) {
      closeListeners.add(listener)
    },
  }
}
