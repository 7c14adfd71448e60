// Speaks the firmware's console lines (reference §8) for a PairKit peer, so that the twin can
// show what a real ESP would print. Timestamps count from the peer's start, like time since boot.
import { type PeerRole, peerLogTag } from '../../common/serverless/constants'
import { type EspLogLevel, formatEspLog, formatJuiceLog, JUICE_MESSAGES, type JuiceLogLevel } from '../../common/serverless/firmware-log'

export type FirmwareLineSink = (line: string) => void

type JuiceEntry = (typeof JUICE_MESSAGES)[keyof typeof JUICE_MESSAGES]

export class FirmwareConsole {
  private readonly started = Date.now()
  private readonly peerTag: string

  constructor(
    role: PeerRole,
    private readonly sink: FirmwareLineSink | undefined,
  ) {
    this.peerTag = peerLogTag(role)
  }

  get enabled(): boolean {
    return this.sink !== undefined
  }

  /** A line of the signalling code (tag serverless_mqtt1/2). */
  peer(level: EspLogLevel, message: string): void {
    this.esp(level, this.peerTag, message)
  }

  /** A line of the bridging code (tag serverless_mqtt). */
  bridge(level: EspLogLevel, message: string): void {
    this.esp(level, 'serverless_mqtt', message)
  }

  juice<E extends JuiceEntry>(level: JuiceLogLevel, entry: E, ...args: Parameters<E['text']>): void {
    if (!this.sink) return
    const text = (entry.text as (...a: unknown[]) => string)(...args)
    this.emit(formatJuiceLog({ level, seconds: (Date.now() - this.started) / 1000, file: entry.file, line: entry.line, message: text }))
  }

  /** libjuice's warning for data from an address outside the candidate pairs (no file:line known). */
  juiceWarnUnknownAddress(): void {
    if (this.sink) this.emit(formatJuiceLog({ level: 'WARN', seconds: (Date.now() - this.started) / 1000, file: 'agent.c', line: 0, message: 'Received a datagram from unknown address, ignoring' }))
  }

  /** printf output without any prefix (e.g. TOPIC=…, DATA=…). */
  raw(line: string): void {
    if (this.sink) this.emit(line)
  }

  private esp(level: EspLogLevel, tag: string, message: string): void {
    if (!this.sink) return
    this.emit(formatEspLog({ level, timestamp: Date.now() - this.started, tag, message }))
  }

  private emit(line: string): void {
    try {
      this.sink?.(line)
    } catch {
      // A faulty sink must never break the bridge.
    }
  }
}
