// One session's folder in the spool: raw.bin (the device's bytes, appended exactly as they
// arrive) and session.json (see spool-format.ts). The port's reader never waits for the disk:
// append() queues the bytes and one write at a time drains the queue, coalescing what piled up.
//
// A disk slower than the port: at 4 MiB queued the session says the disk is behind; at 16 MiB
// (minutes of a fast UART on a disk that does not write at all) the spool stops taking bytes
// and records the gap (offset, size, from, to) until the queue has room again, and says so.
// The alternatives are worse: buffering without bound ends the process, and pausing the port
// is not possible (a UART has no backpressure here; the OS would drop the bytes silently).
// A write error (disk full, folder removed) stops the spool for the session, with a notice;
// the lines still reach the UI and their counters.
import { mkdir, open, rename, writeFile, type FileHandle } from 'node:fs/promises'
import path from 'node:path'
import { RAW_FILE, SESSION_FILE, type SessionRecord, type SpoolMarker } from './spool-format'

export const QUEUE_WARN_BYTES = 4 << 20
export const QUEUE_LIMIT_BYTES = 16 << 20
/** An index entry at least this often while bytes arrive … */
export const INDEX_EVERY_BYTES = 64 << 10
export const INDEX_EVERY_MS = 1000
/** … and no more entries than this (beyond it every other one is dropped). */
export const MAX_INDEX_ENTRIES = 4096
/** session.json is rewritten at most this often for new bytes, at once for markers and the end. */
const RECORD_DELAY_MS = 2000
/** … and at least this often while the session runs (a live session's heartbeat, for rotation). */
export const RECORD_HEARTBEAT_MS = 30_000

export interface SessionSpoolInfo {
  sessionId: string
  deviceId: string
  baud: number
  reset: boolean
  startedAtMs: number
}

export interface SessionSpoolOptions {
  /** Something the technician should know (the disk is behind, a write failed). */
  onNotice?: (level: 'warn' | 'error', message: string) => void
  /** Bytes that reached the disk (raw.bin and session.json growth), for the store's size. */
  onWritten?: (bytes: number) => void
}

export class SessionSpool {
  private readonly queue: Uint8Array[] = []
  private queuedBytes = 0
  private writing = false
  private drained: Array<() => void> = []
  /** raw.bin offset of the next byte taken (what is written plus what is queued). */
  private taken = 0
  private written = 0
  private unspooled = 0
  private failure: string | undefined
  private warnedBehind = false
  private openGap: SessionRecord['gaps'][number] | undefined
  private lastIndex: { offset: number; at: number } | undefined
  private readonly record: SessionRecord
  private recordTimer: ReturnType<typeof setTimeout> | undefined
  private readonly heartbeat: ReturnType<typeof setInterval>
  private recordChain: Promise<void> = Promise.resolve()
  private recordBytes = 0
  private closed = false

  private constructor(
    readonly dir: string,
    private readonly handle: FileHandle,
    info: SessionSpoolInfo,
    private readonly options: SessionSpoolOptions,
  ) {
    this.record = {
      version: 1,
      sessionId: info.sessionId,
      deviceId: info.deviceId,
      baud: info.baud,
      reset: info.reset,
      startedAt: new Date(info.startedAtMs).toISOString(),
      startedAtMs: info.startedAtMs,
      updatedAtMs: Date.now(),
      bytes: 0,
      lines: 0,
      markers: [],
      index: [],
      gaps: [],
    }
    this.heartbeat = setInterval(() => this.saveRecord(), RECORD_HEARTBEAT_MS)
    this.heartbeat.unref?.()
  }

  /** Makes the folder (it must not exist yet) with an empty raw.bin and the first session.json. */
  static async create(dir: string, info: SessionSpoolInfo, options: SessionSpoolOptions = {}): Promise<SessionSpool> {
    await mkdir(dir, { recursive: true })
    const handle = await open(path.join(dir, RAW_FILE), 'wx')
    const spool = new SessionSpool(dir, handle, info, options)
    spool.saveRecord()
    await spool.recordChain
    return spool
  }

  /** Bytes on disk in raw.bin, and bytes the spool could not keep. */
  get counters(): { spooledBytes: number; unspooledBytes: number } {
    return { spooledBytes: this.written, unspooledBytes: this.unspooled }
  }

  /** The session's device line count, for session.json. */
  set lines(count: number) {
    this.record.lines = count
  }

  /** Queues the device's bytes for raw.bin; never waits. */
  append(chunk: Uint8Array, at: number): void {
    if (chunk.length === 0 || this.closed) return
    if (this.failure !== undefined || this.queuedBytes + chunk.length > QUEUE_LIMIT_BYTES) {
      this.notSpooled(chunk.length, at, this.failure ?? `the disk fell ${QUEUE_LIMIT_BYTES >> 20} MiB behind the port`)
      return
    }
    if (this.openGap) this.closeGap()
    if (!this.lastIndex || this.taken - this.lastIndex.offset >= INDEX_EVERY_BYTES || at - this.lastIndex.at >= INDEX_EVERY_MS) this.addIndex(this.taken, at)
    // Copied: the link may reuse its buffer once the listener returns.
    this.queue.push(chunk.slice())
    this.queuedBytes += chunk.length
    this.taken += chunk.length
    if (!this.warnedBehind && this.queuedBytes > QUEUE_WARN_BYTES) {
      this.warnedBehind = true
      this.options.onNotice?.('warn', `the disk is behind the port: ${this.queuedBytes >> 20} MiB of the device's bytes wait to be written to ${this.dir}`)
    }
    this.pump()
  }

  /** A marker at the current end of the stream (after every byte taken so far). */
  mark(marker: Omit<SpoolMarker, 'offset'>): void {
    this.record.markers.push({ ...marker, offset: this.taken })
    this.saveRecord()
  }

  /** Writes what is queued, the final session.json, and closes raw.bin. */
  async close(end: { at: number; reason: NonNullable<SessionRecord['endReason']> }): Promise<void> {
    if (this.closed) return
    this.closed = true
    if (this.openGap) this.closeGap()
    await this.flush()
    clearInterval(this.heartbeat)
    await this.handle.sync().catch(() => undefined)
    await this.handle.close().catch(() => undefined)
    this.record.endedAt = new Date(end.at).toISOString()
    this.record.endedAtMs = end.at
    this.record.endReason = end.reason
    this.saveRecord()
    await this.recordChain
  }

  /** Resolves once everything queued so far is on disk (or given up). */
  flush(): Promise<void> {
    if (!this.writing && this.queue.length === 0) return Promise.resolve()
    return new Promise((resolve) => this.drained.push(resolve))
  }

  private pump(): void {
    if (this.writing || this.queue.length === 0) return
    this.writing = true
    const parts = this.queue.splice(0)
    const bytes = parts.length === 1 ? (parts[0] as Uint8Array) : Buffer.concat(parts)
    void this.writeAll(bytes).then(
      () => {
        this.queuedBytes -= bytes.length
        this.written += bytes.length
        this.record.bytes = this.written
        this.options.onWritten?.(bytes.length)
        this.afterWrite()
      },
      (error: unknown) => {
        // Nothing more goes to this raw.bin: what failed and what waited behind it is a gap
        // at the file's real end.
        const lost = this.queuedBytes
        this.queue.length = 0
        this.queuedBytes = 0
        this.taken = this.written
        this.failure = `PairKit could not write to ${path.join(this.dir, RAW_FILE)} (${error instanceof Error ? error.message : String(error)})`
        this.options.onNotice?.('error', `${this.failure}: the lines still show, but the device's bytes are not kept on disk from here`)
        this.notSpooled(lost, Date.now(), this.failure)
        this.afterWrite()
      },
    )
  }

  private afterWrite(): void {
    this.writing = false
    if (this.queuedBytes <= QUEUE_WARN_BYTES / 2) this.warnedBehind = false
    this.scheduleRecord()
    if (this.queue.length > 0) this.pump()
    else for (const resolve of this.drained.splice(0)) resolve()
  }

  private async writeAll(bytes: Uint8Array): Promise<void> {
    for (let at = 0; at < bytes.length; ) {
      const { bytesWritten } = await this.handle.write(bytes, at, bytes.length - at)
      at += bytesWritten
    }
  }

  private notSpooled(bytes: number, at: number, reason: string): void {
    this.unspooled += bytes
    if (this.openGap && this.openGap.reason === reason) {
      this.openGap.bytes += bytes
      this.openGap.to = at
      return
    }
    if (this.openGap) this.closeGap()
    this.openGap = { offset: this.taken, bytes, from: at, to: at, reason }
    if (this.failure === undefined) this.options.onNotice?.('error', `${reason}: bytes are not kept on disk until it catches up (the lines still show)`)
  }

  private closeGap(): void {
    if (!this.openGap) return
    this.record.gaps.push(this.openGap)
    this.openGap = undefined
    this.saveRecord()
  }

  private addIndex(offset: number, at: number): void {
    this.lastIndex = { offset, at }
    this.record.index.push([offset, at])
    if (this.record.index.length > MAX_INDEX_ENTRIES) this.record.index = this.record.index.filter((_, i) => i % 2 === 0)
  }

  private scheduleRecord(): void {
    if (this.recordTimer !== undefined || this.closed) return
    this.recordTimer = setTimeout(() => {
      this.recordTimer = undefined
      this.saveRecord()
    }, RECORD_DELAY_MS)
    this.recordTimer.unref?.()
  }

  /** Rewrites session.json (a new file renamed over the old), one write at a time. */
  private saveRecord(): void {
    if (this.recordTimer !== undefined) clearTimeout(this.recordTimer)
    this.recordTimer = undefined
    this.recordChain = this.recordChain.then(async () => {
      this.record.updatedAtMs = Date.now()
      const text = JSON.stringify({ ...this.record, ...(this.openGap ? { gaps: [...this.record.gaps, this.openGap] } : {}) })
      const file = path.join(this.dir, SESSION_FILE)
      const temp = path.join(this.dir, `.${SESSION_FILE}.tmp`)
      try {
        await writeFile(temp, text)
        await rename(temp, file)
        const size = Buffer.byteLength(text)
        this.options.onWritten?.(size - this.recordBytes)
        this.recordBytes = size
      } catch {
        // The folder went (rotation by another PairKit, or by hand): raw.bin's writes report it.
      }
    })
  }
}
