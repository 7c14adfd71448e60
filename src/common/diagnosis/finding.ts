// A diagnosis finding: what went wrong, one sentence saying what to do, and the events that show
// it (by their line in the device's stream, so a view can scroll to them).
import { z } from 'zod'

export const FindingIdSchema = z.enum([
  'no-srflx', // STUN unreachable: no server-reflexive candidate
  'signalling-broker-unreachable',
  'sync-unanswered', // the other peer never answered the sync handshake
  'description-timeout',
  'connectivity-failed', // ICE checks failed: NATs without hole punching, TURN needed
  'consent-lost',
  'reboot-loop',
  'stock-receive-bug', // every received datagram dropped ("No local mqtt client, dropping data")
  'wifi-association',
  'panic',
  'link-loss', // messages one side sent that the other never received (a pair's finding)
])
export type FindingId = z.infer<typeof FindingIdSchema>

export const EvidenceSchema = z.object({
  /** Which device of a pair, when diagnosing a pair. */
  device: z.string().optional(),
  sourceLine: z.number().int().optional(),
  t: z.number().nullable(),
  hostTime: z.number().optional(),
  kind: z.string(),
  summary: z.string(),
})
export type Evidence = z.infer<typeof EvidenceSchema>

export const FindingSchema = z.object({
  id: FindingIdSchema,
  severity: z.enum(['error', 'warning', 'info']),
  /** What happened, with the values. */
  title: z.string(),
  /** One sentence that says what to do. */
  action: z.string(),
  /** How often it happened in the log. */
  count: z.number().int().positive(),
  /** The events that show it, the first few. */
  evidence: z.array(EvidenceSchema),
  device: z.string().optional(),
})
export type Finding = z.infer<typeof FindingSchema>
