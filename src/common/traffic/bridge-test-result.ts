// The result of a bridge test (`pairkit bridge-test --json`, `bridgeTest.start`): what crossed
// between two MQTT brokers joined by any bridge, each way. Field names are read by scripts:
// never rename them (aToB, bToA and their sent … p95Ms, qos1Carried, retainCarried,
// maxPayloadBytes and pass above all).
import { z } from 'zod'

export const DirectionResultSchema = z.object({
  /** Latency probes published on the sending side. */
  sent: z.number().int(),
  /** Distinct probes that arrived on the other side. */
  received: z.number().int(),
  lost: z.number().int(),
  /** Arrivals beyond the first of a probe. */
  duplicates: z.number().int(),
  /** Probes that arrived after a probe sent later than them. */
  reordered: z.number().int(),
  /** One-way latency (ms), with the other side's clock corrected by the estimated offset; null when nothing arrived. */
  p50Ms: z.number().nullable(),
  p95Ms: z.number().nullable(),
  maxMs: z.number().nullable(),
  lossPercent: z.number(),
})
export type DirectionResult = z.infer<typeof DirectionResultSchema>

export const LossThresholdSchema = z.union([z.object({ count: z.number().int().nonnegative() }).strict(), z.object({ percent: z.number().min(0).max(100) }).strict()])
export type LossThreshold = z.infer<typeof LossThresholdSchema>

export const FindingSchema = z.object({
  code: z.string(),
  /** info: a fact about the bridge (QoS not carried); warning: something that loses messages; error: the link failed a threshold. */
  severity: z.enum(['info', 'warning', 'error']),
  message: z.string(),
})
export type Finding = z.infer<typeof FindingSchema>

const PerDirection = <T extends z.ZodTypeAny>(schema: T) => z.object({ aToB: schema, bToA: schema })

export const ThroughputStepSchema = z.object({
  /** Messages per second each way. */
  rate: z.number(),
  aToB: z.object({ sent: z.number().int(), received: z.number().int() }),
  bToA: z.object({ sent: z.number().int(), received: z.number().int() }),
})

export const BridgeTestResultSchema = z.object({
  /** The brokers, passwords masked. */
  a: z.string(),
  b: z.string(),
  /** The test's own topic prefix is pairkit/bridge-test/<nonce>/. */
  nonce: z.string(),
  startedAt: z.number(),
  durationMs: z.number(),
  clock: z.object({
    /** B's clock minus A's (ms), from ping-pong round trips like NTP; null when no round trip completed. */
    offsetMs: z.number().nullable(),
    /** The shortest round trip A → B → A (ms), the one the offset comes from. */
    roundTripMs: z.number().nullable(),
    samples: z.number().int(),
  }),
  aToB: DirectionResultSchema,
  bToA: DirectionResultSchema,
  /** A QoS 1 publish arrives at QoS 1 on the other side, both ways. */
  qos1Carried: z.boolean(),
  /** A retained publish is retained by the other side's broker (a new subscriber gets it), both ways. */
  retainCarried: z.boolean(),
  qos: PerDirection(z.object({ received: z.number().int().nullable() })),
  retain: PerDirection(z.object({ arrived: z.boolean(), stored: z.boolean() })),
  /** The largest payload that crossed both ways (bytes), 0 when none did. */
  maxPayloadBytes: z.number().int(),
  maxPayload: z.object({
    aToB: z.number().int(),
    bToA: z.number().int(),
    /** The largest size tried: the most the firmware's 4096-byte wrap carries on the test's topic. */
    limit: z.number().int(),
  }),
  /** A payload shorter than its topic + 1 (the stock receiver drops it), with a long one as control. */
  shortPayload: z.object({
    topicBytes: z.number().int(),
    payloadBytes: z.number().int(),
    aToB: z.boolean(),
    bToA: z.boolean(),
    controlAToB: z.boolean(),
    controlBToA: z.boolean(),
  }),
  /** null when skipped. */
  throughput: z
    .object({
      stepMs: z.number(),
      steps: z.array(ThroughputStepSchema),
      /** The highest rate at which nothing was lost either way; null when even the first step lost messages. */
      maxLossFreeRate: z.number().nullable(),
    })
    .nullable(),
  findings: z.array(FindingSchema),
  thresholds: z.object({ maxLoss: LossThresholdSchema, maxP95Ms: z.number() }),
  /** Loss within maxLoss and p95 below maxP95Ms, both ways. */
  pass: z.boolean(),
})
export type BridgeTestResult = z.infer<typeof BridgeTestResultSchema>
