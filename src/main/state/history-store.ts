// The flash history: every firmware flash and provisioning made from the UI, with when, on
// which device, what was written (the bundle's name and SHA-256, or the pair and role) and
// how it ended; and each commissioning and bridge test of a pair, once per device. Kept in history.json in the data folder, the newest MAX_HISTORY_ENTRIES.
import { randomUUID } from 'node:crypto'
import path from 'node:path'
import { z } from 'zod'
import { HistoryEntrySchema, MAX_HISTORY_ENTRIES, type HistoryEntry } from '../../common/contract/history'
import { deviceIdOf } from '../../common/devices/device-id'
import { Emitter, type Event } from '../../common/event'
import { readJsonFile, writeJsonFile } from './json-file'

export const HISTORY_FILE = 'history.json'

const HistoryFileSchema = z.object({ version: z.literal(1), entries: z.array(HistoryEntrySchema).max(MAX_HISTORY_ENTRIES) })

export class HistoryStore {
  private readonly entries: HistoryEntry[]
  private readonly _onDidAdd = new Emitter<HistoryEntry>()
  readonly onDidAdd: Event<HistoryEntry> = this._onDidAdd.event

  /** `dataDir`: where history.json is; none keeps the history for this run only. */
  constructor(private readonly dataDir?: string) {
    this.entries = (this.file ? readJsonFile(this.file, HistoryFileSchema)?.entries : undefined) ?? []
  }

  add(entry: Omit<HistoryEntry, 'id'>): HistoryEntry {
    const added: HistoryEntry = { id: randomUUID(), ...entry }
    this.entries.push(added)
    if (this.entries.length > MAX_HISTORY_ENTRIES) this.entries.splice(0, this.entries.length - MAX_HISTORY_ENTRIES)
    this.save()
    this._onDidAdd.fire(added)
    return added
  }

  /** Newest first; for one device (any spelling of its link) and for one pair when given. */
  list(options: { deviceId?: string; pairId?: string; limit?: number } = {}): HistoryEntry[] {
    const deviceId = options.deviceId === undefined ? undefined : deviceIdOf(options.deviceId)
    const matching = this.entries.filter(
      (entry) => (deviceId === undefined || entry.deviceId === deviceId) && (options.pairId === undefined || entry.pair?.pairId === options.pairId),
    )
    return matching.reverse().slice(0, options.limit ?? MAX_HISTORY_ENTRIES)
  }

  dispose(): void {
    this._onDidAdd.dispose()
  }

  private save(): void {
    if (!this.file) return
    try {
      writeJsonFile(this.file, { version: 1, entries: this.entries })
    } catch (error) {
      console.warn(`PairKit could not save the flash history to ${this.file}: ${error instanceof Error ? error.message : String(error)}`)
    }
  }

  private get file(): string | undefined {
    return this.dataDir ? path.join(this.dataDir, HISTORY_FILE) : undefined
  }
}
