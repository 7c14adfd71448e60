import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { BridgeTestJob, RequestParams } from '../../../common/contract'
import { onReconnected, useBackend } from '../api/client'
import { errorView, type ErrorView } from '../data/error-view'

/**
 * Bridge tests: the one door for bridgeTest.job. The card shows the newest test, running or
 * done; after a reload or a reconnect it is read back from bridgeTest.jobs.
 */
export const useBridgeTestStore = defineStore('bridgeTest', () => {
  const jobs = shallowRef(new Map<string, BridgeTestJob>())
  const shownId = ref<string>()
  const startError = ref<ErrorView>()
  const asking = ref(false)
  let started = false

  const shown = computed(() => (shownId.value ? jobs.value.get(shownId.value) : undefined))
  const running = computed(() => shown.value?.state === 'running')

  function start(): void {
    if (started) return
    started = true
    useBackend().on('bridgeTest.job', (job) => {
      jobs.value = new Map(jobs.value).set(job.jobId, job)
      shownId.value ??= job.jobId
    })
    onReconnected(() => void refresh())
    void refresh()
  }

  async function refresh(): Promise<void> {
    let listed: BridgeTestJob[]
    try {
      listed = await useBackend().request('bridgeTest.jobs', {})
    } catch {
      return
    }
    const next = new Map(jobs.value)
    const known = shownId.value ? jobs.value.get(shownId.value) : undefined
    for (const job of listed) next.set(job.jobId, job)
    // A test that was running and is no longer listed went with a restart of the background service.
    if (known && known.state === 'running' && !listed.some((job) => job.jobId === known.jobId)) {
      next.set(known.jobId, { ...known, state: 'failed', error: { code: 'UNAVAILABLE', message: "PairKit's background service restarted while the test ran", hint: 'Run the test again.' } })
    }
    jobs.value = next
    shownId.value ??= listed[0]?.jobId
  }

  async function run(params: RequestParams<'bridgeTest.start'>): Promise<void> {
    startError.value = undefined
    asking.value = true
    try {
      const { jobId } = await useBackend().request('bridgeTest.start', params)
      shownId.value = jobId
    } catch (caught) {
      startError.value = errorView(caught)
    } finally {
      asking.value = false
    }
  }

  async function cancel(): Promise<void> {
    const job = shown.value
    if (!job || job.state !== 'running') return
    try {
      await useBackend().request('bridgeTest.cancel', { jobId: job.jobId })
    } catch (caught) {
      startError.value = errorView(caught)
    }
  }

  return { jobs, shown, running, startError, asking, start, run, cancel }
})
