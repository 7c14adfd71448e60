// PairKit's own peer standing in for one site: its message events say what it sent over the
// link and what it received (topic and wrapped size, no payload: they are correlated by topic
// and exact payload size), its drops say why messages did not cross, linked/unlinked its link.
import type { Event } from '../../common/event'
import type { IDisposable } from '../../common/lifecycle'
import type { PeerEvent } from '../../common/serverless/peer-events'
import { wrappedLength } from '../../common/serverless/datagram-wrap'
import type { Site } from '../../common/traffic/model'
import { SourceStatusKeeper, type SourceSink, type TrafficSource } from './traffic-source'

const encoder = new TextEncoder()

export class PeerTrafficSource implements TrafficSource {
  readonly id: string
  private readonly keeper: SourceStatusKeeper
  private subscription: IDisposable | undefined

  constructor(
    private readonly site: Site,
    private readonly events: Event<PeerEvent>,
    label = "PairKit's peer",
  ) {
    this.id = `${site}/peer`
    this.keeper = new SourceStatusKeeper({ id: this.id, site, kind: 'peer', label })
  }

  status() {
    return this.keeper.value
  }

  start(sink: SourceSink): void {
    this.keeper.attach(sink)
    const site = this.site
    this.subscription = this.events((event) => {
      switch (event.type) {
        case 'message':
          if (event.direction === 'local') return
          this.keeper.counted()
          sink.observe({
            site,
            source: 'peer',
            t: event.at,
            topic: event.topic,
            // The event gives the datagram's size: header, topic and padding, then the payload.
            size: Math.max(0, event.bytes - wrappedLength(encoder.encode(event.topic).length, 0)),
            role: event.direction === 'to-peer' ? 'sent' : 'received',
          })
          return
        case 'drop':
          if (event.direction !== 'local') sink.drop({ site, t: event.at, reason: event.reason, direction: event.direction, ...(event.topic !== undefined ? { topic: event.topic } : {}), count: event.count })
          return
        case 'linked':
          sink.link(site, event.at, true)
          return
        case 'unlinked':
          sink.link(site, event.at, false)
          return
        case 'closed':
          this.keeper.set('stopped', "PairKit's peer stopped")
          sink.watching(site, 'peer', false)
          return
      }
    })
    sink.watching(site, 'peer', true)
    this.keeper.set('connected')
  }

  async stop(): Promise<void> {
    this.subscription?.dispose()
    this.subscription = undefined
    this.keeper.set('stopped')
  }
}
