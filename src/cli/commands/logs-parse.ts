// `pairkit logs parse`: a device's console output (a saved file, or a session the monitor spooled)
// into events, one per line, and a diagnosis. The input is streamed through LogParser in chunks,
// so a log of any size is read in bounded memory (the 128 MB cap of read-input-file.ts is for
// firmware files, not for logs).
//
// A spooled session is a folder the monitor writes for one device (src/main/monitor/
// spool-format.ts): raw.bin, the bytes as the serial port delivered them, and session.json. The
// stream is cut where session.json's markers say (the port handed to the flasher, lost, back), as
// the live session cut it, so the events are the ones the monitor showed. Any other folder's
// parts are its regular files whose names do not start with "." and do not end in ".json", read
// in code-point order of their names as one stream: a line may continue from one part into the next.
import { createReadStream } from 'node:fs'
import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { PairKitError } from '../../common/errors'
import { UsageError, type Command } from '../command'

/** Bytes per read: what a serial port gives in a burst, times a few. */
const READ_CHUNK = 64 * 1024

export const logsParseCommand: Command = {
  name: 'logs parse',
  summary: "Read a device's console log (a file or a spooled session folder) into events and diagnose it.",
  usage: 'logs parse FILE|FOLDER [--json [--source] [--diagnose]]',
  help: `
Reads the console output of a serverless-MQTT device (what idf.py monitor or any serial terminal
saved, with or without colours) and prints one line per event: the device's time since boot (s),
the kind of event and what it says. Every line of the log appears: a line no parser knows is
printed as it is (kind raw). Then the diagnosis: what went wrong and what to do about it.

FOLDER is a session spooled by the monitor (raw.bin, cut at the markers of its session.json), or
any folder whose files in name order are one stream (files whose names start with "." or end in
".json" are left out).

  --json       one JSON object per event (kind, t = ms since boot or null, and the event's
               fields; sourceLine = the event's first line in the log)
  --source     with --json: also the event's lines of the log ("source")
  --diagnose   with --json: after the events, one object per finding (kind "finding");
               without --json the diagnosis is always printed

Examples:
  pairkit logs parse monitor-2026-05-01.txt
  pairkit logs parse spool/bridge-a/ --json --diagnose`,
  options: { source: { type: 'boolean' }, diagnose: { type: 'boolean' } },
  positionals: { min: 1, max: 1 },
  async run({ values, positionals, out, signal }) {
    if (!out.json && values.source === true) throw new UsageError('--source goes with --json')
    const path = positionals[0] as string
    const [{ LogParser, describeEvent }, { Diagnoser }] = await Promise.all([import('../../common/logs'), import('../../common/diagnosis')])
    const parts = await logParts(path)
    const parser = new LogParser()
    const diagnoser = new Diagnoser()
    const withSource = values.source === true
    const emit = (events: ReturnType<typeof parser.push>) => {
      if (events.length === 0) return
      for (const event of events) diagnoser.push(event)
      if (out.json) {
        for (const event of events) {
          if (withSource) out.result(event, () => '')
          else {
            const { source: _source, ...rest } = event
            out.result(rest, () => '')
          }
        }
      } else {
        out.info(events.map((event) => `${clock(event.t)}  ${event.kind.padEnd(14)} ${describeEvent(event)}`).join('\n'))
      }
    }
    const session = await spooledSession(path)
    if (session) {
      // Cut where the live session was cut; the marker's line shows where (not an event).
      for await (const piece of readCut(session, signal)) {
        if (piece instanceof Uint8Array) emit(parser.push(piece))
        else {
          emit(parser.flush())
          if (!out.json) out.info(`${clock(null)}  ${'marker'.padEnd(14)} ${piece.text}`)
        }
      }
    } else for await (const chunk of readParts(parts, signal)) emit(parser.push(chunk))
    emit(parser.flush())

    const findings = diagnoser.findings()
    if (out.json) {
      if (values.diagnose === true) for (const finding of findings) out.result({ kind: 'finding', ...finding }, () => '')
      return 0
    }
    if (findings.length === 0) {
      out.info(`\nDiagnosis: nothing wrong found in ${parser.lineCount} line(s).`)
      return 0
    }
    out.info(`\nDiagnosis (${findings.length} finding${findings.length === 1 ? '' : 's'}):`)
    for (const finding of findings) {
      const lines = finding.evidence.flatMap((item) => (item.sourceLine === undefined ? [] : [item.sourceLine]))
      out.info(`${finding.severity.padEnd(8)} ${finding.title}\n         ${finding.action}${lines.length > 0 ? `\n         see line${lines.length === 1 ? '' : 's'} ${[...new Set(lines)].join(', ')}` : ''}`)
    }
    return 0
  },
}

/** Seconds since boot with milliseconds, right-aligned; a dash when the line has no time. */
function clock(t: number | null): string {
  return (t === null ? '-' : (t / 1000).toFixed(3)).padStart(10)
}

/** The files to read, in order: the file itself, or a spooled session's parts. */
async function logParts(path: string): Promise<string[]> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') throw new PairKitError('NOT_FOUND', `${path} does not exist`, { hint: 'Give the path of a saved log file or of a spooled session folder.' })
    throw new PairKitError('NOT_FOUND', `cannot read ${path}: ${error.message}`)
  })
  if (info.isFile()) return [path]
  if (!info.isDirectory()) throw new PairKitError('BAD_INPUT', `${path} is not a regular file or a folder (a device, a pipe or a socket)`, { hint: 'Save the log to a file first, or give a spooled session folder.' })
  const names = (await readdir(path, { withFileTypes: true }))
    .filter((entry) => entry.isFile() && !entry.name.startsWith('.') && !entry.name.endsWith('.json'))
    .map((entry) => entry.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  if (names.length === 0) throw new PairKitError('BAD_INPUT', `${path} holds no log files`, { hint: 'Give a folder the monitor spooled a session into, or a saved log file.' })
  return names.map((name) => join(path, name))
}

interface SpooledSession {
  raw: string
  /** Where the stream was cut, by raw.bin offset, in order. */
  markers: { offset: number; text: string }[]
}

/** The folder as a monitor session (raw.bin and a readable session.json), or undefined. */
async function spooledSession(path: string): Promise<SpooledSession | undefined> {
  const [{ RAW_FILE, SESSION_FILE, SessionRecordSchema }, { readFile }] = await Promise.all([import('../../main/monitor/spool-format'), import('node:fs/promises')])
  const text = await readFile(join(path, SESSION_FILE), 'utf8').catch(() => undefined)
  if (text === undefined || !(await stat(join(path, RAW_FILE)).catch(() => undefined))?.isFile()) return undefined
  let record
  try {
    record = SessionRecordSchema.safeParse(JSON.parse(text))
  } catch {
    return undefined
  }
  if (!record.success) return undefined
  return { raw: join(path, RAW_FILE), markers: [...record.data.markers].sort((a, b) => a.offset - b.offset) }
}

/** raw.bin's bytes, with each marker between the bytes before and after its offset. */
async function* readCut(session: SpooledSession, signal: AbortSignal): AsyncGenerator<Uint8Array | { text: string }> {
  let at = 0
  let next = 0
  const markersUpTo = function* (offset: number) {
    while (next < session.markers.length && (session.markers[next] as { offset: number }).offset <= offset) yield session.markers[next++] as { text: string }
  }
  yield* markersUpTo(0)
  for await (const chunk of readParts([session.raw], signal)) {
    let from = 0
    while (next < session.markers.length && (session.markers[next] as { offset: number }).offset < at + chunk.length) {
      const cut = (session.markers[next] as { offset: number }).offset - at
      if (cut > from) yield chunk.subarray(from, cut)
      from = Math.max(from, cut)
      yield* markersUpTo(at + from)
    }
    if (from < chunk.length) yield chunk.subarray(from)
    at += chunk.length
    yield* markersUpTo(at)
  }
}

/** The parts' bytes, one chunk at a time, stopping early on Ctrl-C. */
async function* readParts(parts: readonly string[], signal: AbortSignal): AsyncGenerator<Uint8Array> {
  for (const part of parts) {
    const stream = createReadStream(part, { highWaterMark: READ_CHUNK })
    try {
      for await (const chunk of stream) {
        if (signal.aborted) return
        yield chunk as Buffer
      }
    } catch (error) {
      throw new PairKitError('NOT_FOUND', `cannot read ${part}: ${error instanceof Error ? error.message : String(error)}`)
    } finally {
      stream.destroy()
    }
  }
}
