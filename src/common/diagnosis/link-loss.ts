// Loss on the link between the two devices of a pair. Neither firmware logs a datagram it never
// got, so no rule over one device's console can see it: it shows only when one side's sends
// ("handle_message" while linked) are compared with the other side's arrivals ("forwarding remote
// message", or the stock firmware's drop line, which also means the datagram arrived). The
// comparison counts only what the receiving side's console was read for, and leaves out the
// last moment, whose messages may still be on their way.
import type { LogEvent } from '../logs/events'
import type { Finding } from './finding'

/** Messages sent this recently before the receiver's newest line may still be in flight. */
export const IN_FLIGHT_MS = 2000
/** At least this many messages sent in the compared time before loss is judged. */
export const MIN_SENT = 10
/** Loss worth a finding: this many messages, and this share of those sent. */
export const MIN_LOST = 3
export const MIN_LOSS_SHARE = 0.05
/** Send and arrival times kept per device: the newest, so memory stays bounded. */
const MAX_TIMES = 20_000

class TimeRing {
  private readonly times: number[] = []
  /** The newest time evicted: counts start after it. */
  trimmedAt = Number.NEGATIVE_INFINITY

  push(at: number): void {
    this.times.push(at)
    if (this.times.length > MAX_TIMES) this.trimmedAt = this.times.shift() as number
  }

  count(from: number, to = Number.POSITIVE_INFINITY): number {
    let count = 0
    for (const at of this.times) if (at >= from && at <= to) count++
    return count
  }
}

/** One device's side of the link, from its console's events (on the host's clock). */
export class LinkTally {
  readonly sends = new TimeRing()
  readonly arrivals = new TimeRing()
  firstAt: number | undefined
  lastAt: number | undefined

  observe(event: LogEvent): void {
    const at = event.hostTime
    if (at === undefined) return
    this.firstAt ??= at
    this.lastAt = at
    if (event.kind === 'forward') (event.direction === 'to-peer' ? this.sends : this.arrivals).push(at)
    else if (event.kind === 'drop' && (event.reason === 'no-local-client' || event.reason === 'invalid-message')) this.arrivals.push(at)
  }
}

export interface LinkSide {
  /** The device's name (its link), as findings name it. */
  name: string
  /** "site A" or "site B". */
  site: string
  tally: LinkTally
}

/** Messages `from` sent that `to` never received, over the time `to`'s console was read. */
export function linkLoss(from: LinkTally, to: LinkTally): { sent: number; lost: number } {
  if (to.firstAt === undefined || to.lastAt === undefined) return { sent: 0, lost: 0 }
  const start = Math.max(to.firstAt, from.sends.trimmedAt + 1, to.arrivals.trimmedAt + 1)
  const sent = from.sends.count(start, to.lastAt - IN_FLIGHT_MS)
  const arrived = to.arrivals.count(start)
  return { sent, lost: Math.max(0, sent - arrived) }
}

/** The link-loss findings of a pair, each direction on its own. */
export function linkLossFindings(a: LinkSide, b: LinkSide): Finding[] {
  const findings: Finding[] = []
  for (const [from, to] of [
    [a, b],
    [b, a],
  ] as const) {
    const { sent, lost } = linkLoss(from.tally, to.tally)
    if (sent < MIN_SENT || lost < MIN_LOST || lost / sent < MIN_LOSS_SHARE) continue
    findings.push({
      id: 'link-loss',
      severity: 'warning',
      title: `${lost} of ${sent} messages ${from.site} sent did not arrive at ${to.site} (${Math.round((lost / sent) * 100)} % lost on the link)`,
      action: `The link between the sites loses datagrams and the firmware does not send them again: check the Wi-Fi signal and the uplink of both sites (a congested or lossy network), and run the bridge test in the Traffic view to measure the loss.`,
      count: lost,
      evidence: [],
      device: to.name,
    })
  }
  return findings
}
