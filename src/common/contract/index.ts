// The UI↔backend contract: every request (with its response) and every pushed event,
// each with a runtime schema. Both transports (Electron IPC and the browser host's
// WebSocket) carry exactly these messages and validate them on arrival.
import type { z } from 'zod'
import { appEvents, appRequests } from './app'
import { commissionEvents, commissionRequests } from './commission'
import { configEvents, configRequests } from './config'
import { devicesEvents, devicesRequests } from './devices'
import { flashEvents, flashRequests } from './flash'
import { historyEvents, historyRequests } from './history'
import { iceEvents, iceRequests } from './ice'
import { labEvents, labRequests } from './lab'
import { monitorEvents, monitorLossyEvents, monitorRequests } from './monitor'
import { portsEvents, portsRequests } from './ports'
import { signallingEvents, signallingRequests } from './signalling'
import { trafficEvents, trafficRequests } from './traffic'
import { uiStateEvents, uiStateRequests } from './ui-state'

export const contract = {
  requests: {
    ...appRequests,
    ...portsRequests,
    ...devicesRequests,
    ...configRequests,
    ...flashRequests,
    ...historyRequests,
    ...uiStateRequests,
    ...monitorRequests,
    ...signallingRequests,
    ...trafficRequests,
    ...iceRequests,
    ...labRequests,
    ...commissionRequests,
  },
  events: {
    ...appEvents,
    ...portsEvents,
    ...devicesEvents,
    ...configEvents,
    ...flashEvents,
    ...historyEvents,
    ...uiStateEvents,
    ...monitorEvents,
    ...signallingEvents,
    ...trafficEvents,
    ...iceEvents,
    ...labEvents,
    ...commissionEvents,
  },
} as const

/**
 * Events a client may miss while its connection is behind (a slow page): each says how to key,
 * count and annotate it, so the next one of the same key tells how many items were missed.
 */
export const lossyEvents = { ...monitorLossyEvents } as const

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
export * from './commission'
export * from './config'
export * from './devices'
export * from './flash'
export * from './history'
export * from './ice'
export * from './lab'
export * from './monitor'
export * from './ports'
export * from './signalling'
export * from './traffic'
export * from './ui-state'
