// The monitor's spool on disk: every session's raw bytes, exactly as received, and what is
// known about them. `pairkit logs parse DIR` reads a session folder; anything else that reads
// the spool starts here.
//
//   <data folder>/monitor/
//     settings.json                        the spool's size limit when set in the app
//     <device slug>/                       "rfc2217-127.0.0.1-4000", "dev-ttyUSB0", "COM3"
//       <start, ISO 8601 UTC with "-">/    "2025-06-01T12-03-04.123Z" (a "-2" … suffix if taken)
//         raw.bin                          the device's bytes, appended as they arrive
//         session.json                     SessionRecord below, rewritten as the session goes
//
// raw.bin holds only what the device sent while the monitor had the port. What PairKit wrote
// into the stream (hand-over, resume, loss, reset) is in session.json's `markers`, each at the
// raw.bin offset where it happened, so a reader can cut the stream there as the live session
// did. `index` maps offsets to the host's clock: an entry at least every 64 KiB and every
// second while bytes arrive (thinned to every other entry beyond 4096). `gaps` lists bytes the
// spool could not keep (a failing or far too slow disk); the session's counters say so too.
import { z } from 'zod'

export const RAW_FILE = 'raw.bin'
export const SESSION_FILE = 'session.json'
export const SETTINGS_FILE = 'settings.json'
export const SPOOL_FOLDER = 'monitor'

export const MarkerKindSchema = z.enum(['handed-over', 'resumed', 'port-lost', 'reset'])
export type MarkerKind = z.infer<typeof MarkerKindSchema>

export const SpoolMarkerSchema = z.object({
  /** Host time (ms since the epoch). */
  at: z.number(),
  /** raw.bin offset: the marker comes after every byte before it. */
  offset: z.number().int().nonnegative(),
  kind: MarkerKindSchema,
  /** The line the live stream showed, e.g. "— port handed to the flasher (flash) —". */
  text: z.string(),
  /** handed-over: what took the port, and its job. */
  operation: z.string().optional(),
  jobId: z.string().optional(),
})
export type SpoolMarker = z.infer<typeof SpoolMarkerSchema>

export const SessionRecordSchema = z.object({
  version: z.literal(1),
  sessionId: z.string(),
  deviceId: z.string(),
  baud: z.number(),
  reset: z.boolean(),
  /** ISO 8601 and ms since the epoch. */
  startedAt: z.string(),
  startedAtMs: z.number(),
  /** Last rewrite (at least every 30 s while the session runs: a record older than 2 min without endedAt is a crashed run's). */
  updatedAtMs: z.number(),
  endedAt: z.string().optional(),
  endedAtMs: z.number().optional(),
  endReason: z.enum(['closed', 'port-lost', 'failed', 'shutdown']).optional(),
  /** Bytes in raw.bin (after every write the record knows of). */
  bytes: z.number().int().nonnegative(),
  /** Device lines the session counted (see line-splitter.ts for the rule). */
  lines: z.number().int().nonnegative(),
  markers: z.array(SpoolMarkerSchema),
  /** [raw.bin offset, host ms] pairs, ascending. */
  index: z.array(z.tuple([z.number().int().nonnegative(), z.number()])),
  gaps: z.array(z.object({ offset: z.number().int().nonnegative(), bytes: z.number().int().positive(), from: z.number(), to: z.number(), reason: z.string() })),
})
export type SessionRecord = z.infer<typeof SessionRecordSchema>

/** A device id as one folder name: the scheme and separators become "-", nothing else changes. */
export function deviceSlug(deviceId: string): string {
  const slug = deviceId
    .replace(/^([a-z0-9]+):\/\//i, '$1-')
    .replace(/[\\/:*?"<>|[\]]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .replace(/-{2,}/g, '-')
  return (slug || 'device').slice(0, 120)
}

/** "2025-06-01T12-03-04.123Z": ISO 8601, sortable, with no character a file system refuses. */
export function sessionFolderName(startedAtMs: number): string {
  return new Date(startedAtMs).toISOString().replace(/:/g, '-')
}
