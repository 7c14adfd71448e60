// A ConsoleEventSource over a serial link this process has open: the link's bytes through a
// LogParser, stamped with the host's clock as they arrive. The serial monitor provides the same
// interface for the ports it owns; this one serves the CLI and tests, which open a link themselves.
import { LogParser, type LogEvent } from '../../common/logs'
import type { Site } from '../../common/traffic/model'
import type { SerialLink } from '../serial/link'
import type { ConsoleEventSource } from './console-source'

export class LinkConsoleEvents implements ConsoleEventSource {
  private readonly parser = new LogParser()
  private readonly listeners = new Set<(events: readonly LogEvent[]) => void>()
  private readonly offData: () => void

  constructor(
    link: SerialLink,
    readonly deviceId: string,
    readonly site: Site,
  ) {
    this.offData = link.onData((chunk) => {
      const events = this.parser.push(chunk, Date.now())
      if (events.length === 0) return
      for (const listener of this.listeners) listener(events)
    })
  }

  onEvents(listener: (events: readonly LogEvent[]) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Stops reading (the link stays open: whoever opened it closes it). */
  close(): void {
    this.offData()
    this.listeners.clear()
  }
}
