import { z } from 'zod'
import { ANSI_COLOURS, type AnsiColour } from '../logs/ansi'
import { LogEventSchema } from '../logs/events'
import { DeviceOperationSchema, DeviceRef } from './devices'

/**
 * The serial monitor: a device's console, live, several devices at once. Every byte is kept
 * on disk (the spool, see src/main/monitor/spool-store.ts); the UI gets lines in batches and
 * can read back what it missed from the session's ring of recent lines.
 */
export const MONITOR_LIMITS = {
  /** A line is cut into pieces of this many characters at most (firmware lines are far shorter). */
  lineChars: 4096,
  /** Recent lines each session keeps in memory for monitor.read. */
  ringLines: 10_000,
  /** Recent parsed events each session keeps for monitor.events. */
  ringEvents: 5000,
  /** Lines (or events) in one monitor.lines event or one monitor.read answer at most. */
  linesPerMessage: 2000,
  baud: { min: 300, max: 4_000_000 },
  /** The spool's total size: at least 1 MiB, at most 1 TiB (512 MiB unless set). */
  spoolBytes: { min: 1 << 20, max: 2 ** 40 },
} as const

/** A line as the device printed it (without its line ending), or one PairKit wrote into the stream. */
export const MonitorLineSchema = z.object({
  /** Per session, from 1, counting every line of the stream, markers included. */
  seq: z.number().int().min(1),
  /** When its last byte arrived (ms since the epoch, the host's clock). */
  hostTime: z.number(),
  /** UTF-8 decoded, without ANSI sequences (src/common/logs/line-splitter.ts). */
  text: z.string().max(MONITOR_LIMITS.lineChars),
  /** The line's level colour as the device's ANSI sequences set it (ESP-IDF: E red, W yellow, I green). */
  colour: z.enum(ANSI_COLOURS as [AnsiColour, ...AnsiColour[]]).optional(),
  /** A later piece of a line longer than MONITOR_LIMITS.lineChars. */
  continued: z.literal(true).optional(),
  /**
   * Written by PairKit, not the device: "— port handed to the flasher (flash) —",
   * "— port back: monitoring resumed —", "— the port went away: check the cable —" …
   */
  marker: z.literal(true).optional(),
})
export type MonitorLine = z.infer<typeof MonitorLineSchema>

export const MonitorEndReasonSchema = z.enum(['closed', 'port-lost', 'failed', 'shutdown'])
export type MonitorEndReason = z.infer<typeof MonitorEndReasonSchema>

/**
 * Where a session is. `yielded`: a probe, flash, erase, read or provisioning took the port and
 * the monitor resumes when it ends. `ended` with `resumable`: the link went away (port-lost) or
 * could not be opened again (failed); monitor.resume opens it again in the same session, and a
 * local port with autoResume does so by itself once the system lists it again (`waitingForPort`).
 */
export const MonitorStatusSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('connecting'), since: z.number() }),
  z.object({ state: z.literal('open'), since: z.number() }),
  z.object({ state: z.literal('yielded'), since: z.number(), to: DeviceOperationSchema, jobId: z.string().optional() }),
  z.object({
    state: z.literal('ended'),
    since: z.number(),
    reason: MonitorEndReasonSchema,
    /** In a sentence, e.g. "the port went away: check the cable". */
    message: z.string().max(1000).optional(),
    resumable: z.boolean(),
    waitingForPort: z.boolean().optional(),
  }),
])
export type MonitorStatus = z.infer<typeof MonitorStatusSchema>

/** Exact counts since the session began. */
export const MonitorCountersSchema = z.object({
  /** Bytes received from the device. */
  bytes: z.number().int().nonnegative(),
  /** Lines received from the device (markers not counted). */
  lines: z.number().int().nonnegative(),
  /** Bytes written to raw.bin so far; equals `bytes` once the disk has caught up. */
  spooledBytes: z.number().int().nonnegative(),
  /** Bytes the spool could not keep (the disk failed or stayed far behind): recorded as gaps in session.json. */
  unspooledBytes: z.number().int().nonnegative(),
})
export type MonitorCounters = z.infer<typeof MonitorCountersSchema>

export const MonitorSessionSchema = z.object({
  sessionId: z.string().max(64),
  deviceId: z.string(),
  baud: z.number().int(),
  /** The device was reset into its app (DTR/RTS) when the session opened. */
  reset: z.boolean(),
  autoResume: z.boolean(),
  startedAt: z.number(),
  status: MonitorStatusSchema,
  counters: MonitorCountersSchema,
  /** The session's folder in the spool (raw.bin and session.json); absent when nothing is kept on disk. */
  spoolDir: z.string().optional(),
})
export type MonitorSession = z.infer<typeof MonitorSessionSchema>

export const MonitorNoticeSchema = z.object({ level: z.enum(['info', 'warn', 'error']), message: z.string().max(1000) })
export type MonitorNotice = z.infer<typeof MonitorNoticeSchema>

export const MonitorSpoolSettingsSchema = z.object({
  spoolLimitBytes: z.number().int(),
  /** Where the limit comes from: the default, the stored setting, or PAIRKIT_MONITOR_SPOOL_MB. */
  source: z.enum(['default', 'setting', 'environment']),
  /** The spool folder (<data folder>/monitor); absent when the backend keeps nothing on disk. */
  spoolDir: z.string().optional(),
  /** What the spool holds now (from the last scan plus what was written since). */
  spoolBytes: z.number().int().nonnegative(),
})
export type MonitorSpoolSettings = z.infer<typeof MonitorSpoolSettingsSchema>

const SessionId = z.string().min(1).max(64)
const Seq = z.number().int().min(1)

/**
 * One event the log parser found in the session's stream (src/common/logs; raw lines are not
 * repeated here, they are the lines). `seq` numbers the session's events from 1; `lineSeq` is
 * the seq of the event's first line in the stream, so a view can point at it.
 */
export const MonitorEventItemSchema = z.object({ seq: Seq, lineSeq: Seq, event: LogEventSchema })
export type MonitorEventItem = z.infer<typeof MonitorEventItemSchema>

export const monitorRequests = {
  /**
   * Opens a device's console (any spelling of its link) at `baud` (115200), after resetting it
   * into its app with DTR/RTS when `reset` (links without those lines get a warning and no reset).
   * `autoResume` (default true): a local port that goes away is opened again once it is back.
   * Refused with DEVICE_BUSY while a job or another monitor has the device.
   */
  'monitor.open': {
    input: z
      .object({
        deviceId: DeviceRef,
        baud: z.number().int().min(MONITOR_LIMITS.baud.min).max(MONITOR_LIMITS.baud.max).optional(),
        reset: z.boolean().optional(),
        autoResume: z.boolean().optional(),
      })
      .strict(),
    output: z.object({ sessionId: z.string() }),
  },
  /** Closes the session's link and its spool; the session stays listed as ended (closed). */
  'monitor.close': { input: z.object({ sessionId: SessionId }).strict(), output: z.object({}) },
  /** Opens a resumable ended session's link again (same session, same spool folder). */
  'monitor.resume': { input: z.object({ sessionId: SessionId }).strict(), output: z.object({}) },
  /** Every session this backend has, open or recently ended, oldest first. */
  'monitor.sessions': { input: z.object({}).strict(), output: z.array(MonitorSessionSchema) },
  /**
   * Lines from the session's ring of recent lines, from `fromSeq` (the oldest kept when it is
   * older or absent), at most `limit` (2000). `firstSeq` is the oldest line kept, `nextSeq` the
   * seq the next line will have.
   */
  'monitor.read': {
    input: z.object({ sessionId: SessionId, fromSeq: Seq.optional(), limit: z.number().int().min(1).max(MONITOR_LIMITS.linesPerMessage).optional() }).strict(),
    output: z.object({ lines: z.array(MonitorLineSchema).max(MONITOR_LIMITS.linesPerMessage), firstSeq: Seq, nextSeq: Seq }),
  },
  /** Parsed events from the session's ring of recent events, as monitor.read does for lines. */
  'monitor.events': {
    input: z.object({ sessionId: SessionId, fromSeq: Seq.optional(), limit: z.number().int().min(1).max(MONITOR_LIMITS.linesPerMessage).optional() }).strict(),
    output: z.object({ events: z.array(MonitorEventItemSchema).max(MONITOR_LIMITS.linesPerMessage), firstSeq: Seq, nextSeq: Seq }),
  },
  /** The spool's size limit and where it comes from. */
  'monitor.settings': { input: z.object({}).strict(), output: MonitorSpoolSettingsSchema },
  /** Stores a new spool size limit; the oldest closed sessions are deleted at once when over it. */
  'monitor.setSpoolLimit': {
    input: z.object({ bytes: z.number().int().min(MONITOR_LIMITS.spoolBytes.min).max(MONITOR_LIMITS.spoolBytes.max) }).strict(),
    output: MonitorSpoolSettingsSchema,
  },
} as const

export const MonitorLinesEventSchema = z.object({
  sessionId: z.string(),
  /** The seq of the first line this batch would start with (lines[0].seq unless none). */
  fromSeq: Seq,
  lines: z.array(MonitorLineSchema).max(MONITOR_LIMITS.linesPerMessage),
  /**
   * Lines this client did not get since its previous batch of the session: its connection was
   * behind, or they left the ring before a batch went out. monitor.read fetches what is still kept.
   */
  dropped: z.number().int().nonnegative(),
  /** The parsed events of these lines (raw lines excepted), in order. */
  events: z.array(MonitorEventItemSchema).max(MONITOR_LIMITS.linesPerMessage),
  /** Events this client did not get since its previous batch (monitor.events fetches them). */
  droppedEvents: z.number().int().nonnegative(),
  /** The session's exact totals when the batch was made. */
  totals: z.object({ bytes: z.number().int().nonnegative(), lines: z.number().int().nonnegative() }),
})
export type MonitorLinesEvent = z.infer<typeof MonitorLinesEventSchema>

export const monitorEvents = {
  /** New lines (and their parsed events) of a session, at most every 50 ms per session. Skipped for a client whose connection is behind (see `dropped`). */
  'monitor.lines': MonitorLinesEventSchema,
  /** A session changed state (or its spool needs attention: `notice`). */
  'monitor.status': z.object({ session: MonitorSessionSchema, notice: MonitorNoticeSchema.optional() }),
} as const

/**
 * Events a client may miss when its connection is behind (src/common/rpc/event-shedder.ts):
 * skipped ones are counted into the next one of the same session.
 */
export const monitorLossyEvents = {
  'monitor.lines': {
    key: (payload: MonitorLinesEvent) => payload.sessionId,
    count: (payload: MonitorLinesEvent): Record<string, number> => ({ lines: payload.lines.length + payload.dropped, events: payload.events.length + payload.droppedEvents }),
    withMissed: (payload: MonitorLinesEvent, missed: Record<string, number>): MonitorLinesEvent => ({
      ...payload,
      dropped: payload.dropped + (missed.lines ?? 0),
      droppedEvents: payload.droppedEvents + (missed.events ?? 0),
    }),
  },
} as const
