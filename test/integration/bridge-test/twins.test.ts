// The bridge test against two twins paired over loopback: the intended firmware passes (QoS 1
// and retain not carried, reported as findings; the whole 4096-byte wrap crosses); a twin that
// drops 20 % of its datagrams (seeded) makes exactly the loss the seed gives, pass false and
// exit status 1 from the CLI; the stock firmware loses the short payload on a long topic, and
// so does the length check alone, while a longer payload crosses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SERVERLESS } from '../../../src/common/serverless/constants'
import { wrappedLength } from '../../../src/common/serverless/datagram-wrap'
import { BridgeTestResultSchema, type BridgeTestResult } from '../../../src/common/traffic/bridge-test-result'
import { runBridgeTest } from '../../../src/main/bridge-test/bridge-test'
import { datagramLoss, NO_FAULTS } from '../../../src/twin/faults'
import { runToEnd, spawnPairkit } from '../../support/processes'
import { startTwinPair, type TwinPair } from '../traffic/support/twin-pair'

/** What the firmware's wrap carries on the test's size topic, pairkit/bridge-test/<8 hex>/size/a2b. */
const WRAP_LIMIT = SERVERLESS.MAX_WRAPPED_BYTES - wrappedLength('pairkit/bridge-test/01234567/size/a2b'.length, 0)

describe('bridge test between two twins with the intended firmware', () => {
  let pair: TwinPair
  let result: BridgeTestResult

  beforeAll(async () => {
    pair = await startTwinPair()
    result = await runBridgeTest({ a: pair.a.brokerUrl(), b: pair.b.brokerUrl(), count: 40, throughput: [50, 200], stepMs: 400 })
  }, 60_000)
  afterAll(async () => pair?.close())

  it('passes with no loss, latency both ways and the clock offset of one process near 0', () => {
    expect(BridgeTestResultSchema.parse(result)).toEqual(result)
    expect(result.aToB).toMatchObject({ sent: 40, received: 40, lost: 0, duplicates: 0 })
    expect(result.bToA).toMatchObject({ sent: 40, received: 40, lost: 0, duplicates: 0 })
    for (const dir of [result.aToB, result.bToA]) {
      expect(dir.p50Ms).toBeGreaterThanOrEqual(0)
      expect(dir.p95Ms).toBeLessThan(500)
    }
    // Both clients read the same clock here: the estimate is off by at most half a round trip.
    expect(result.clock.samples).toBe(10)
    expect(Math.abs(result.clock.offsetMs as number)).toBeLessThanOrEqual((result.clock.roundTripMs as number) / 2)
    expect(result.pass).toBe(true)
  })

  it('reports QoS 1 and retain as not carried, as findings and not as failures', () => {
    expect(result.qos1Carried).toBe(false)
    expect(result.retainCarried).toBe(false)
    expect(result.qos).toEqual({ aToB: { received: 0 }, bToA: { received: 0 } })
    expect(result.retain).toEqual({ aToB: { arrived: true, stored: false }, bToA: { arrived: true, stored: false } })
    const codes = result.findings.map((finding) => `${finding.severity} ${finding.code}`)
    expect(codes).toContain('info qos-not-carried')
    expect(codes).toContain('info retain-not-carried')
    expect(result.findings.filter((finding) => finding.severity !== 'info')).toEqual([])
  })

  it('finds the largest payload the firmware carries, and the short payload crossing', () => {
    expect(result.maxPayload).toEqual({ aToB: WRAP_LIMIT, bToA: WRAP_LIMIT, limit: WRAP_LIMIT })
    expect(result.maxPayloadBytes).toBe(WRAP_LIMIT)
    expect(result.shortPayload).toMatchObject({ payloadBytes: 8, aToB: true, bToA: true, controlAToB: true, controlBToA: true })
    expect(result.shortPayload.topicBytes).toBeGreaterThan(8)
    expect(result.throughput?.maxLossFreeRate).toBe(200)
  })

  it('measures one-way latency with the other side\'s clock 5 s ahead', async () => {
    const skewed = await runBridgeTest({ a: pair.a.brokerUrl(), b: pair.b.brokerUrl(), count: 10, throughput: false, clocks: { b: () => performance.timeOrigin + performance.now() + 5000 } })
    expect(Math.abs((skewed.clock.offsetMs as number) - 5000)).toBeLessThanOrEqual((skewed.clock.roundTripMs as number) / 2)
    for (const dir of [skewed.aToB, skewed.bToA]) {
      expect(dir.received).toBe(10)
      expect(dir.p50Ms).toBeGreaterThanOrEqual(-(skewed.clock.roundTripMs as number) / 2)
      expect(dir.p95Ms).toBeLessThan(500)
    }
    expect(skewed.pass).toBe(true)
  }, 30_000)
})

describe('bridge test with a twin that drops datagrams', () => {
  const seeds = { a: 7, b: 11 }
  let pair: TwinPair

  beforeAll(async () => {
    pair = await startTwinPair({ faults: { a: { datagramDrop: 0.2, seed: seeds.a }, b: { datagramDrop: 0.2, seed: seeds.b } } })
  }, 60_000)
  afterAll(async () => pair?.close())

  it('reports exactly the loss the seeds give, each way, and fails', async () => {
    const pings = 5
    const count = 60
    // Each twin loses the datagrams its seeded generator picks, in the order they arrive: B gets
    // the pings, then the A → B probes; A gets one pong per ping that reached B, then the B → A probes.
    const lostAtB = Array.from({ length: pings + count }, datagramLoss({ ...NO_FAULTS, datagramDrop: 0.2, seed: seeds.b }) as () => boolean)
    const pingsArrived = lostAtB.slice(0, pings).filter((lost) => !lost).length
    const lostAtA = Array.from({ length: pingsArrived + count }, datagramLoss({ ...NO_FAULTS, datagramDrop: 0.2, seed: seeds.a }) as () => boolean)
    const expectedAToB = lostAtB.slice(pings).filter(Boolean).length
    const expectedBToA = lostAtA.slice(pingsArrived).filter(Boolean).length
    // The seeds give a loss near 20 % (what the check would see with any seed, within a binomial bound).
    for (const lost of [expectedAToB, expectedBToA]) expect(lost).toBeGreaterThanOrEqual(4)

    const result = await runBridgeTest({ a: pair.a.brokerUrl(), b: pair.b.brokerUrl(), count, pings, throughput: false, drainMs: 1000 })
    expect(result.aToB).toMatchObject({ sent: count, lost: expectedAToB, received: count - expectedAToB, duplicates: 0 })
    expect(result.bToA).toMatchObject({ sent: count, lost: expectedBToA, received: count - expectedBToA, duplicates: 0 })
    expect(result.aToB.lossPercent).toBeCloseTo((100 * expectedAToB) / count, 3)
    expect(result.pass).toBe(false)
    expect(result.findings).toContainEqual(expect.objectContaining({ code: 'loss', severity: 'error' }))
    // Lost probes are retried in the payload search, so it still finds the whole wrap.
    expect(result.maxPayloadBytes).toBe(WRAP_LIMIT)
  }, 45_000)

  it('makes `pairkit bridge-test --json` print one result object with the exact field names and exit 1', async () => {
    const a = pair.a.brokerUrl().replace('mqtt://', 'mqtt://technician:s3cret-pw@')
    const child = spawnPairkit(['bridge-test', '--a', a, '--b', pair.b.brokerUrl(), '--count', '30', '--throughput', 'off', '--json'])
    const { code, stdout, stderr } = await runToEnd(child)
    expect(code, stderr).toBe(1)
    const lines = stdout.trim().split('\n')
    expect(lines).toHaveLength(1)
    const result = JSON.parse(lines[0] as string) as Record<string, unknown>
    for (const key of ['aToB', 'bToA']) expect(Object.keys(result[key] as object)).toEqual(expect.arrayContaining(['sent', 'received', 'lost', 'duplicates', 'reordered', 'p50Ms', 'p95Ms']))
    expect(typeof result.qos1Carried).toBe('boolean')
    expect(typeof result.retainCarried).toBe('boolean')
    expect(typeof result.maxPayloadBytes).toBe('number')
    expect(result.pass).toBe(false)
    expect((result.aToB as { lost: number }).lost).toBeGreaterThan(0)
    expect(result.a).toMatch(/^mqtt:\/\/technician:\*\*\*@127\.0\.0\.1:\d+$/)
    expect(stdout + stderr).not.toContain('s3cret-pw')
  }, 60_000)
})

describe('bridge test and the firmware\'s receive checks', () => {
  it.each([
    { quirks: 'stock', short: false, control: false },
    { quirks: 'length-check', short: false, control: true },
  ] as const)('with quirks "$quirks" the short payload on a long topic is lost', async ({ quirks, short, control }) => {
    const pair = await startTwinPair({ quirks: { a: quirks, b: quirks } })
    try {
      const result = await runBridgeTest({ a: pair.a.brokerUrl(), b: pair.b.brokerUrl(), count: 5, pings: 1, throughput: false, drainMs: 800 })
      expect(result.shortPayload).toMatchObject({ aToB: short, bToA: short, controlAToB: control, controlBToA: control })
      expect(result.findings).toContainEqual(expect.objectContaining({ code: 'short-payload-lost', severity: 'warning' }))
      if (quirks === 'stock') {
        // The stock receive bug: nothing crosses at all.
        expect(pair.b.console()).toContain('No local mqtt client, dropping data')
        expect(result.aToB.received + result.bToA.received).toBe(0)
        expect(result.pass).toBe(false)
      } else {
        expect(pair.b.console()).toContain('Received invalid message')
        expect(result.pass).toBe(true)
      }
    } finally {
      await pair.close()
    }
  }, 60_000)
})
