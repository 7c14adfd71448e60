import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { bytesToBase64 } from '../../../common/base64'
import type { BundleSummary } from '../../../common/contract'
import { deviceIdOf } from '../../../common/devices/device-id'
import { useBackend } from '../api/client'
import type { DroppedFile } from '../data/dropped-files'
import { composeErrorView, errorView, type ErrorView } from '../data/error-view'
import type { FlashRun } from '../data/flash-run'
import { useJobsStore } from './jobs'

/** What the firmware was loaded with beyond its files: the technician's chip and raw-data choices. */
export interface LoadChoices {
  chip?: string
  raw: number[]
}

/**
 * The Flash view: the dropped firmware and its check, the chosen ports, and the runs (one per
 * press of Flash) with their jobs. Errors are kept where they arise: loading the firmware,
 * starting a run, retrying one job.
 */
/** The device id of a picked port, or the text itself when it is not a link (the backend then refuses it). */
function safeDeviceId(port: string): string {
  try {
    return deviceIdOf(port)
  } catch {
    return port
  }
}

export const useFlashStore = defineStore('flash', () => {
  const jobs = useJobsStore()
  const bundle = ref<BundleSummary>()
  const loading = ref(false)
  const loadError = ref<ErrorView>()
  const choices = ref<LoadChoices>({ raw: [] })
  const selected = ref<string[]>([])
  const baud = ref(921600)
  const starting = ref(false)
  const startError = ref<ErrorView>()
  const runs = ref<FlashRun[]>([])
  /** Why a retry could not start, by the job key that was retried. */
  const retryErrors = ref<Record<string, ErrorView>>({})
  let files: DroppedFile[] = []
  let nextRunId = 1

  const running = computed(() => runs.value.some((run) => run.ports.some((port) => {
    const type = jobs.get(run.jobByPort[port])?.type
    return type !== undefined && type !== 'done' && type !== 'failed' && type !== 'cancelled'
  })))

  async function loadFiles(dropped: DroppedFile[]): Promise<void> {
    files = dropped
    choices.value = { raw: [] }
    await load()
  }

  /** Loads the same files again with the technician's choice of chip or raw parts. */
  async function reload(next: Partial<LoadChoices>): Promise<void> {
    choices.value = { ...choices.value, ...next }
    await load()
  }

  async function load(): Promise<void> {
    if (files.length === 0) return
    loading.value = true
    loadError.value = undefined
    try {
      bundle.value = await useBackend().request('bundle.load', {
        files: files.map((file) => ({ path: file.path, base64: bytesToBase64(file.bytes) })),
        ...(choices.value.chip ? { chip: choices.value.chip } : {}),
        ...(choices.value.raw.length ? { raw: choices.value.raw } : {}),
      })
    } catch (caught) {
      bundle.value = undefined
      loadError.value = errorView(caught)
    } finally {
      loading.value = false
    }
  }

  /** A drop that could not even be read (too large, unreadable folder). */
  function failLoad(caught: unknown): void {
    loadError.value = errorView(caught)
  }

  async function start(): Promise<void> {
    const loaded = bundle.value
    if (!loaded || selected.value.length === 0) return
    starting.value = true
    startError.value = undefined
    const ports = [...selected.value]
    try {
      const started = await startJobs(loaded.bundleId, ports, baud.value)
      const run: FlashRun = { id: nextRunId++, startedAt: Date.now(), bundleId: loaded.bundleId, source: loaded.source, baud: baud.value, ports, jobByPort: {}, refused: {} }
      for (const [port, outcome] of started) {
        if ('key' in outcome) run.jobByPort[port] = outcome.key
        else run.refused[port] = outcome.error
      }
      runs.value = [run, ...runs.value]
      if (Object.keys(run.refused).length > 0) startError.value = { message: `${Object.keys(run.refused).length} of ${ports.length} could not start; see below.` }
    } catch (caught) {
      startError.value = errorView(caught)
    } finally {
      starting.value = false
    }
  }

  /** Runs the same firmware on the same port again, as part of the same run. */
  async function retry(run: FlashRun, port: string): Promise<void> {
    const previous = run.jobByPort[port] ?? `refused/${run.id}/${port}`
    const { [previous]: _dropped, ...others } = retryErrors.value
    retryErrors.value = others
    try {
      const outcome = (await startJobs(run.bundleId, [port], run.baud)).get(port) ?? { error: { message: 'The job did not start.' } }
      if ('error' in outcome) {
        retryErrors.value = { ...retryErrors.value, [previous]: outcome.error }
        return
      }
      const { [port]: _refused, ...stillRefused } = run.refused
      replaceRun({ ...run, jobByPort: { ...run.jobByPort, [port]: outcome.key }, refused: stillRefused })
    } catch (caught) {
      retryErrors.value = { ...retryErrors.value, [previous]: errorView(caught) }
    }
  }

  /** One job per port: its key in the jobs store, or why the backend did not start it. */
  async function startJobs(bundleId: string, ports: string[], rate: number): Promise<Map<string, { key: string } | { error: ErrorView }>> {
    const result = await useBackend().request('flash.start', { bundleId, devices: ports, baud: rate })
    // The backend answers per device (two spellings of one link are one device): map back to what was picked.
    const byDevice = new Map(result.jobs.map((job) => [job.deviceId, job]))
    const outcomes = new Map<string, { key: string } | { error: ErrorView }>()
    for (const port of ports) {
      const job = byDevice.get(safeDeviceId(port))
      if (job?.jobId) outcomes.set(port, { key: jobs.keyOf(job.jobId) })
      else outcomes.set(port, { error: job?.error ? composeErrorView(job.error.message, job.error.hint) : composeErrorView('the job did not start') })
    }
    return outcomes
  }

  function replaceRun(next: FlashRun): void {
    runs.value = runs.value.map((run) => (run.id === next.id ? next : run))
  }

  async function cancel(key: string): Promise<void> {
    const job = jobs.get(key)
    // Only a job of the backend that runs now: after a restart the same id names another job.
    if (job && jobs.keyOf(job.jobId) === key) await useBackend().request('flash.cancel', { jobId: job.jobId })
  }

  return { bundle, loading, loadError, choices, selected, baud, starting, startError, runs, retryErrors, running, loadFiles, reload, failLoad, start, retry, cancel }
})
