// The pairs whose signalling PairKit watches (signalling.watch / unwatch / watches): the broker
// and topic prefix come from the pair's record, a password in the broker's address from the
// SecretStore (never shown: the watch reports the address masked).
import type { ContractEvent } from '../../common/contract'
import type { SignallingWatch as WatchInfo } from '../../common/contract/signalling'
import { PairKitError } from '../../common/errors'
import { Emitter, type Event } from '../../common/event'
import { hasUrlPassword } from '../../common/url-userinfo'
import type { SecretStore } from '../secrets/secret-store'
import { pairSecretId, passwordsGone, type ConfigService } from '../services/config-service'
import { SignallingWatch, type WatchTarget } from './signalling-watch'

export type SignallingEvent = Extract<ContractEvent, { name: 'signalling.message' | 'signalling.status' }>

/** A technician watches one or two pairs; this bounds what a runaway client can open. */
export const MAX_WATCHES = 16

export class SignallingWatchService {
  private readonly watches = new Map<string, SignallingWatch>()
  private readonly _onEvent = new Emitter<SignallingEvent>()
  readonly onEvent: Event<SignallingEvent> = this._onEvent.event

  constructor(
    private readonly config: Pick<ConfigService, 'records'>,
    private readonly secrets: SecretStore,
    private readonly options: { reconnectMs?: number } = {},
  ) {}

  watch(pairId: string): WatchInfo {
    const existing = this.watches.get(pairId)
    if (existing && existing.info.state !== 'failed') return existing.info
    if (existing) void this.stopWatch(pairId)
    if (this.watches.size >= MAX_WATCHES) {
      throw new PairKitError('BAD_INPUT', `PairKit already watches the signalling of ${MAX_WATCHES} pairs`, { hint: 'Stop watching a pair you no longer need.' })
    }
    const watch = new SignallingWatch(this.target(pairId), {
      ...(this.options.reconnectMs !== undefined ? { reconnectMs: this.options.reconnectMs } : {}),
      onMessage: (message) => this._onEvent.fire({ name: 'signalling.message', payload: message }),
      onStatus: (info) => this._onEvent.fire({ name: 'signalling.status', payload: info }),
    })
    this.watches.set(pairId, watch)
    return watch.info
  }

  async unwatch(pairId: string): Promise<void> {
    await this.stopWatch(pairId)
  }

  list(): WatchInfo[] {
    return [...this.watches.values()].map((watch) => watch.info)
  }

  /** The MQTT client ids the watches use (for tests that check nothing was published). */
  clientIds(): string[] {
    return [...this.watches.values()].map((watch) => watch.clientId)
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.watches.keys()].map((pairId) => this.stopWatch(pairId)))
    this._onEvent.dispose()
  }

  private async stopWatch(pairId: string): Promise<void> {
    const watch = this.watches.get(pairId)
    if (!watch) return
    this.watches.delete(pairId)
    await watch.stop()
  }

  private target(pairId: string): WatchTarget {
    const record = this.config.records().find((candidate) => candidate.pairId === pairId)
    if (!record) throw new PairKitError('NOT_FOUND', `no pair ${pairId} in this PairKit`, { hint: 'Create the pair again in Configure.' })
    // Both sides share the broker and the prefix (SHARED_FIELDS); side a's are the pair's.
    const side = record.a
    if (side.peerLibrary !== 'juice') {
      throw new PairKitError('UNAVAILABLE', `pair ${pairId} uses the esp-peer variant, which signals through an AppRTC server; PairKit watches MQTT signalling only`, {
        hint: 'Watch the devices\' consoles in the monitor instead.',
      })
    }
    let url = side.signallingUri
    if (hasUrlPassword(url)) {
      const stored = this.secrets.get(pairSecretId(pairId, 'a', 'signallingUri'))
      if (stored === undefined) throw passwordsGone(pairId, this.secrets.kind)
      url = stored
    }
    return { pairId, url, topicPrefix: side.syncTopic }
  }
}
