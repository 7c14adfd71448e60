// `pairkit bridge-test`: probes both ways between two MQTT brokers joined by a bridge and says
// whether the link meets the technician's thresholds (exit 0) or not (exit 1).
import type { BridgeTestResult, LossThreshold } from '../../common/traffic/bridge-test-result'
import { describeLossThreshold, parseLossThreshold } from '../../common/traffic/bridge-test-stats'
import { type Command, UsageError } from '../command'

const DEFAULT_RATES = '50,100,200,500,1000'

export const bridgeTestCommand: Command = {
  name: 'bridge-test',
  summary: 'Test a bridge between two MQTT brokers: loss, latency, QoS and retain, largest payload, throughput.',
  usage: 'bridge-test --a URL --b URL [--count N] [--interval-ms N] [--max-loss N|P%] [--max-p95-ms N] [--throughput R1,R2,…|off] [--step-ms N] [--json]',
  help: `
Publishes nonce-tagged probes on site A's broker and watches them arrive on site B's, and the
other way round, under pairkit/bridge-test/<nonce>/. It only publishes and subscribes, so it
tests any bridge: two ESP32s running the serverless-MQTT firmware, PairKit's peer, mosquitto's
bridge or anything else. It measures loss, duplicates, reordering and one-way latency (with
the two sides' clock offset estimated from round trips), checks whether QoS 1 and retain
survive, finds the largest payload that crosses (up to what the firmware's 4096-byte datagram
carries), checks a payload shorter than its topic (the stock firmware drops those), and runs a
throughput staircase until messages get lost.

  --a URL, --b URL      the two brokers, e.g. mqtt://192.168.4.1:1883 (the ESP's soft-AP
                        broker); mqtt://USER:PASSWORD@HOST:PORT with credentials (the password
                        is masked in every output)
  --count N             latency probes each way (default 50)
  --interval-ms N       pause between probes (default 20)
  --max-loss N|P%       lost probes allowed each way, as a count or a percentage (default 0)
  --max-p95-ms N        the 95th percentile of one-way latency must stay below this (default 500)
  --throughput RATES    messages per second of each throughput step, comma-separated
                        (default ${DEFAULT_RATES}), or off
  --step-ms N           how long each throughput step sends (default 1000)
  --json                print the whole result as one JSON object

Exit status: 0 when loss and latency are within the thresholds both ways, 1 when they are not
(or a broker cannot be reached), 2 for usage errors. QoS and retain not being carried are
reported as findings, not failures: the firmware republishes everything at QoS 0 without retain.

Example: pairkit bridge-test --a mqtt://192.168.4.1:1883 --b mqtt://10.0.0.7:1883 --max-loss 1%`,
  options: {
    a: { type: 'string' },
    b: { type: 'string' },
    count: { type: 'string' },
    'interval-ms': { type: 'string' },
    'max-loss': { type: 'string' },
    'max-p95-ms': { type: 'string' },
    throughput: { type: 'string' },
    'step-ms': { type: 'string' },
  },
  async run({ values, out, signal }) {
    const text = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined)
    const { brokerUrlProblem } = await import('../../main/traffic/broker-connection')
    const a = text('a')
    const b = text('b')
    if (!a || !b) throw new UsageError('give both brokers: --a URL and --b URL')
    for (const [flag, url] of [['--a', a], ['--b', b]] as const) {
      const problem = brokerUrlProblem(url)
      if (problem) throw new UsageError(`${flag}: ${problem}`)
    }
    if (a === b) throw new UsageError('--a and --b name the same broker; give the broker of each site')
    const count = integerOption(text('count'), '--count', 1, 10_000) ?? 50
    const intervalMs = integerOption(text('interval-ms'), '--interval-ms', 0, 60_000) ?? 20
    const stepMs = integerOption(text('step-ms'), '--step-ms', 100, 60_000) ?? 1000
    let maxLoss: LossThreshold = { count: 0 }
    if (text('max-loss') !== undefined) {
      const parsed = parseLossThreshold(text('max-loss') as string)
      if (!parsed) throw new UsageError('--max-loss takes a number of messages (e.g. 2) or a percentage (e.g. 1.5%)')
      maxLoss = parsed
    }
    const maxP95Raw = text('max-p95-ms')
    const maxP95Ms = maxP95Raw === undefined ? 500 : Number(maxP95Raw)
    if (!(maxP95Ms > 0) || !Number.isFinite(maxP95Ms)) throw new UsageError('--max-p95-ms takes a number of milliseconds above 0')
    const throughput = parseRates(text('throughput') ?? DEFAULT_RATES)

    const { runBridgeTest } = await import('../../main/bridge-test/bridge-test')
    const { maskUrlPassword } = await import('../../common/url-userinfo')
    out.info(`Testing the bridge between ${maskUrlPassword(a)} (A) and ${maskUrlPassword(b)} (B)…`)
    const result = await runBridgeTest({ a, b, count, intervalMs, maxLoss, maxP95Ms, throughput, stepMs, signal })
    out.result(result, () => report(result))
    return result.pass ? 0 : 1
  },
}

function integerOption(text: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (text === undefined) return undefined
  const value = Number(text)
  if (!Number.isInteger(value) || value < min || value > max) throw new UsageError(`${flag} takes a whole number from ${min} to ${max}`)
  return value
}

function parseRates(text: string): number[] | false {
  if (text === 'off') return false
  const rates = text.split(',').map((part) => Number(part.trim()))
  if (rates.length === 0 || rates.some((rate) => !(rate > 0) || rate > 100_000)) throw new UsageError('--throughput takes rates in messages per second, e.g. 50,200,1000, or off')
  return rates
}

function ms(value: number | null): string {
  return value === null ? '–' : `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`
}

function yesNo(value: boolean): string {
  return value ? 'yes' : 'no'
}

/** The human report: the table, the facts, the findings and the verdict. */
export function report(result: BridgeTestResult): string {
  const row = (name: string, dir: BridgeTestResult['aToB']) =>
    `  ${name.padEnd(7)}${String(dir.sent).padStart(6)}${String(dir.received).padStart(10)}${String(dir.lost).padStart(6)}${String(dir.duplicates).padStart(6)}${String(dir.reordered).padStart(7)}${ms(dir.p50Ms).padStart(10)}${ms(dir.p95Ms).padStart(10)}`
  const short = result.shortPayload
  const lines = [
    `Bridge test ${result.a} (A) ⇄ ${result.b} (B), ${(result.durationMs / 1000).toFixed(1)} s`,
    `           sent  received  lost   dup  reord       p50       p95`,
    row('A → B', result.aToB),
    row('B → A', result.bToA),
    `  Clock offset B − A: ${result.clock.offsetMs === null ? 'unknown' : `${result.clock.offsetMs.toFixed(1)} ms (round trip ${ms(result.clock.roundTripMs)})`}`,
    `  QoS 1 carried: ${yesNo(result.qos1Carried)}. Retain carried: ${yesNo(result.retainCarried)}.`,
    `  Largest payload both ways: ${result.maxPayloadBytes} bytes (A → B ${result.maxPayload.aToB}, B → A ${result.maxPayload.bToA}; tried up to ${result.maxPayload.limit}).`,
    `  ${short.payloadBytes}-byte payload on a ${short.topicBytes}-byte topic: A → B ${short.aToB ? 'crosses' : 'lost'}, B → A ${short.bToA ? 'crosses' : 'lost'}.`,
  ]
  if (result.throughput) lines.push(`  Throughput: ${result.throughput.maxLossFreeRate === null ? 'messages lost from the first step' : `no loss up to ${result.throughput.maxLossFreeRate} messages/s each way`}.`)
  if (result.findings.length > 0) lines.push('Findings:', ...result.findings.map((finding) => `  ${finding.severity}: ${finding.message}`))
  const thresholds = `loss ≤ ${describeLossThreshold(result.thresholds.maxLoss)} and p95 < ${result.thresholds.maxP95Ms} ms each way`
  lines.push(result.pass ? `PASS: ${thresholds}.` : `FAIL: the link does not meet ${thresholds}.`)
  return lines.join('\n')
}
