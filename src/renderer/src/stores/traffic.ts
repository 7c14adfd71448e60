import { defineStore } from 'pinia'
import { markRaw, ref, shallowRef } from 'vue'
import { MAX_READ_ROWS, type RequestParams, type TrafficBatch, type TrafficSession } from '../../../common/contract'
import type { Site, TopicTree, TrafficCounters, TrafficRates, TrafficSourceStatus } from '../../../common/traffic/model'
import { onReconnected, useBackend } from '../api/client'
import { saveDownload } from '../data/download'
import { errorView, type ErrorView } from '../data/error-view'
import { RATE_HISTORY_SECONDS, RateHistory } from '../data/traffic-rates'
import { TrafficRowCache } from '../data/traffic-rows'

/** Rows read back per request when the list scrolls to rows the page does not hold. */
const READ_CHUNK = 200
/** Reads in flight at once. */
const MAX_READS = 2
/**
 * The page redraws the list and the counters at most this often: five times a second reads as
 * live, and at thousands of messages a second nobody reads more; each redraw costs a layout.
 */
const REDRAW_INTERVAL_MS = 200

/**
 * The Traffic view's session: the one door for traffic.batch and traffic.source. A batch comes
 * up to ten times a second with up to 200 rows; it goes into plain objects (the row window, the
 * rate history) and the page redraws once per animation frame from version numbers, so nothing
 * deep-watches thousands of rows.
 */
export const useTrafficStore = defineStore('traffic', () => {
  const session = shallowRef<TrafficSession>()
  const sources = shallowRef<TrafficSourceStatus[]>([])
  const counters = shallowRef<TrafficCounters>()
  const lastRates = shallowRef<TrafficRates>()
  const paused = ref(false)
  const starting = ref(false)
  const error = ref<ErrorView>()
  /** The session ended while the connection was down (the background service restarted). */
  const lostSession = ref(false)
  const rows = markRaw(new TrafficRowCache())
  const rates = markRaw(new RateHistory())
  /** Bumped at most once per animation frame when rows changed. */
  const rowsVersion = ref(0)
  const ratesVersion = ref(0)
  const exporting = ref(false)
  let focus: number | undefined
  let visible = { from: 0, to: 0 }
  let pendingBatch: TrafficBatch | undefined
  /** The pending redraw: a timer until the interval has passed, then an animation frame. */
  let frame: number | undefined
  let lastRedraw = 0
  const reading = new Set<number>()
  let started = false

  function start(): void {
    if (started) return
    started = true
    const backend = useBackend()
    backend.on('traffic.batch', (batch) => {
      if (batch.sessionId !== session.value?.sessionId) return
      rows.applyBatch(batch, focus)
      if (rates.add(batch.rates)) ratesVersion.value++
      if (batch.omittedUpdates > 0) readVisibleAgain()
      pendingBatch = batch
      scheduleFrame()
    })
    backend.on('traffic.source', ({ sessionId, source }) => {
      if (sessionId !== session.value?.sessionId) return
      sources.value = sources.value.some((known) => known.id === source.id) ? sources.value.map((known) => (known.id === source.id ? source : known)) : [...sources.value, source]
    })
    onReconnected(() => void pickUp())
    void pickUp()
  }

  /** Everything the batches changed, drawn in one animation frame at most every REDRAW_INTERVAL_MS. */
  function scheduleFrame(): void {
    if (frame !== undefined) return
    const wait = Math.max(0, lastRedraw + REDRAW_INTERVAL_MS - performance.now())
    frame = wait > 0 ? window.setTimeout(() => (frame = requestAnimationFrame(redraw)), wait) : requestAnimationFrame(redraw)
  }

  function redraw(): void {
    frame = undefined
    lastRedraw = performance.now()
    const batch = pendingBatch
    pendingBatch = undefined
    if (batch) {
      counters.value = batch.counters
      lastRates.value = batch.rates
      paused.value = batch.paused
    }
    rowsVersion.value = rows.version
  }

  /** After a reload or a reconnect: the session the backend still runs, or the news that it ended. */
  async function pickUp(): Promise<void> {
    let running: TrafficSession[]
    try {
      running = await useBackend().request('traffic.sessions', {})
    } catch {
      return
    }
    const current = session.value
    const same = current && running.find((candidate) => candidate.sessionId === current.sessionId)
    if (current && !same) {
      lostSession.value = true
      session.value = undefined
      return
    }
    const chosen = same ?? running[running.length - 1]
    if (chosen) await attach(chosen)
  }

  async function attach(next: TrafficSession): Promise<void> {
    session.value = next
    sources.value = next.sources
    counters.value = next.counters
    paused.value = next.paused
    rows.clear(next.counters.buffer.firstId)
    rows.applyBatch({ rows: [], updates: [], omittedRows: 0, counters: next.counters })
    rates.clear()
    ratesVersion.value++
    rowsVersion.value = rows.version
    try {
      const history = await useBackend().request('traffic.rates', { sessionId: next.sessionId, seconds: RATE_HISTORY_SECONDS })
      if (session.value?.sessionId !== next.sessionId) return
      rates.seed(history.start, history.values, next.startedAt)
      ratesVersion.value++
    } catch {
      // The chart fills from the batches instead.
    }
  }

  async function startSession(params: RequestParams<'traffic.start'>): Promise<void> {
    starting.value = true
    error.value = undefined
    lostSession.value = false
    try {
      const previous = session.value
      if (previous && previous.sessionId !== params.pairId) await useBackend().request('traffic.stop', { sessionId: previous.sessionId }).catch(() => undefined)
      await attach(await useBackend().request('traffic.start', params))
    } catch (caught) {
      error.value = errorView(caught)
    } finally {
      starting.value = false
    }
  }

  async function stopSession(): Promise<void> {
    const current = session.value
    if (!current) return
    error.value = undefined
    try {
      await useBackend().request('traffic.stop', { sessionId: current.sessionId })
    } catch (caught) {
      error.value = errorView(caught)
      return
    }
    session.value = undefined
    sources.value = sources.value.map((source) => ({ ...source, state: 'stopped' }))
  }

  /** Runs a request on the session, keeping its error for the page. */
  async function act(work: (sessionId: string) => Promise<unknown>): Promise<boolean> {
    const current = session.value
    if (!current) return false
    error.value = undefined
    try {
      await work(current.sessionId)
      return true
    } catch (caught) {
      error.value = errorView(caught)
      return false
    }
  }

  async function setPaused(next: boolean): Promise<void> {
    if (await act((sessionId) => useBackend().request('traffic.pause', { sessionId, paused: next }))) paused.value = next
  }

  async function clear(): Promise<void> {
    if (!(await act((sessionId) => useBackend().request('traffic.clear', { sessionId })))) return
    rows.clear()
    rates.clear()
    ratesVersion.value++
    rowsVersion.value = rows.version
  }

  /** Publishes a test message; throws its error for the publish panel. */
  async function publish(params: Omit<RequestParams<'traffic.publish'>, 'sessionId'>): Promise<void> {
    const current = session.value
    if (!current) throw new Error('Start watching first.')
    await useBackend().request('traffic.publish', { ...params, sessionId: current.sessionId })
  }

  /** The whole buffer as JSON lines, saved as a file. */
  async function exportLines(): Promise<void> {
    await act(async (sessionId) => {
      exporting.value = true
      try {
        const parts: string[] = []
        let from: number | undefined
        for (;;) {
          const chunk = await useBackend().request('traffic.export', { sessionId, ...(from !== undefined ? { from } : {}) })
          parts.push(chunk.text)
          if (chunk.done) break
          from = chunk.next
        }
        const stamp = new Date().toISOString().replace(/[:T]/g, '-').slice(0, 19)
        saveDownload(`pairkit-traffic-${stamp}.jsonl`, parts, 'application/x-ndjson')
      } finally {
        exporting.value = false
      }
    })
  }

  /** The list shows ids [from, to) and centres on `center`: rows missing there are read, the page keeps rows near it. */
  function show(from: number, to: number, center: number | undefined): void {
    focus = center
    visible = { from, to }
    for (const range of rows.missing(from, to)) readRange(range.from, range.to)
  }

  function readVisibleAgain(): void {
    if (visible.to > visible.from) readRange(visible.from, visible.to, true)
  }

  function readRange(from: number, to: number, again = false): void {
    const current = session.value
    if (!current) return
    // Aligned chunks, so neighbouring requests do not overlap.
    for (let start = Math.floor(from / READ_CHUNK) * READ_CHUNK; start < to; start += READ_CHUNK) {
      if ((reading.has(start) && !again) || reading.size >= MAX_READS) continue
      reading.add(start)
      useBackend()
        .request('traffic.read', { sessionId: current.sessionId, from: start, limit: Math.min(READ_CHUNK, MAX_READ_ROWS) })
        .then((answer) => {
          if (session.value?.sessionId !== current.sessionId) return
          rows.applyRead(answer.rows, answer, focus ?? answer.nextId - 1)
          scheduleFrame()
        })
        .catch(() => undefined)
        .finally(() => reading.delete(start))
    }
  }

  async function message(id: number) {
    const current = session.value
    if (!current) throw new Error('Start watching first.')
    return useBackend().request('traffic.message', { sessionId: current.sessionId, id })
  }

  async function topics(site: Site): Promise<TopicTree | undefined> {
    const current = session.value
    if (!current) return undefined
    return useBackend().request('traffic.topics', { sessionId: current.sessionId, site })
  }

  return {
    session,
    sources,
    counters,
    lastRates,
    paused,
    starting,
    error,
    lostSession,
    rows,
    rates,
    rowsVersion,
    ratesVersion,
    exporting,
    start,
    startSession,
    stopSession,
    setPaused,
    clear,
    publish,
    exportLines,
    show,
    message,
    topics,
  }
})
