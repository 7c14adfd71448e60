// A bridge test's result in the technician's words: the verdict against the thresholds they
// set, each direction's figures, and what the bridge carries and what it does not, phrased as
// findings about the bridge (QoS 1 not carried is a fact to know, not an error).
import type { BridgeTestResult, DirectionResult, Finding, LossThreshold } from '../../../common/traffic/bridge-test-result'

export const BRIDGE_TEST_STEPS: Record<string, string> = {
  connecting: 'Connecting to both brokers',
  clock: "Measuring the offset between the two sides' clocks",
  latency: 'Sending latency probes both ways',
  'qos-retain': 'Checking QoS 1 and retained messages',
  'max-payload': 'Finding the largest payload that crosses',
  'short-payload': 'Sending a payload shorter than its topic',
  throughput: 'Raising the rate until messages are lost',
}

export function stepWords(step: string | undefined): string {
  return (step && BRIDGE_TEST_STEPS[step]) ?? 'Starting'
}

export interface DirectionFigures {
  label: string
  sent: number
  received: number
  lost: string
  duplicates: number
  reordered: number
  p50: string
  p95: string
}

export interface Fact {
  label: string
  value: string
  tone: 'ok' | 'info' | 'warning'
}

export interface BridgeTestView {
  pass: boolean
  verdict: string
  thresholds: string
  directions: DirectionFigures[]
  facts: Fact[]
  findings: (Finding & { tone: 'info' | 'warning' | 'danger' })[]
}

function ms(value: number | null): string {
  return value === null ? '—' : `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`
}

export function describeLoss(threshold: LossThreshold): string {
  if ('count' in threshold) return threshold.count === 0 ? 'no message lost' : `at most ${threshold.count} lost`
  return threshold.percent === 0 ? 'no message lost' : `at most ${threshold.percent} % lost`
}

function figures(label: string, result: DirectionResult): DirectionFigures {
  return {
    label,
    sent: result.sent,
    received: result.received,
    lost: result.lost === 0 ? '0' : `${result.lost} (${result.lossPercent} %)`,
    duplicates: result.duplicates,
    reordered: result.reordered,
    p50: ms(result.p50Ms),
    p95: ms(result.p95Ms),
  }
}

function both(aToB: boolean, bToA: boolean): string {
  if (aToB && bToA) return 'both ways'
  if (aToB) return 'A → B only'
  if (bToA) return 'B → A only'
  return 'neither way'
}

export function bridgeTestView(result: BridgeTestResult): BridgeTestView {
  const thresholds = `Pass means ${describeLoss(result.thresholds.maxLoss)} and 95 % of the probes under ${result.thresholds.maxP95Ms} ms, both ways.`
  const failures = result.findings.filter((finding) => finding.severity === 'error').map((finding) => finding.message)
  const verdict = result.pass ? 'The bridge passed.' : failures.length > 0 ? `The bridge failed: ${failures[0]}` : 'The bridge failed the thresholds.'
  const short = result.shortPayload
  const shortLost = !short.aToB || !short.bToA
  const shortTested = short.controlAToB || short.controlBToA
  const facts: Fact[] = [
    {
      label: 'QoS 1',
      value: result.qos1Carried ? 'carried both ways' : `not carried: a QoS 1 message arrives at QoS ${result.qos.aToB.received ?? result.qos.bToA.received ?? '?'}`,
      tone: result.qos1Carried ? 'ok' : 'info',
    },
    {
      label: 'Retained messages',
      value: result.retainCarried ? 'retained on the other side' : 'not retained on the other side (arrived ' + both(result.retain.aToB.arrived, result.retain.bToA.arrived) + ')',
      tone: result.retainCarried ? 'ok' : 'info',
    },
    {
      label: 'Largest payload',
      value:
        result.maxPayloadBytes === 0
          ? 'none crossed both ways'
          : `${result.maxPayloadBytes} bytes both ways${result.maxPayloadBytes >= result.maxPayload.limit ? ` (all the firmware's wrap carries on this topic)` : ` (of ${result.maxPayload.limit} the wrap would carry)`}`,
      tone: result.maxPayloadBytes >= result.maxPayload.limit ? 'ok' : 'warning',
    },
    {
      label: 'Short payload',
      value: !shortTested
        ? 'not checked: the control message did not cross'
        : shortLost
          ? `${short.payloadBytes} bytes on a ${short.topicBytes}-byte topic crossed ${both(short.aToB, short.bToA)}: the receiver drops payloads shorter than their topic`
          : `${short.payloadBytes} bytes on a ${short.topicBytes}-byte topic crossed both ways`,
      tone: shortTested && !shortLost ? 'ok' : 'warning',
    },
  ]
  if (result.throughput) {
    const rate = result.throughput.maxLossFreeRate
    const lossy = result.throughput.steps.find((step) => step.aToB.received < step.aToB.sent || step.bToA.received < step.bToA.sent)
    facts.push({
      label: 'Throughput',
      value: rate === null ? `messages lost already at ${result.throughput.steps[0]?.rate ?? '?'} per second each way` : lossy ? `no loss up to ${rate} messages per second each way; loss at ${lossy.rate}` : `no loss up to ${rate} messages per second each way (the highest rate tried)`,
      tone: lossy ? 'warning' : 'ok',
    })
  }
  if (result.clock.offsetMs !== null) {
    facts.push({ label: 'Clocks', value: `B's clock is ${Math.abs(result.clock.offsetMs).toFixed(1)} ms ${result.clock.offsetMs >= 0 ? 'ahead of' : 'behind'} A's (round trip ${ms(result.clock.roundTripMs)})`, tone: 'info' })
  }
  return {
    pass: result.pass,
    verdict,
    thresholds,
    directions: [figures('A → B', result.aToB), figures('B → A', result.bToA)],
    facts,
    findings: result.findings.map((finding) => ({ ...finding, tone: finding.severity === 'error' ? 'danger' : finding.severity })),
  }
}
