// The envelope every message has on the wire, whatever the transport.
//
//   renderer ──{kind:'request', id, method, params}──▶ backend
//   renderer ◀──{kind:'response', id, ok, result|error}── backend
//   renderer ◀──{kind:'events', events:[{name, payload}…]}── backend   (batched)
import { z } from 'zod'
import { ERROR_CODES, type ErrorCode } from '../errors'

const errorCodes = Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]

export const SerializedErrorSchema = z.object({
  code: z.enum(errorCodes),
  message: z.string(),
  hint: z.string().optional(),
  detail: z.string().optional(),
})

export const RequestMessageSchema = z.object({
  kind: z.literal('request'),
  id: z.number().int().nonnegative(),
  method: z.string().max(100),
  params: z.unknown(),
})
export type RequestMessage = z.infer<typeof RequestMessageSchema>

export const ResponseMessageSchema = z.discriminatedUnion('ok', [
  z.object({ kind: z.literal('response'), id: z.number().int().nonnegative(), ok: z.literal(true), result: z.unknown() }),
  z.object({ kind: z.literal('response'), id: z.number().int().nonnegative(), ok: z.literal(false), error: SerializedErrorSchema }),
])
export type ResponseMessage = z.infer<typeof ResponseMessageSchema>

export const EventsMessageSchema = z.object({
  kind: z.literal('events'),
  events: z.array(z.object({ name: z.string(), payload: z.unknown() })),
})
export type EventsMessage = z.infer<typeof EventsMessageSchema>

export type ServerMessage = ResponseMessage | EventsMessage
