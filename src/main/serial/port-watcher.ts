import type { PortInfo } from '../../common/contract'
import { Emitter } from '../../common/event'
import { Disposable, toDisposable } from '../../common/lifecycle'
import { listExtraPorts, listSystemPorts } from './port-lister'

/** Poll period: a port that appears or goes shows in the UI well within 2 s. */
export const PORT_POLL_INTERVAL_MS = 500

/**
 * Watches the serial ports by polling (USB hot-plug events are not portable, and
 * pseudo-terminals have none). Fires onDidChange with the whole list when it changes.
 */
export class PortWatcher extends Disposable {
  private readonly _onDidChange = this.register(new Emitter<PortInfo[]>())
  readonly onDidChange = this._onDidChange.event
  private current: PortInfo[] = []
  private signature = ''
  private timer: ReturnType<typeof setTimeout> | undefined
  private scanning: Promise<PortInfo[]> | undefined

  constructor(
    private readonly extraPatterns: readonly string[],
    private readonly intervalMs = PORT_POLL_INTERVAL_MS,
  ) {
    super()
    this.register(toDisposable(() => clearTimeout(this.timer)))
  }

  start(): void {
    if (this.timer !== undefined) return
    const tick = async () => {
      await this.scan().catch(() => undefined)
      if (!this.store.isDisposed) this.timer = setTimeout(tick, this.intervalMs)
    }
    this.timer = setTimeout(tick, 0)
  }

  /** Scans now (joining a scan already under way) and returns the list. */
  async list(): Promise<PortInfo[]> {
    return this.scan()
  }

  private scan(): Promise<PortInfo[]> {
    this.scanning ??= this.doScan().finally(() => (this.scanning = undefined))
    return this.scanning
  }

  private async doScan(): Promise<PortInfo[]> {
    const [system, extra] = await Promise.all([listSystemPorts().catch(() => []), listExtraPorts(this.extraPatterns)])
    const seen = new Set(system.map((port) => port.path))
    const ports = [...system, ...extra.filter((port) => !seen.has(port.path))].sort((a, b) => a.path.localeCompare(b.path))
    const signature = JSON.stringify(ports)
    if (signature !== this.signature) {
      this.signature = signature
      this.current = ports
      this._onDidChange.fire(ports)
    }
    return this.current
  }
}
