// The renderer's one way to the backend: a typed RpcClient over window.pairkit, with a time
// limit on every request and the connection's state for the page to show.
import type { RequestName } from '../../../common/contract'
import { PairKitError } from '../../../common/errors'
import { Emitter, type Event } from '../../../common/event'
import { RpcClient } from '../../../common/rpc/client'
import type { PairKitBridge } from '../../../common/rpc/window-bridge'
import { takeSessionToken } from './session-token'
import { createWebSocketBridge, type ConnectionStatus } from './websocket-bridge'

export type { ConnectionStatus } from './websocket-bridge'

/**
 * Every request is answered from memory or a short computation, well under a second; 30 s
 * leaves room for a laptop busy flashing four boards, and is not so long that a technician
 * is left wondering.
 */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000
/**
 * A dropped firmware bundle travels as up to 48 MiB of base64 and is then unpacked and
 * checked: on a slow laptop that is flashing at the same time this takes tens of seconds.
 */
export const REQUEST_TIMEOUTS_MS: Partial<Record<RequestName, number>> = { 'bundle.load': 120_000 }

let client: RpcClient | undefined
let status: ConnectionStatus = { state: 'connected', failedAttempts: 0 }
const statusChanged = new Emitter<ConnectionStatus>()
const reconnected = new Emitter<void>()

export function connectBackend(): RpcClient {
  if (client) return client
  if (!window.pairkit) {
    const bridge = createWebSocketBridge(window.location, takeSessionToken(window.location, window.history, sessionStorageOrUndefined()))
    status = bridge.status
    let wasConnected = false
    bridge.onStatus((next) => {
      const lost = status.state === 'connected' && next.state !== 'connected'
      status = next
      // Whatever was waiting for an answer will not get one over the old socket.
      if (lost) client?.failPending(new PairKitError('UNAVAILABLE', "the connection to PairKit's background service was lost before it answered", { hint: 'Wait until the notice at the top of the page goes away, then try again.' }))
      statusChanged.fire(next)
      if (next.state === 'connected') {
        if (wasConnected) reconnected.fire()
        wasConnected = true
      }
    })
    window.pairkit = bridge
  }
  client = new RpcClient(toProtocol(window.pairkit), {
    timeoutMs: (method) => REQUEST_TIMEOUTS_MS[method] ?? DEFAULT_REQUEST_TIMEOUT_MS,
    timeoutError: (_method, ms) =>
      new PairKitError('TIMEOUT', `PairKit's background service did not answer within ${ms / 1000} s`, { hint: 'Try again; if it happens again, restart PairKit.' }),
  })
  return client
}

export function useBackend(): RpcClient {
  if (!client) throw new Error('connectBackend() must run before the app mounts')
  return client
}

/** The connection to the backend now (always connected inside Electron, whose IPC does not drop). */
export function connectionStatus(): ConnectionStatus {
  return status
}

export const onConnectionStatus: Event<ConnectionStatus> = statusChanged.event
/** Fires once the connection is back after a drop: the backend may have restarted, so state is fetched again. */
export const onReconnected: Event<void> = reconnected.event

/** Reading window.sessionStorage itself throws where storage is disabled. */
function sessionStorageOrUndefined(): Storage | undefined {
  try {
    return window.sessionStorage
  } catch {
    return undefined
  }
}

function toProtocol(bridge: PairKitBridge) {
  const incoming = new Emitter<unknown>()
  bridge.onMessage((message) => incoming.fire(message))
  return { send: (message: unknown) => bridge.send(message), onMessage: incoming.event }
}
