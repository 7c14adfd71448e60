// The serverless-MQTT peer's event stream: plain JSON-serialisable objects, described by zod
// so the UI contract, the twin and `pairkit peer --json` can share one shape.
import { z } from 'zod'

export const SignallingStepSchema = z.enum([
  'connecting', // to the signalling broker
  'subscribed', // to the other role's topic; "Waiting for the other peer..."
  'sync-ping', // PEER1 sent "0"
  'sync-ack', // PEER2 answered "1"
  'sync-done', // "2" sent or received; "Sync done"
  'description-sent',
  'description-received',
  'finished', // the signalling client is closed, as the firmware destroys its own
  'failed',
])

export const IceStateSchema = z.enum(['gathering', 'checking', 'connected', 'failed', 'closed'])

export const DirectionSchema = z.enum([
  'to-peer',
  'from-peer',
  'local', // inside the embedded broker: to a local subscriber, or a local client's connection
])

export const DropReasonSchema = z.enum([
  'too-long', // wrapped size over the firmware's 4096-byte buffer
  'malformed', // a datagram that is not a valid wrap
  'not-linked', // local publish while no ICE link is up (the firmware neither forwards nor queues)
  'unencodable', // a topic the wrap cannot carry
  'republish-failed',
  'unknown-source', // a datagram from an address other than the selected pair's remote
  'slow-subscriber', // a QoS 0 message not written to a local subscriber that is not reading
  'broker-busy', // a message from the peer while too many wait in the broker for slow subscribers
  'packet-too-large', // a local client announced an MQTT packet over the broker's limit: disconnected
])

export const PeerStatsSchema = z.object({
  messagesToPeer: z.number().int(),
  bytesToPeer: z.number().int(),
  messagesFromPeer: z.number().int(),
  bytesFromPeer: z.number().int(),
  drops: z.record(DropReasonSchema, z.number().int()),
  /** Sent messages whose payload is shorter than topic + NUL: stock firmware drops them (§9). */
  stockFirmwareWillDrop: z.number().int(),
  /** Sent datagrams above ~1200 bytes, which may need IP fragmentation. */
  oversizeWarnings: z.number().int(),
  signallingRejected: z.number().int(),
  pairings: z.number().int(),
  lastError: z.string().optional(),
})
export type PeerStats = z.infer<typeof PeerStatsSchema>

const base = { at: z.number() }

export const PeerEventSchema = z.discriminatedUnion('type', [
  z.object({ ...base, type: z.literal('broker'), url: z.string(), embedded: z.boolean() }),
  z.object({ ...base, type: z.literal('signalling'), step: SignallingStepSchema, attempt: z.number().int(), detail: z.string().optional() }),
  z.object({ ...base, type: z.literal('signalling-rejected'), reason: z.string(), detail: z.string(), key: z.string().optional() }),
  z.object({
    ...base,
    type: z.literal('ice-state'),
    state: IceStateSchema,
    controlling: z.boolean(),
    /** Why this role: remote-is-libjuice, pairkit-peer1, pairkit-peer2 or forced. */
    reason: z.string().optional(),
  }),
  z.object({ ...base, type: z.literal('local-candidate'), candidate: z.string() }),
  z.object({ ...base, type: z.literal('remote-candidate'), candidate: z.string() }),
  z.object({ ...base, type: z.literal('selected-pair'), local: z.string(), remote: z.string() }),
  z.object({ ...base, type: z.literal('linked'), attempt: z.number().int() }),
  z.object({ ...base, type: z.literal('unlinked'), reason: z.string() }),
  z.object({
    ...base,
    type: z.literal('message'),
    direction: DirectionSchema,
    topic: z.string(),
    bytes: z.number().int(),
    /** Only on to-peer messages the stock firmware's receiver check would drop (§9 item 2). */
    stockFirmwareWillDrop: z.boolean().optional(),
  }),
  /**
   * Drops of one direction and reason are reported at most about once a second: the first at
   * once, then one event for all that came in each second after it. `count` is how many this
   * event stands for, `bytes` their total; `topic` and `detail` are the last one's.
   */
  z.object({
    ...base,
    type: z.literal('drop'),
    direction: DirectionSchema,
    reason: DropReasonSchema,
    count: z.number().int().positive(),
    bytes: z.number().int(),
    topic: z.string().optional(),
    detail: z.string(),
  }),
  z.object({ ...base, type: z.literal('warning'), code: z.string(), message: z.string() }),
  z.object({ ...base, type: z.literal('error'), code: z.string(), message: z.string(), hint: z.string().optional() }),
  /** A counter snapshot, e.g. the last line of `pairkit peer --json`. */
  z.object({ ...base, type: z.literal('stats'), stats: PeerStatsSchema }),
  z.object({ ...base, type: z.literal('closed') }),
])
export type PeerEvent = z.infer<typeof PeerEventSchema>
export type PeerEventType = PeerEvent['type']

/** Distributive Omit, so each member of the union keeps its own fields. */
export type PeerEventInput = PeerEvent extends infer E ? (E extends PeerEvent ? Omit<E, 'at'> : never) : never

export function emptyPeerStats(): PeerStats {
  return {
    messagesToPeer: 0,
    bytesToPeer: 0,
    messagesFromPeer: 0,
    bytesFromPeer: 0,
    drops: { 'too-long': 0, malformed: 0, 'not-linked': 0, unencodable: 0, 'republish-failed': 0, 'unknown-source': 0, 'slow-subscriber': 0, 'broker-busy': 0, 'packet-too-large': 0 },
    stockFirmwareWillDrop: 0,
    oversizeWarnings: 0,
    signallingRejected: 0,
    pairings: 0,
  }
}
