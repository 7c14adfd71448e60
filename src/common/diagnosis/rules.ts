// The diagnosis rules: each watches the events for one known way a serverless-MQTT pair fails
// (reference §2.7, §3, §4, §9) and says, in one sentence, what to do about it.
import type { LogEvent } from '../logs/events'
import type { RuleContext } from './diagnoser'
import { MAX_EVIDENCE } from './diagnoser'
import type { Evidence, Finding } from './finding'

export interface Rule {
  /** `reboot`: the event is a new reboot (an announced reboot and its ROM reset line count once). */
  observe(event: LogEvent, context: RuleContext, reboot: boolean): void
  /** The findings so far; may be asked again and again while events keep coming. */
  findings(context: RuleContext): Finding[]
}

export function createRules(): Rule[] {
  return [
    new NoSrflxRule(),
    new SignallingFailureRule('broker-unreachable'),
    new SignallingFailureRule('sync-timeout'),
    new SignallingFailureRule('description-timeout'),
    new ConnectivityRule(),
    new RebootLoopRule(),
    new StockReceiveBugRule(),
    new WifiRule(),
    new PanicRule(),
  ]
}

/** Occurrences of one finding: how many, and the first few events that show them. */
class Tally {
  count = 0
  readonly evidence: Evidence[] = []

  add(context: RuleContext, ...events: LogEvent[]): void {
    this.count++
    for (const event of events) if (this.evidence.length < MAX_EVIDENCE) this.evidence.push(context.evidence(event))
  }
}

function finding(id: Finding['id'], severity: Finding['severity'], title: string, action: string, count: number, evidence: Evidence[]): Finding {
  return { id, severity, title, action, count, evidence: evidence.map((item) => ({ ...item })) }
}

/**
 * No server-reflexive candidate in an attempt whose STUN server was set ("Using STUN server"),
 * whose binding failed, or whose gathering timed out (the firmware's misleading "Failed to
 * connect to the sync broker" from create_candidates).
 */
class NoSrflxRule implements Rule {
  private readonly tally = new Tally()
  private attempt = -1
  private server: LogEvent | undefined
  private failure: LogEvent | undefined
  private firstLocal: LogEvent | undefined
  private srflx = false

  observe(event: LogEvent, context: RuleContext): void {
    if (context.attempt !== this.attempt) {
      if (this.hit()) this.record(context)
      this.attempt = context.attempt
      this.server = this.failure = this.firstLocal = undefined
      this.srflx = false
    }
    if (event.kind === 'stun') {
      if (event.event === 'server') this.server = event
      else if (event.event === 'mapped') this.srflx = true
      else if (event.event === 'binding-failed') this.failure ??= event
    } else if (event.kind === 'candidate' && event.side === 'local') {
      this.firstLocal ??= event
      if (event.type === 'srflx') this.srflx = true
    } else if (event.kind === 'signalling' && event.event === 'failed' && event.reason === 'gathering-timeout') {
      this.failure ??= event
    }
  }

  private hit(): boolean {
    if (this.srflx) return false
    return this.failure !== undefined || (this.server !== undefined && this.firstLocal !== undefined)
  }

  private record(context: RuleContext): void {
    this.tally.add(context, ...[this.server, this.failure, this.firstLocal].filter((event): event is LogEvent => event !== undefined))
  }

  findings(context: RuleContext): Finding[] {
    const current = this.hit()
    const count = this.tally.count + (current ? 1 : 0)
    if (count === 0) return []
    const evidence = [...this.tally.evidence]
    if (current) for (const event of [this.server, this.failure, this.firstLocal]) if (event && evidence.length < MAX_EVIDENCE) evidence.push(context.evidence(event))
    const server = this.server?.kind === 'stun' && this.server.host ? ` ${this.server.host}` : ''
    return [
      finding(
        'no-srflx',
        'warning',
        `No server-reflexive candidate: the STUN server${server} did not answer`,
        `Check that the network lets UDP out to the STUN server${server} (port 19302 by default; firewalls and guest networks often block it) or configure one the device can reach: without it the two devices can pair only when each can reach the other's local address.`,
        count,
        evidence,
      ),
    ]
  }
}

const SIGNALLING_FINDINGS = {
  'broker-unreachable': {
    id: 'signalling-broker-unreachable',
    title: 'The signalling broker could not be reached',
    action:
      "Check that the device's Wi-Fi network reaches the internet, that the signalling broker address (CONFIG_EXAMPLE_MQTT_BROKER_URI, by default mqtt://mqtt.eclipseprojects.io) is right, and that outgoing TCP port 1883 is allowed.",
  },
  'sync-timeout': {
    id: 'sync-unanswered',
    title: 'The other device never answered the sync handshake',
    action:
      'Check that the other device is powered and online, that one device has role PEER1 and the other PEER2, and that both use the same signalling broker and the same sync topic.',
  },
  'description-timeout': {
    id: 'description-timeout',
    title: "The other device's description did not arrive within 10 s of the sync",
    action:
      'Make sure no third device or leftover PairKit peer uses the same sync topic, and that the other side sends a description that fits the firmware\'s 1024-byte MQTT buffer (no more than a few candidates).',
  },
} as const

/** A signalling failure of one reason (the firmware's sync_peers lines, or PairKit's peer). */
class SignallingFailureRule implements Rule {
  private readonly tally = new Tally()
  private attempt = -1
  private connected = false
  private trouble: LogEvent | undefined

  constructor(private readonly reason: keyof typeof SIGNALLING_FINDINGS) {}

  observe(event: LogEvent, context: RuleContext): void {
    if (context.attempt !== this.attempt) {
      this.attempt = context.attempt
      this.connected = false
      this.trouble = undefined
    }
    if (event.kind !== 'signalling') return
    if (event.event === 'connected') this.connected = true
    else if (event.event === 'error' || event.event === 'disconnected') this.trouble ??= event
    else if (event.event === 'failed') {
      // The connection failing before it was ever up is the broker being out of reach too.
      const unreachable = event.reason === 'sync-lost' && !this.connected && this.trouble !== undefined
      if (event.reason === this.reason || (this.reason === 'broker-unreachable' && unreachable)) {
        this.tally.add(context, ...(unreachable && this.trouble ? [this.trouble, event] : [event]))
      }
    }
  }

  findings(): Finding[] {
    if (this.tally.count === 0) return []
    const text = SIGNALLING_FINDINGS[this.reason]
    return [finding(text.id, 'error', this.tally.count > 1 ? `${text.title} (${this.tally.count} times)` : text.title, text.action, this.tally.count, this.tally.evidence)]
  }
}

/**
 * ICE per attempt: failed before it ever connected (the connectivity checks), or failed after it
 * was connected (consent lost: the other side went away).
 */
class ConnectivityRule implements Rule {
  private readonly checks = new Tally()
  private readonly consent = new Tally()
  private attempt = -1
  private connected = false
  private done = false

  observe(event: LogEvent, context: RuleContext): void {
    if (context.attempt !== this.attempt) {
      this.attempt = context.attempt
      this.connected = false
      this.done = false
    }
    if (this.done) return
    if ((event.kind === 'ice-state' && (event.state === 'connected' || event.state === 'completed')) || (event.kind === 'peer' && event.event === 'connected')) {
      this.connected = true
      return
    }
    const iceEnd = event.kind === 'ice' && (event.event === 'timer-expired' || event.event === 'consent-expired' || event.event === 'lost-connectivity')
    const stateEnd = event.kind === 'ice-state' && (event.state === 'failed' || (event.state === 'disconnected' && this.connected))
    const peerEnd = event.kind === 'peer' && event.event === 'disconnected' && this.connected
    if (!iceEnd && !stateEnd && !peerEnd) return
    this.done = true
    if (this.connected) this.consent.add(context, event)
    else this.checks.add(context, event)
  }

  findings(): Finding[] {
    const out: Finding[] = []
    if (this.checks.count > 0) {
      out.push(
        finding(
          'connectivity-failed',
          'error',
          this.checks.count > 1 ? `The connectivity checks failed (${this.checks.count} times)` : 'The connectivity checks failed',
          'The devices exchanged candidates but no pair of addresses got through: when both are behind NATs that allow no hole punching (both symmetric, as on many mobile and corporate networks) a TURN relay is needed, which the stock firmware lacks, so move one device to a network with a permissive NAT or a forwarded UDP port, or use a firmware with TURN.',
          this.checks.count,
          this.checks.evidence,
        ),
      )
    }
    if (this.consent.count > 0) {
      out.push(
        finding(
          'consent-lost',
          'warning',
          this.consent.count > 1 ? `The link was lost after it was up (${this.consent.count} times)` : 'The link was lost after it was up',
          "The other device stopped answering for 30 s (it rebooted, lost power or Wi-Fi, or a NAT dropped the mapping) and this device restarts to pair again: look at the other device's log at the same moment.",
          this.consent.count,
          this.consent.evidence,
        ),
      )
    }
    return out
  }
}

/** N reboots (power-on resets not counted) within M minutes on the diagnosis clock. */
class RebootLoopRule implements Rule {
  /** The reboots within one window of the latest. */
  private readonly recent: { at: number; event: LogEvent }[] = []
  private total = 0
  private worst = 0
  private evidence: Evidence[] = []

  observe(event: LogEvent, context: RuleContext, reboot: boolean): void {
    if (!reboot || event.kind !== 'reboot' || event.cause === 'power-on') return
    this.total++
    const windowMs = context.options.rebootLoop.minutes * 60_000
    this.recent.push({ at: context.now, event })
    while (this.recent.length > 1 && (context.now - (this.recent[0] as { at: number }).at > windowMs || this.recent.length > 1000)) this.recent.shift()
    if (this.recent.length > this.worst) {
      this.worst = this.recent.length
      this.evidence = this.recent.slice(0, MAX_EVIDENCE).map((entry) => context.evidence(entry.event))
    }
  }

  findings(context: RuleContext): Finding[] {
    const { reboots, minutes } = context.options.rebootLoop
    if (this.worst < reboots) return []
    const causes = [...new Set(this.evidence.map((item) => item.summary.split(' ')[0]))].join(', ')
    return [
      finding(
        'reboot-loop',
        'error',
        `The device rebooted ${this.worst} times within ${minutes} minutes (${causes})`,
        'Fix what makes it reboot, found in the errors and findings just before each reboot: the firmware reboots after every setup error and every ICE failure, so a fault that persists keeps it rebooting.',
        this.total,
        this.evidence,
      ),
    ]
  }
}

/** The stock firmware's receive bug: every datagram from the peer dropped (reference §9 item 1). */
class StockReceiveBugRule implements Rule {
  private readonly drops = new Tally()
  private dropped = 0
  private received = 0

  observe(event: LogEvent, context: RuleContext): void {
    if (event.kind === 'drop' && event.reason === 'no-local-client') {
      this.dropped += event.count ?? 1
      if (this.drops.evidence.length < MAX_EVIDENCE) this.drops.add(context, event)
    } else if (event.kind === 'forward' && event.direction === 'from-peer') this.received++
  }

  findings(): Finding[] {
    if (this.dropped === 0 || this.received > 0) return []
    return [
      finding(
        'stock-receive-bug',
        'error',
        `Every message from the other device was dropped (${this.dropped} × "No local mqtt client, dropping data")`,
        "This is the stock example's receive bug, so the link carries messages only from this device to the other: flash a firmware with the fix (the libjuice receive path must use the bridge's local MQTT client), or the esp-peer variant, which does not have the bug.",
        this.dropped,
        this.drops.evidence,
      ),
    ]
  }
}

/** Wi-Fi: failures to associate, and joins that needed many retries. */
class WifiRule implements Rule {
  private readonly failed = new Tally()
  private readonly slow = new Tally()
  private attempt = -1
  private retries = 0
  private firstRetry: LogEvent | undefined

  observe(event: LogEvent, context: RuleContext): void {
    if (context.attempt !== this.attempt) {
      this.attempt = context.attempt
      this.retries = 0
      this.firstRetry = undefined
    }
    if (event.kind !== 'wifi') return
    if (event.event === 'retry') {
      this.retries++
      this.firstRetry ??= event
    } else if (event.event === 'fail') {
      this.failed.add(context, ...(this.firstRetry ? [this.firstRetry, event] : [event]))
      this.retries = 0
      this.firstRetry = undefined
    } else if (event.event === 'got-ip') {
      if (this.retries >= context.options.wifiRetries && this.firstRetry) this.slow.add(context, this.firstRetry, event)
      this.retries = 0
      this.firstRetry = undefined
    }
  }

  findings(context: RuleContext): Finding[] {
    const action = 'Check the station SSID and password, that the access point offers 2.4 GHz Wi-Fi (the ESP32 has no 5 GHz radio), and the signal where the device is mounted.'
    const stillTrying = this.retries >= context.options.wifiRetries && this.firstRetry !== undefined
    if (this.failed.count > 0 || stillTrying) {
      const evidence = [...this.failed.evidence]
      if (stillTrying && this.firstRetry && evidence.length < MAX_EVIDENCE) evidence.push(context.evidence(this.firstRetry))
      const count = this.failed.count + (stillTrying ? 1 : 0)
      return [finding('wifi-association', 'error', count > 1 ? `The device could not join the Wi-Fi network (${count} times)` : 'The device could not join the Wi-Fi network', action, count, evidence)]
    }
    if (this.slow.count > 0) {
      return [finding('wifi-association', 'warning', `Joining the Wi-Fi network took ${context.options.wifiRetries} or more retries`, action, this.slow.count, this.slow.evidence)]
    }
    return []
  }
}

/** Panics (Guru Meditation, abort, assert, stack overflow), one finding per kind of panic. */
class PanicRule implements Rule {
  private readonly byReason = new Map<string, Tally>()
  private lastPanic: Tally | undefined

  observe(event: LogEvent, context: RuleContext): void {
    if (event.kind === 'panic') {
      const tally = this.byReason.get(event.reason) ?? new Tally()
      this.byReason.set(event.reason, tally)
      tally.add(context, event)
      this.lastPanic = tally
    } else if (event.kind === 'backtrace' && this.lastPanic && this.lastPanic.evidence.length < MAX_EVIDENCE) {
      this.lastPanic.evidence.push(context.evidence(event))
      this.lastPanic = undefined
    }
  }

  findings(): Finding[] {
    return [...this.byReason].map(([reason, tally]) =>
      finding(
        'panic',
        'error',
        tally.count > 1 ? `The firmware crashed: ${reason} (${tally.count} times)` : `The firmware crashed: ${reason}`,
        'Decode the backtrace with the ELF file of the same build (idf.py monitor does it, or xtensa-esp32-elf-addr2line -pfiaC -e build/serverless_mqtt.elf followed by the addresses) and report it together with this log.',
        tally.count,
        tally.evidence,
      ),
    )
  }
}
