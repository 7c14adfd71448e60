import { Emitter } from '../event'
import type { MessageProtocol } from './protocol'

/**
 * Two connected in-memory protocols, for running client and server in one process.
 * Messages go through structuredClone and a microtask, like a real transport would.
 */
export function createProtocolPair(): [MessageProtocol, MessageProtocol] {
  const toA = new Emitter<unknown>()
  const toB = new Emitter<unknown>()
  const deliver = (emitter: Emitter<unknown>, message: unknown) => {
    const copy = structuredClone(message)
    queueMicrotask(() => emitter.fire(copy))
  }
  return [
    { send: (message) => deliver(toB, message), onMessage: toA.event },
    { send: (message) => deliver(toA, message), onMessage: toB.event },
  ]
}
