import { defineStore } from 'pinia'
import { ref } from 'vue'
import { ProbeResultSchema, type FlashJob, type ProbeResult } from '../../../common/contract'
import { useBackend } from '../api/client'
import { errorView, type ErrorView } from '../data/error-view'

export interface ProbeState {
  jobId?: string
  stage: string
  result?: ProbeResult
  error?: ErrorView
}

/** Probing a device from the Devices view: what it is, what it runs, how it is configured. */
export const useProbeStore = defineStore('probe', () => {
  const byPort = ref<Record<string, ProbeState>>({})
  let listening = false

  function listen(): void {
    if (listening) return
    listening = true
    useBackend().on('flash.job', (job: FlashJob) => {
      if (job.operation !== 'probe') return
      const current = byPort.value[job.port]
      if (!current || current.jobId !== job.jobId) return
      byPort.value = { ...byPort.value, [job.port]: next(current, job) }
    })
  }

  async function probe(port: string): Promise<void> {
    listen()
    byPort.value = { ...byPort.value, [port]: { stage: 'starting…' } }
    try {
      const { jobId } = await useBackend().request('flash.probe', { port })
      // Events may already have arrived for this job; keep whatever is newer.
      const current = byPort.value[port]
      byPort.value = { ...byPort.value, [port]: { ...current, stage: current?.stage ?? 'starting…', jobId } }
    } catch (caught) {
      byPort.value = { ...byPort.value, [port]: { stage: 'failed', error: errorView(caught) } }
    }
  }

  return { byPort, probe }
})

function next(current: ProbeState, job: FlashJob): ProbeState {
  switch (job.type) {
    case 'connecting':
      return { ...current, stage: job.stage }
    case 'done': {
      const parsed = ProbeResultSchema.safeParse(job.result)
      return parsed.success
        ? { ...current, stage: 'done', result: parsed.data }
        : { ...current, stage: 'failed', error: { message: 'the probe result could not be read' } }
    }
    case 'failed':
      return { ...current, stage: 'failed', error: { message: job.error.message, hint: `${job.error.hint ?? ''} ${job.deviceState}`.trim() } }
    case 'cancelled':
      return { ...current, stage: 'cancelled' }
    default:
      return current
  }
}
