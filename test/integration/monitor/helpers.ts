// Shared pieces of the monitor's integration tests: a backend with a client over the in-memory
// transport (as a window over IPC), twins that record what crossed their UART, the spool read back.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, afterEach } from 'vitest'
import { bytesToBase64 } from '../../../src/common/base64'
import { MONITOR_LIMITS, type FlashJob, type MonitorLine, type MonitorLinesEvent, type MonitorNotice, type MonitorSession, type RequestParams, type RequestResult } from '../../../src/common/contract'
import { LineSplitter } from '../../../src/common/logs'
import { RpcClient } from '../../../src/common/rpc/client'
import { createProtocolPair } from '../../../src/common/rpc/memory-protocol'
import { RpcServer } from '../../../src/common/rpc/server'
import { Backend, type BackendOptions } from '../../../src/main/backend'
import { RAW_FILE, SESSION_FILE, SessionRecordSchema, type SessionRecord } from '../../../src/main/monitor/spool-format'
import { startTwin, type TranscriptEntry, type Twin, type TwinOptions } from '../../../src/twin/index'
import { esp32Build, flasherArgsJson } from '../../unit/bundle/build-fixtures'
import { APP, BOOTLOADER, TABLE } from '../twin/support/flash-images'

const twins: Twin[] = []
const open: Array<{ dispose(): void }> = []
afterEach(() => {
  for (const item of open.splice(0).reverse()) item.dispose()
})
afterAll(async () => {
  for (const twin of twins.splice(0)) await twin.close()
})

export interface Connected {
  backend: Backend
  client: RpcClient
  jobs: Map<string, FlashJob>
  /** Every monitor.lines event, per session, in order. */
  batches: Map<string, MonitorLinesEvent[]>
  /** Every status in order. */
  statuses: MonitorSession[]
  notices: MonitorNotice[]
  request<K extends Parameters<RpcClient['request']>[0]>(method: K, params: RequestParams<K>): Promise<RequestResult<K>>
  /** Every line received for the session, in order. */
  lines(sessionId: string): MonitorLine[]
  status(sessionId: string): MonitorSession | undefined
}

/** A backend and a client talking the contract, as a window does. */
export function connect(options: Partial<BackendOptions> & { dataDir?: string }): Connected {
  const backend = new Backend({ host: 'browser', extraPortPatterns: [], ...options })
  const [clientSide, serverSide] = createProtocolPair()
  const server = new RpcServer(serverSide, backend.handlers, backend.onEvent, 10)
  const client = new RpcClient(clientSide)
  open.push(backend, server, client)
  const jobs = new Map<string, FlashJob>()
  const batches = new Map<string, MonitorLinesEvent[]>()
  const statuses: MonitorSession[] = []
  const notices: MonitorNotice[] = []
  client.on('flash.job', (job) => job.type !== 'warning' && jobs.set(job.jobId, job))
  client.on('monitor.lines', (batch) => batches.set(batch.sessionId, [...(batches.get(batch.sessionId) ?? []), batch]))
  client.on('monitor.status', ({ session, notice }) => {
    statuses.push(session)
    if (notice) notices.push(notice)
  })
  return {
    backend,
    client,
    jobs,
    batches,
    statuses,
    notices,
    request: (method, params) => client.request(method, params),
    lines: (sessionId) => (batches.get(sessionId) ?? []).flatMap((batch) => batch.lines),
    status: (sessionId) => statuses.filter((status) => status.sessionId === sessionId).at(-1),
  }
}

export async function until<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined && value !== false) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

export async function finished(session: Connected, jobId: string): Promise<FlashJob> {
  return until(`job ${jobId}`, () => {
    const job = session.jobs.get(jobId)
    return job && ['done', 'failed', 'cancelled'].includes(job.type) ? job : undefined
  }, 60_000)
}

/** A twin that records, per client connection, what it delivered and what it was sent. */
export async function recordingTwin(options: Partial<TwinOptions> = {}): Promise<{ twin: Twin; transcript: TranscriptEntry[] }> {
  const transcript: TranscriptEntry[] = []
  const twin = await startTwin({ chip: 'esp32', listen: 'rfc2217://127.0.0.1:0', wireTiming: true, onTranscript: (entry) => transcript.push(entry), ...options })
  twins.push(twin)
  return { twin, transcript }
}

/**
 * The console output of the connections on which the client sent the chip nothing: a monitor
 * only listens (a reset goes as RFC 2217 SET-CONTROL, not data); the flasher always talks.
 */
export function listenedTo(transcript: TranscriptEntry[]): { connections: number[]; bytes: Buffer } {
  const talked = new Set(transcript.filter((entry) => entry.direction === 'from-host').map((entry) => entry.connection))
  const heard = transcript.filter((entry) => entry.direction === 'to-host' && !talked.has(entry.connection))
  return { connections: [...new Set(heard.map((entry) => entry.connection))], bytes: Buffer.concat(heard.map((entry) => entry.bytes)) }
}

export function bytesOf(transcript: TranscriptEntry[], connection: number): Buffer {
  return Buffer.concat(transcript.filter((entry) => entry.direction === 'to-host' && entry.connection === connection).map((entry) => entry.bytes))
}

export function droppedBuild(): { path: string; base64: string }[] {
  const layout = esp32Build()
  const files: Record<string, Uint8Array> = { ...layout.files, 'flasher_args.json': new TextEncoder().encode(flasherArgsJson('dash', layout, { flashSize: '4MB' })) }
  return Object.entries(files).map(([name, bytes]) => ({ path: `build/${name}`, base64: bytesToBase64(bytes) }))
}

export function readSpool(dir: string): { raw: Buffer; record: SessionRecord } {
  return { raw: readFileSync(path.join(dir, RAW_FILE)), record: SessionRecordSchema.parse(JSON.parse(readFileSync(path.join(dir, SESSION_FILE), 'utf8'))) }
}

/** Device lines in `raw` by the monitor's rule (the log parser's splitter), the stream cut at each marker's offset. */
export function countLines(raw: Buffer, cuts: number[]): number {
  let count = 0
  let start = 0
  for (const end of [...cuts, raw.length]) {
    const splitter = new LineSplitter(MONITOR_LIMITS.lineChars)
    const sink = () => void count++
    splitter.push(raw.subarray(start, end), sink)
    splitter.flush(sink)
    start = end
  }
  return count
}

/** A recording twin whose flash holds Espressif's fixture bootloader, table and app, running the app. */
export async function bootedTwin(options: Partial<TwinOptions> = {}): Promise<{ twin: Twin; transcript: TranscriptEntry[] }> {
  const started = await recordingTwin(options)
  const flash = started.twin.device.flash
  flash.program(0x1000, BOOTLOADER)
  flash.program(0x8000, TABLE)
  flash.program(0x10000, APP)
  started.twin.device.powerCycle('app')
  return started
}
