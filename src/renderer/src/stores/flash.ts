import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { bytesToBase64 } from '../../../common/base64'
import type { BundleSummary, FlashJob } from '../../../common/contract'
import { useBackend } from '../api/client'
import type { DroppedFile } from '../data/dropped-files'
import { errorView, type ErrorView } from '../data/error-view'

/** The Flash view: the dropped bundle and its check, the chosen ports, and one job per port. */
export const useFlashStore = defineStore('flash', () => {
  const bundle = ref<BundleSummary>()
  const loading = ref(false)
  const error = ref<ErrorView>()
  const selected = ref<string[]>([])
  const baud = ref(921600)
  // Progress arrives several times a second per job: replace the map, don't deep-watch it.
  const jobs = shallowRef(new Map<string, FlashJob>())
  const warnings = shallowRef(new Map<string, string[]>())
  let listening = false

  const jobList = computed(() => [...jobs.value.values()].filter((job) => job.operation === 'flash'))
  const running = computed(() => jobList.value.some((job) => !['done', 'failed', 'cancelled'].includes(job.type)))

  function listen(): void {
    if (listening) return
    listening = true
    useBackend().on('flash.job', (job) => {
      if (job.type === 'warning') {
        const next = new Map(warnings.value)
        next.set(job.jobId, [...(next.get(job.jobId) ?? []), job.message])
        warnings.value = next
        return
      }
      const next = new Map(jobs.value)
      next.set(job.jobId, job)
      jobs.value = next
    })
  }

  async function loadFiles(files: DroppedFile[]): Promise<void> {
    loading.value = true
    error.value = undefined
    bundle.value = undefined
    try {
      bundle.value = await useBackend().request('bundle.load', {
        files: files.map((file) => ({ path: file.path, base64: bytesToBase64(file.bytes) })),
      })
    } catch (caught) {
      error.value = errorView(caught)
    } finally {
      loading.value = false
    }
  }

  async function start(): Promise<void> {
    if (!bundle.value || selected.value.length === 0) return
    error.value = undefined
    try {
      const result = await useBackend().request('flash.start', { bundleId: bundle.value.bundleId, devices: selected.value, baud: baud.value })
      const refused = result.jobs.filter((job) => job.error)
      if (refused.length > 0) error.value = { message: refused.map((job) => `${job.deviceId}: ${job.error?.message ?? ''}`).join('; ') }
    } catch (caught) {
      error.value = errorView(caught)
    }
  }

  async function cancel(jobId: string): Promise<void> {
    await useBackend().request('flash.cancel', { jobId })
  }

  return { bundle, loading, error, selected, baud, jobs, warnings, jobList, running, listen, loadFiles, start, cancel }
})
