// The spool folder (<data folder>/monitor, layout in spool-format.ts) and its size bound: when
// the sessions together grow past the limit, the oldest session folders are deleted, oldest
// first across devices, down to 90 % of the limit (so one write over it does not mean one scan
// per write). A session still running is never deleted: this process's own until they are
// closed, another process's (the CLI beside the app) while its session.json has no end and
// was rewritten within the last two minutes (a running session rewrites it every 30 s).
import { readdir, readFile, rm, rmdir, stat } from 'node:fs/promises'
import path from 'node:path'
import { deviceSlug, SESSION_FILE, SessionRecordSchema, sessionFolderName } from './spool-format'
import { SessionSpool, RECORD_HEARTBEAT_MS, type SessionSpoolInfo, type SessionSpoolOptions } from './session-spool'

export const DEFAULT_SPOOL_LIMIT_BYTES = 512 << 20
/** A session.json without an end, older than this, belongs to a run that did not end cleanly. */
const STALE_AFTER_MS = 4 * RECORD_HEARTBEAT_MS
const PRUNE_TO = 0.9

export interface SpoolStoreOptions {
  onNotice?: (message: string) => void
}

interface SessionFolder {
  dir: string
  name: string
  bytes: number
  live: boolean
}

export class SpoolStore {
  private estimate = 0
  private scanned: Promise<void> | undefined
  private pruning: Promise<void> | undefined
  private pruneAgain = false
  /** This process's sessions that may still write (open, or able to resume). */
  private readonly live = new Set<string>()
  private warnedOverLimit = false

  constructor(
    /** The spool folder itself (<data folder>/monitor). */
    readonly root: string,
    private limitBytes: number = DEFAULT_SPOOL_LIMIT_BYTES,
    private readonly options: SpoolStoreOptions = {},
  ) {}

  get limit(): number {
    return this.limitBytes
  }

  /** What the spool holds: the last scan, less what was deleted, plus what was written since. */
  get totalBytes(): number {
    return this.estimate
  }

  /** A new session folder for the device; it stays live until released. */
  async createSession(info: SessionSpoolInfo, options: SessionSpoolOptions = {}): Promise<SessionSpool> {
    await this.scan()
    const deviceDir = path.join(this.root, deviceSlug(info.deviceId))
    const base = sessionFolderName(info.startedAtMs)
    for (let attempt = 1; ; attempt++) {
      const dir = path.join(deviceDir, attempt === 1 ? base : `${base}-${attempt}`)
      this.live.add(dir)
      try {
        return await SessionSpool.create(dir, info, {
          ...options,
          onWritten: (bytes) => {
            options.onWritten?.(bytes)
            this.grew(bytes)
          },
        })
      } catch (error) {
        this.live.delete(dir)
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 100) throw error
      }
    }
  }

  /** The session will not write again: its folder may be deleted when the spool is over its limit. */
  release(dir: string): void {
    this.live.delete(dir)
    if (this.estimate > this.limitBytes) void this.prune()
  }

  setLimit(bytes: number): Promise<void> {
    this.limitBytes = bytes
    this.warnedOverLimit = false
    return this.prune()
  }

  /** Deletes the oldest finished sessions until the spool is at 90 % of its limit or only live ones are left. */
  prune(): Promise<void> {
    if (this.pruning) {
      this.pruneAgain = true
      return this.pruning
    }
    this.pruning = (async () => {
      do {
        this.pruneAgain = false
        await this.pruneOnce()
      } while (this.pruneAgain)
    })().finally(() => (this.pruning = undefined))
    return this.pruning
  }

  private grew(bytes: number): void {
    this.estimate += bytes
    if (this.estimate > this.limitBytes && !this.pruning && !this.warnedOverLimit) void this.prune()
  }

  private scan(): Promise<void> {
    this.scanned ??= this.folders().then((folders) => {
      this.estimate = folders.reduce((sum, folder) => sum + folder.bytes, 0)
    })
    return this.scanned
  }

  private async pruneOnce(): Promise<void> {
    const folders = await this.folders()
    let total = folders.reduce((sum, folder) => sum + folder.bytes, 0)
    const target = this.limitBytes * PRUNE_TO
    if (total > this.limitBytes) {
      for (const folder of folders.filter((candidate) => !candidate.live).sort((a, b) => a.name.localeCompare(b.name))) {
        if (total <= target) break
        await rm(folder.dir, { recursive: true, force: true }).catch(() => undefined)
        // The device's folder goes with its last session.
        await rmdir(path.dirname(folder.dir)).catch(() => undefined)
        total -= folder.bytes
      }
    }
    this.estimate = total
    if (total > this.limitBytes) {
      if (!this.warnedOverLimit) {
        this.warnedOverLimit = true
        this.options.onNotice?.(
          `the monitor sessions still running hold ${mib(total)} MiB, more than the spool's limit of ${mib(this.limitBytes)} MiB; they are kept until they are closed`,
        )
      }
    } else this.warnedOverLimit = false
  }

  /** Every session folder, with its size and whether it may still be written to. */
  private async folders(): Promise<SessionFolder[]> {
    const found: SessionFolder[] = []
    for (const slug of await subfolders(this.root)) {
      const device = path.join(this.root, slug)
      for (const name of await subfolders(device)) {
        const dir = path.join(device, name)
        found.push({ dir, name, bytes: await folderBytes(dir), live: this.live.has(dir) || (await runningElsewhere(dir)) })
      }
    }
    return found
  }
}

async function subfolders(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true })
    return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name)
  } catch {
    return []
  }
}

async function folderBytes(dir: string): Promise<number> {
  let total = 0
  try {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (entry.isFile()) total += (await stat(path.join(dir, entry.name)).catch(() => undefined))?.size ?? 0
    }
  } catch {
    // Gone meanwhile.
  }
  return total
}

/** A session another process is writing: no end in its record, and a recent heartbeat. */
async function runningElsewhere(dir: string): Promise<boolean> {
  try {
    const record = SessionRecordSchema.safeParse(JSON.parse(await readFile(path.join(dir, SESSION_FILE), 'utf8')))
    if (!record.success) return false
    return record.data.endedAtMs === undefined && Date.now() - record.data.updatedAtMs < STALE_AFTER_MS
  } catch {
    return false
  }
}

function mib(bytes: number): string {
  return (bytes / (1 << 20)).toFixed(1)
}
