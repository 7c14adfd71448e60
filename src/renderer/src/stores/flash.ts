import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { bytesToBase64 } from '../../../common/base64'
import type { BundleSummary } from '../../../common/contract'
import { onReconnected, useBackend } from '../api/client'
import type { DroppedFile } from '../data/dropped-files'
import { composeErrorView, errorView, type ErrorView } from '../data/error-view'
import type { FlashRun } from '../data/flash-run'
import { safeDeviceId, useDevicesStore } from './devices'
import { useJobsStore } from './jobs'
import { useUiStateStore } from './ui-state'

/** What the firmware was loaded with beyond its files: the technician's chip, raw-data and offset choices. */
export interface LoadChoices {
  chip?: string
  raw: number[]
  /** Files written at an offset the technician chose (an NVS image dropped alone). */
  placements: { path: string; offset: number }[]
}

/** 0: the fastest rate each device's port is known to take (the backend picks it). */
const BAUD_RATES = [0, 921600, 460800, 115200] as const

/**
 * The Flash view: the firmware (dropped now, or the one chosen before a reload or restart) and
 * its check, the chosen devices (known devices, by id) and baud rate, and the runs (one per
 * press of Flash) with their jobs. Errors are kept where they arise: loading the firmware,
 * starting a run, retrying one job.
 */
export const useFlashStore = defineStore('flash', () => {
  const jobs = useJobsStore()
  const bundle = ref<BundleSummary>()
  const loading = ref(false)
  const loadError = ref<ErrorView>()
  const devices = useDevicesStore()
  const choices = ref<LoadChoices>({ raw: [], placements: [] })
  /** The chosen devices' ids; those the page no longer knows are left out when flashing. */
  const selected = ref<string[]>([])
  const targets = computed(() => selected.value.filter((id) => devices.get(id)))
  const baud = ref(0)
  /** "Write everything": no comparison with the devices first. */
  const full = ref(false)
  const starting = ref(false)
  const startError = ref<ErrorView>()
  const runs = ref<FlashRun[]>([])
  /** Why a retry could not start, by the job key that was retried. */
  const retryErrors = ref<Record<string, ErrorView>>({})
  const files = shallowRef<DroppedFile[]>([])
  /** One file dropped alone that is not a zip: it may be raw data to place at an offset. */
  const loneFile = computed(() => (files.value.length === 1 && !/\.zip$/i.test(files.value[0]?.path ?? '') ? files.value[0] : undefined))
  let nextRunId = 1
  let restored = false

  onReconnected(() => void refreshBundle())

  /** Brings back the firmware chosen last (kept by the backend) and the view's inputs. */
  async function restore(): Promise<void> {
    if (restored) return
    restored = true
    await refreshBundle()
    const ui = useUiStateStore()
    await ui.keep('flash.targets', selected, (ids) => [...ids], (kept) => {
      if (Array.isArray(kept)) selected.value = kept.filter((id): id is string => typeof id === 'string')
    })
    await ui.keep('flash.baud', baud, (rate) => rate, (kept) => {
      if (BAUD_RATES.includes(kept as (typeof BAUD_RATES)[number])) baud.value = kept as number
    })
  }

  async function refreshBundle(): Promise<void> {
    if (loading.value) return
    try {
      const current = await useBackend().request('bundle.current', {})
      if (current && !loading.value) bundle.value = current
    } catch {
      // Nothing to show yet; a drop loads one.
    }
  }

  const running = computed(() => runs.value.some((run) => run.ports.some((port) => {
    const type = jobs.get(run.jobByPort[port])?.type
    return type !== undefined && type !== 'done' && type !== 'failed' && type !== 'cancelled'
  })))

  async function loadFiles(dropped: DroppedFile[]): Promise<void> {
    files.value = dropped
    choices.value = { raw: [], placements: [] }
    await load()
  }

  /** Loads the same files again with the technician's choice of chip or raw parts. */
  async function reload(next: Partial<LoadChoices>): Promise<void> {
    choices.value = { ...choices.value, ...next }
    await load()
  }

  async function load(): Promise<void> {
    if (files.value.length === 0) return
    loading.value = true
    loadError.value = undefined
    try {
      bundle.value = await useBackend().request('bundle.load', {
        files: files.value.map((file) => ({ path: file.path, base64: bytesToBase64(file.bytes) })),
        ...(choices.value.chip ? { chip: choices.value.chip } : {}),
        ...(choices.value.raw.length ? { raw: choices.value.raw } : {}),
        ...(choices.value.placements.length ? { placements: choices.value.placements } : {}),
      })
    } catch (caught) {
      bundle.value = undefined
      loadError.value = errorView(caught)
    } finally {
      loading.value = false
    }
  }

  /** Loads the running virtual lab's demo firmware as the firmware chosen (as if its build folder were dropped here). */
  async function loadLabFirmware(): Promise<void> {
    loading.value = true
    loadError.value = undefined
    try {
      files.value = []
      bundle.value = await useBackend().request('lab.loadBundle', {})
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
    if (!loaded || targets.value.length === 0) return
    starting.value = true
    startError.value = undefined
    const ports = [...targets.value]
    try {
      const started = await startJobs(loaded.bundleId, ports, baud.value, full.value)
      const run: FlashRun = { id: nextRunId++, startedAt: Date.now(), bundleId: loaded.bundleId, source: loaded.source, baud: baud.value, ...(full.value ? { full: true } : {}), ports, jobByPort: {}, refused: {} }
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
      const outcome = (await startJobs(run.bundleId, [port], run.baud, run.full === true)).get(port) ?? { error: { message: 'The job did not start.' } }
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
  async function startJobs(bundleId: string, ports: string[], rate: number, writeAll: boolean): Promise<Map<string, { key: string } | { error: ErrorView }>> {
    const result = await useBackend().request('flash.start', { bundleId, devices: ports, ...(rate ? { baud: rate } : {}), ...(writeAll ? { full: true } : {}) })
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

  return {
    bundle, loading, loadError, choices, files, loneFile, selected, targets, baud, full, starting, startError, runs, retryErrors, running,
    restore, loadFiles, loadLabFirmware, reload, failLoad, start, retry, cancel,
  }
})
