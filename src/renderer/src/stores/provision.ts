import { defineStore } from 'pinia'
import { ref } from 'vue'
import { ProvisionResultSchema, type FlashJob, type ProvisionResult } from '../../../common/contract'
import { useBackend } from '../api/client'
import { asSentence, errorView, serializedErrorView, type ErrorView } from '../data/error-view'
import { isActiveJob, jobStatus } from '../data/job-status'
import { useConfigureStore } from './configure'
import { safeDeviceId } from './devices'
import { useJobsStore } from './jobs'

/** One write of pair settings asked from this page: the latest per device. */
export interface ProvisionRun {
  deviceId: string
  pairId: string
  role: 1 | 2
  /** The job's key in the jobs store, once the backend started it. */
  key?: string
  /** Why the backend did not start it (passwords gone, device busy …). */
  startError?: ErrorView
}

export interface ProvisionRunView {
  state: 'starting' | 'running' | 'done' | 'failed' | 'cancelled'
  status: string
  result?: ProvisionResult
  error?: ErrorView
  deviceState?: string
}

/**
 * Writing a pair's settings to a device (devices.provision), from a device card or a pair in
 * Configure: the run of each device, whose progress and result come through the jobs store.
 */
export const useProvisionStore = defineStore('provision', () => {
  const jobs = useJobsStore()
  const runs = ref<Record<string, ProvisionRun>>({})

  async function start(link: string, pairId: string, role: 1 | 2): Promise<void> {
    const deviceId = safeDeviceId(link)
    runs.value = { ...runs.value, [deviceId]: { deviceId, pairId, role } }
    try {
      const { jobId } = await useBackend().request('devices.provision', { deviceId, pairId, role })
      runs.value = { ...runs.value, [deviceId]: { deviceId, pairId, role, key: jobs.keyOf(jobId) } }
    } catch (caught) {
      runs.value = { ...runs.value, [deviceId]: { deviceId, pairId, role, startError: errorView(caught) } }
      // The pair may have lost its passwords (a restart): the list says so, and Configure asks for them.
      void useConfigureStore().refresh()
    }
  }

  function runOf(deviceId: string): ProvisionRun | undefined {
    return runs.value[deviceId]
  }

  function dismiss(deviceId: string): void {
    const { [deviceId]: _dropped, ...others } = runs.value
    runs.value = others
  }

  function view(run: ProvisionRun): ProvisionRunView {
    if (run.startError) return { state: 'failed', status: 'Did not start', error: run.startError }
    const job = jobs.get(run.key)
    if (!run.key || !job) return { state: 'starting', status: 'Starting…' }
    const status = jobStatus(job, jobs.lastProgress.get(run.key))
    if (isActiveJob(job)) return { state: 'running', status }
    return finalView(job, status)
  }

  return { runs, start, runOf, dismiss, view }
})

function finalView(job: FlashJob, status: string): ProvisionRunView {
  if (job.type === 'failed') return { state: 'failed', status, error: serializedErrorView(job.error), deviceState: asSentence(job.deviceState) }
  if (job.type === 'cancelled') return { state: 'cancelled', status, deviceState: asSentence(job.deviceState) }
  if (job.type !== 'done') return { state: 'running', status }
  const parsed = ProvisionResultSchema.safeParse(job.result)
  if (!parsed.success) return { state: 'failed', status, error: { message: 'The result of the write could not be read.', hint: 'Probe the device to see what it holds.' } }
  return { state: 'done', status, result: parsed.data, deviceState: asSentence(job.deviceState) }
}
