// The renderer's one way to the backend: a typed RpcClient over window.pairkit.
import { Emitter } from '../../../common/event'
import { RpcClient } from '../../../common/rpc/client'
import type { PairKitBridge } from '../../../common/rpc/window-bridge'
import { takeSessionToken } from './session-token'
import { createWebSocketBridge } from './websocket-bridge'

let client: RpcClient | undefined

export function connectBackend(): RpcClient {
  if (client) return client
  if (!window.pairkit) {
    const bridge = createWebSocketBridge(window.location, takeSessionToken(window.location, window.history, sessionStorageOrUndefined()))
    bridge.onClose(() => client?.dispose())
    window.pairkit = bridge
  }
  client = new RpcClient(toProtocol(window.pairkit))
  return client
}

export function useBackend(): RpcClient {
  if (!client) throw new Error('connectBackend() must run before the app mounts')
  return client
}

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
