// The UI↔backend contract: every request (with its response) and every pushed event,
// each with a runtime schema. Both transports (Electron IPC and the browser host's
// WebSocket) carry exactly these messages and validate them on arrival.
import type { z } from 'zod'
import { appEvents, appRequests } from './app'
import { configEvents, configRequests } from './config'
import { flashEvents, flashRequests } from './flash'
import { portsEvents, portsRequests } from './ports'

export const contract = {
  requests: { ...appRequests, ...portsRequests, ...configRequests, ...flashRequests },
  events: { ...appEvents, ...portsEvents, ...configEvents, ...flashEvents },
} as const

export type Contract = typeof contract
export type RequestName = keyof Contract['requests']
export type EventName = keyof Contract['events']

export type RequestParams<K extends RequestName> = z.input<Contract['requests'][K]['input']>
export type RequestInput<K extends RequestName> = z.output<Contract['requests'][K]['input']>
export type RequestResult<K extends RequestName> = z.output<Contract['requests'][K]['output']>
export type EventPayload<K extends EventName> = z.output<Contract['events'][K]>

/** What the backend implements: one handler per request, taking validated input. */
export type ContractHandlers = {
  [K in RequestName]: (input: RequestInput<K>) => Promise<RequestResult<K>> | RequestResult<K>
}

/** An event as it travels: its name and its payload, typed together. */
export type ContractEvent = { [K in EventName]: { name: K; payload: EventPayload<K> } }[EventName]

export function isRequestName(name: string): name is RequestName {
  return Object.hasOwn(contract.requests, name)
}

export function isEventName(name: string): name is EventName {
  return Object.hasOwn(contract.events, name)
}

export * from './app'
export * from './config'
export * from './flash'
export * from './ports'
