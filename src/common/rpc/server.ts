import { contract, isEventName, isRequestName, type ContractEvent, type ContractHandlers, type RequestName } from '../contract'
import { PairKitError, serializeError } from '../errors'
import type { Event } from '../event'
import { Disposable } from '../lifecycle'
import { EventBatcher } from './event-batcher'
import { EventShedder } from './event-shedder'
import { RequestMessageSchema, type ServerMessage } from './messages'
import type { MessageProtocol } from './protocol'

/**
 * Serves the whole contract over one protocol: validates every request against its
 * schema before a handler sees it, validates every result and event before it leaves,
 * and batches events. One instance per connected window or browser tab.
 */
export class RpcServer extends Disposable {
  private readonly batcher: EventBatcher<ContractEvent>
  private readonly shedder: EventShedder

  constructor(
    private readonly protocol: MessageProtocol,
    private readonly handlers: ContractHandlers,
    events: Event<ContractEvent>,
    batchIntervalMs?: number,
  ) {
    super()
    this.batcher = new EventBatcher((batch) => this.send({ kind: 'events', events: batch }), batchIntervalMs)
    this.shedder = new EventShedder(() => protocol.backlogBytes?.() ?? 0)
    this.register(this.batcher)
    this.register(protocol.onMessage((message) => void this.handle(message)))
    this.register(events((event) => this.pushEvent(event)))
  }

  private pushEvent(event: ContractEvent): void {
    if (!isEventName(event.name)) return
    const checked = contract.events[event.name].safeParse(event.payload)
    if (!checked.success) {
      console.error(`event ${event.name} does not match the contract: ${checked.error.message}`)
      return
    }
    // Monitor lines are skipped (and counted) for a client whose connection is behind.
    const admitted = this.shedder.admit(event)
    if (admitted) this.batcher.push(admitted)
  }

  private async handle(raw: unknown): Promise<void> {
    const envelope = RequestMessageSchema.safeParse(raw)
    if (!envelope.success) {
      const id = typeof raw === 'object' && raw !== null && Number.isInteger((raw as { id?: unknown }).id) ? (raw as { id: number }).id : 0
      this.sendError(id >= 0 ? id : 0, new PairKitError('INVALID_REQUEST', `malformed message: ${summarize(envelope.error.issues)}`))
      return
    }
    const { id, method, params } = envelope.data
    if (!isRequestName(method)) {
      this.sendError(id, new PairKitError('INVALID_REQUEST', `unknown method "${method}"`))
      return
    }
    const spec = contract.requests[method]
    const input = spec.input.safeParse(params ?? {})
    if (!input.success) {
      this.sendError(id, new PairKitError('INVALID_REQUEST', `invalid params for ${method}: ${summarize(input.error.issues)}`))
      return
    }
    try {
      const result = await callHandler(this.handlers, method, input.data)
      const output = spec.output.safeParse(result)
      if (!output.success) throw new Error(`result of ${method} does not match the contract: ${summarize(output.error.issues)}`)
      this.send({ kind: 'response', id, ok: true, result: output.data })
    } catch (error) {
      this.sendError(id, error)
    }
  }

  private sendError(id: number, error: unknown): void {
    this.send({ kind: 'response', id, ok: false, error: serializeError(error) })
  }

  private send(message: ServerMessage): void {
    if (this.store.isDisposed) return
    try {
      this.protocol.send(message)
    } catch (error) {
      console.error('could not send to the client:', error)
    }
  }
}

// The handler table is indexed by a name known only at run time; the input was
// validated against that same name's schema just before, so the call is sound.
function callHandler(handlers: ContractHandlers, method: RequestName, input: unknown): Promise<unknown> {
  const handler = handlers[method] as (input: unknown) => unknown
  return Promise.resolve(handler(input))
}

function summarize(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 3)
    .map((issue) => (issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ${issue.message}` : issue.message))
    .join('; ')
}
