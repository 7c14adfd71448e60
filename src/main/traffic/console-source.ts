// A device's console as a traffic source. The serial monitor owns the port and parses it
// (src/common/logs LogParser); the Traffic view only listens to its events, through
// ConsoleEventSource, so one parse serves both views and the port has one owner.
//   forward to-peer   (handle_message …)              → an observation sent by this site's bridge
//   forward from-peer (forwarding remote message …)   → an observation received from the other site
//   drop              (No local mqtt client, Received invalid message, Fail to forward, before the link) → drop evidence
//   peer connected / reboot / ICE failed               → the bridge's link state
import type { LogEvent } from '../../common/logs/events'
import type { Site } from '../../common/traffic/model'
import { SourceStatusKeeper, type SourceSink, type TrafficSource } from './traffic-source'

/** What the serial monitor offers the Traffic view: one device's parsed console events, as they come. */
export interface ConsoleEventSource {
  readonly deviceId: string
  readonly site: Site
  /** Every batch of events the parser produced, with `hostTime` set; returns the unsubscribe. */
  onEvents(listener: (events: readonly LogEvent[]) => void): () => void
}

/** Finds the console of a device (the monitor service); it throws the sentence to show when there is none. */
export type ConsoleEventProvider = (deviceId: string, site: Site) => ConsoleEventSource | Promise<ConsoleEventSource>

export class ConsoleTrafficSource implements TrafficSource {
  readonly id: string
  private readonly keeper: SourceStatusKeeper
  private unsubscribe: (() => void) | undefined
  private stopped = false

  constructor(
    private readonly site: Site,
    private readonly deviceId: string,
    private readonly provider: ConsoleEventProvider | undefined,
  ) {
    this.id = `${site}/console`
    this.keeper = new SourceStatusKeeper({ id: this.id, site, kind: 'console', label: `console of ${deviceId}` })
  }

  status() {
    return this.keeper.value
  }

  start(sink: SourceSink): void {
    this.keeper.attach(sink)
    if (!this.provider) return this.keeper.set('error', `PairKit cannot read the console of ${this.deviceId} here`, 'Watch this site through its broker instead.')
    void (async () => {
      try {
        const source = await this.provider?.(this.deviceId, this.site)
        if (!source || this.stopped) return
        this.unsubscribe = source.onEvents((events) => this.take(events, sink))
        sink.watching(this.site, 'console', true)
        this.keeper.set('connected')
      } catch (error) {
        const { message, hint } = error as { message?: string; hint?: string }
        this.keeper.set('error', message ?? String(error), hint)
      }
    })()
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.unsubscribe) {
      this.unsubscribe()
      this.unsubscribe = undefined
    }
    this.keeper.set('stopped')
  }

  private take(events: readonly LogEvent[], sink: SourceSink): void {
    const site = this.site
    for (const event of events) {
      const t = event.hostTime ?? Date.now()
      switch (event.kind) {
        case 'forward':
          this.keeper.counted()
          sink.observe({
            site,
            source: 'console',
            t,
            topic: event.topic,
            text: event.payload ?? '',
            qos: event.qos ?? null,
            retain: event.retain ?? null,
            role: event.direction === 'to-peer' ? 'sent' : 'received',
          })
          break
        case 'drop':
          if (event.direction === 'to-peer' || event.direction === 'from-peer') {
            sink.drop({ site, t, reason: event.reason, direction: event.direction, ...(event.topic !== undefined ? { topic: event.topic } : {}), count: event.count ?? 1 })
          }
          break
        case 'peer':
          if (event.event === 'connected') sink.link(site, t, true)
          else if (event.event === 'disconnected') sink.link(site, t, false)
          break
        case 'reboot':
          sink.link(site, t, false)
          break
        case 'ice-state':
          if (event.state === 'failed' || event.state === 'disconnected') sink.link(site, t, false)
          break
      }
    }
  }
}
