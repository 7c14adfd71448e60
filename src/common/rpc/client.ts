import {
  contract,
  isEventName,
  type EventName,
  type EventPayload,
  type RequestName,
  type RequestParams,
  type RequestResult,
} from '../contract'
import { deserializeError, PairKitError } from '../errors'
import { Emitter } from '../event'
import { Disposable, type IDisposable } from '../lifecycle'
import { EventsMessageSchema, ResponseMessageSchema } from './messages'
import type { MessageProtocol } from './protocol'

interface Pending {
  method: RequestName
  resolve(value: unknown): void
  reject(error: Error): void
  timer?: ReturnType<typeof setTimeout>
}

export interface RpcClientOptions {
  /** How long a request may wait for its answer, in ms; undefined or 0 = no limit. */
  timeoutMs?(method: RequestName): number | undefined
  /** The error a request that timed out rejects with. */
  timeoutError?(method: RequestName, timeoutMs: number): PairKitError
}

/** The caller's side of the contract: typed requests and typed event subscriptions. */
export class RpcClient extends Disposable {
  private nextId = 1
  private readonly pending = new Map<number, Pending>()
  private readonly emitters = new Map<EventName, Emitter<unknown>>()

  constructor(
    private readonly protocol: MessageProtocol,
    private readonly options: RpcClientOptions = {},
  ) {
    super()
    this.register(protocol.onMessage((message) => this.receive(message)))
  }

  request<K extends RequestName>(method: K, params: RequestParams<K>): Promise<RequestResult<K>> {
    const id = this.nextId++
    return new Promise<RequestResult<K>>((resolve, reject) => {
      const pending: Pending = { method, resolve: resolve as (value: unknown) => void, reject }
      this.pending.set(id, pending)
      try {
        this.protocol.send({ kind: 'request', id, method, params })
      } catch (error) {
        this.pending.delete(id)
        reject(error instanceof Error ? error : new Error(String(error)))
        return
      }
      const timeoutMs = this.options.timeoutMs?.(method)
      if (timeoutMs) {
        pending.timer = setTimeout(() => {
          if (!this.pending.delete(id)) return
          reject(this.options.timeoutError?.(method, timeoutMs) ?? new PairKitError('TIMEOUT', `no answer to ${method} within ${timeoutMs / 1000} s`))
        }, timeoutMs)
      }
    })
  }

  on<K extends EventName>(name: K, listener: (payload: EventPayload<K>) => void): IDisposable {
    let emitter = this.emitters.get(name)
    if (!emitter) {
      emitter = new Emitter<unknown>()
      this.emitters.set(name, emitter)
    }
    return emitter.event(listener as (payload: unknown) => void)
  }

  /** Rejects every request still waiting, e.g. when the connection is lost. */
  failPending(error: PairKitError): void {
    const waiting = [...this.pending.values()]
    this.pending.clear()
    for (const pending of waiting) {
      clearTimeout(pending.timer)
      pending.reject(error)
    }
  }

  override dispose(): void {
    this.failPending(new PairKitError('UNAVAILABLE', 'the connection to the backend was closed'))
    for (const emitter of this.emitters.values()) emitter.dispose()
    super.dispose()
  }

  private receive(raw: unknown): void {
    const response = ResponseMessageSchema.safeParse(raw)
    if (response.success) {
      const pending = this.pending.get(response.data.id)
      if (!pending) return
      this.pending.delete(response.data.id)
      clearTimeout(pending.timer)
      if (!response.data.ok) {
        pending.reject(deserializeError(response.data.error))
        return
      }
      const result = contract.requests[pending.method].output.safeParse(response.data.result)
      if (result.success) pending.resolve(result.data)
      else pending.reject(new PairKitError('INVALID_REQUEST', `the backend's answer to ${pending.method} does not match the contract`))
      return
    }
    const batch = EventsMessageSchema.safeParse(raw)
    if (!batch.success) return
    for (const event of batch.data.events) {
      if (!isEventName(event.name)) continue
      const payload = contract.events[event.name].safeParse(event.payload)
      if (payload.success) this.emitters.get(event.name)?.fire(payload.data)
    }
  }
}
