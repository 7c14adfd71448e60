// Link loss of a pair: one side's sends against the other side's arrivals, counted only over the
// time the receiver's console was read, leaving out messages that may still be in flight.
import { describe, expect, it } from 'vitest'
import { FindingSchema, LinkTally, linkLoss, linkLossFindings } from '../../../src/common/diagnosis'
import type { LogEvent } from '../../../src/common/logs'

const send = (hostTime: number): LogEvent => ({ kind: 'forward', t: null, format: 'esp-idf', direction: 'to-peer', topic: 'site/a', hostTime })
const arrive = (hostTime: number): LogEvent => ({ kind: 'forward', t: null, format: 'esp-idf', direction: 'from-peer', topic: 'site/a', hostTime })
const line = (hostTime: number): LogEvent => ({ kind: 'raw', t: null, format: 'text', text: 'x', hostTime })

function tally(events: LogEvent[]): LinkTally {
  const result = new LinkTally()
  for (const event of events) result.observe(event)
  return result
}

/** Site A sends one message every 100 ms for `count` messages; site B receives those `kept` lets through, 5 ms later. */
function link(count: number, kept: (index: number) => boolean, receiverFrom = 0): { a: LinkTally; b: LinkTally } {
  const a: LogEvent[] = []
  const b: LogEvent[] = [line(receiverFrom)]
  for (let index = 0; index < count; index++) {
    a.push(send(1000 + index * 100))
    if (kept(index) && 1000 + index * 100 >= receiverFrom) b.push(arrive(1005 + index * 100))
  }
  b.push(line(1000 + count * 100 + 5000))
  return { a: tally(a), b: tally(b) }
}

const sides = (pair: { a: LinkTally; b: LinkTally }) => [
  { name: 'rfc2217://127.0.0.1:1', site: 'site A', tally: pair.a },
  { name: 'rfc2217://127.0.0.1:2', site: 'site B', tally: pair.b },
] as const

describe('link loss', () => {
  it('finds every other message lost from A to B, named at B', () => {
    const pair = link(40, (index) => index % 2 === 0)
    expect(linkLoss(pair.a, pair.b)).toEqual({ sent: 40, lost: 20 })
    const findings = linkLossFindings(...sides(pair))
    expect(findings).toHaveLength(1)
    expect(FindingSchema.parse(findings[0])).toMatchObject({ id: 'link-loss', severity: 'warning', count: 20, device: 'rfc2217://127.0.0.1:2' })
    expect(findings[0]?.title).toBe('20 of 40 messages site A sent did not arrive at site B (50 % lost on the link)')
  })

  it('finds nothing on a link that carries everything, or loses too little to tell', () => {
    expect(linkLossFindings(...sides(link(40, () => true)))).toEqual([])
    expect(linkLossFindings(...sides(link(100, (index) => index !== 7 && index !== 50)))).toEqual([])
    // Too few messages to judge.
    expect(linkLossFindings(...sides(link(8, () => false)))).toEqual([])
  })

  it('counts only what was sent while the receiver\'s console was read, and not the last moment', () => {
    // B's console opened 2 s after A's first send: those 20 earlier sends are not loss.
    const late = link(40, () => true, 3000)
    expect(linkLoss(late.a, late.b)).toEqual({ sent: 20, lost: 0 })
    // The receiver's newest line 1 s after the last send: that send may still be in flight.
    const a = tally([send(1000), send(2000)])
    const b = tally([line(0), arrive(1005), line(3000)])
    expect(linkLoss(a, b)).toEqual({ sent: 1, lost: 0 })
  })

  it('counts the stock firmware\'s drop line as an arrival (the receive bug is its own finding)', () => {
    const a = tally(Array.from({ length: 20 }, (_, index) => send(1000 + index * 100)))
    const b = tally([line(0), ...Array.from({ length: 20 }, (_, index): LogEvent => ({ kind: 'drop', t: null, format: 'esp-idf', reason: 'no-local-client', direction: 'from-peer', hostTime: 1005 + index * 100 })), line(10_000)])
    expect(linkLoss(a, b)).toEqual({ sent: 20, lost: 0 })
  })
})
