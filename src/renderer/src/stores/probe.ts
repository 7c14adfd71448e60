import { defineStore } from 'pinia'
import { ref } from 'vue'
import { ProbeResultSchema, type FlashJob, type ProbeResult } from '../../../common/contract'
import { useBackend } from '../api/client'
import { asSentence, errorView, serializedErrorView, type ErrorView } from '../data/error-view'
import { useJobsStore } from './jobs'

export interface ProbeState {
  stage: string
  result?: ProbeResult
  error?: ErrorView
  /** What the device was left in, after a failure. */
  deviceState?: string
  running: boolean
}

/** Probing a device from the Devices view: what it is, what it runs, how it is configured. */
export const useProbeStore = defineStore('probe', () => {
  const jobs = useJobsStore()
  /** The job key of each port's latest probe, or the error that kept it from starting. */
  const byPort = ref<Record<string, { key?: string; startError?: ErrorView }>>({})

  async function probe(port: string): Promise<void> {
    byPort.value = { ...byPort.value, [port]: {} }
    try {
      const { jobId } = await useBackend().request('flash.probe', { port })
      byPort.value = { ...byPort.value, [port]: { key: jobs.keyOf(jobId) } }
    } catch (caught) {
      byPort.value = { ...byPort.value, [port]: { startError: errorView(caught) } }
    }
  }

  function stateOf(port: string): ProbeState {
    const entry = byPort.value[port]
    if (entry?.startError) return { stage: 'failed', error: entry.startError, running: false }
    return stateOfJob(jobs.get(entry?.key))
  }

  return { byPort, probe, stateOf }
})

function stateOfJob(job: FlashJob | undefined): ProbeState {
  switch (job?.type) {
    case undefined:
    case 'queued':
      return { stage: 'Starting…', running: true }
    case 'connecting':
      return { stage: `${asSentence(job.stage).replace(/\.$/, '')}…`, running: true }
    case 'done': {
      const parsed = ProbeResultSchema.safeParse(job.result)
      return parsed.success
        ? { stage: 'done', result: parsed.data, running: false }
        : { stage: 'failed', error: { message: 'The probe result could not be read.', hint: 'Probe the device again.' }, running: false }
    }
    case 'failed':
      return { stage: 'failed', error: serializedErrorView(job.error), deviceState: asSentence(job.deviceState), running: false }
    case 'cancelled':
      return { stage: 'Cancelled.', deviceState: asSentence(job.deviceState), running: false }
    default:
      return { stage: 'Reading…', running: true }
  }
}
