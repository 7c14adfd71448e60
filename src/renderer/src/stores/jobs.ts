import { defineStore } from 'pinia'
import { shallowRef } from 'vue'
import type { FlashJob } from '../../../common/contract'
import { onReconnected, useBackend } from '../api/client'

export type FinalJob = FlashJob & { type: 'done' | 'failed' | 'cancelled' }
export type ProgressJob = FlashJob & { type: 'progress' }

export function isFinalJob(job: FlashJob): job is FinalJob {
  return job.type === 'done' || job.type === 'failed' || job.type === 'cancelled'
}

/**
 * Every flasher job (probes, flashes, pair-settings writes) as the backend last reported it: the one door for
 * the flash.job event. Keeps each job's last progress, so a job that fails shows how far it
 * got, and fetches the list again after a reconnect.
 *
 * Jobs are kept by key, not by id: a restarted backend numbers its jobs from 1 again, so the
 * key carries which run of the backend the job belongs to.
 */
export const useJobsStore = defineStore('jobs', () => {
  // Progress arrives several times a second per job: replace the maps, don't deep-watch them.
  const byKey = shallowRef(new Map<string, FlashJob>())
  const lastProgress = shallowRef(new Map<string, ProgressJob>())
  const warnings = shallowRef(new Map<string, string[]>())
  let generation = 0
  let started = false

  /** The key of a job the backend names now. */
  function keyOf(jobId: string): string {
    return `${generation}/${jobId}`
  }

  function start(): void {
    if (started) return
    started = true
    useBackend().on('flash.job', apply)
    onReconnected(() => void reconcile())
  }

  function apply(job: FlashJob, key = keyOf(job.jobId)): void {
    if (job.type === 'warning') {
      warnings.value = new Map(warnings.value).set(key, [...(warnings.value.get(key) ?? []), job.message])
      return
    }
    const before = byKey.value.get(key)
    if (before && isFinalJob(before)) return // a late event never reopens a finished job
    byKey.value = new Map(byKey.value).set(key, job)
    if (job.type === 'progress') lastProgress.value = new Map(lastProgress.value).set(key, job)
  }

  /**
   * After a reconnect the backend's list is the truth. When a job we knew is missing from
   * it, the service was restarted: what was running then is lost, and the new service's
   * job ids start a new generation of keys.
   */
  async function reconcile(): Promise<void> {
    let current: FlashJob[]
    try {
      current = await useBackend().request('flash.jobs', {})
    } catch {
      return // the connection dropped again; the next reconnect tries again
    }
    const listed = new Set(current.map((job) => job.jobId))
    const ours = [...byKey.value].filter(([key]) => key.startsWith(`${generation}/`))
    if (ours.some(([, job]) => !listed.has(job.jobId))) {
      for (const [key, job] of ours) if (!isFinalJob(job)) apply(lostJob(job), key)
      generation++
    }
    for (const job of current) apply(job)
  }

  function get(key: string | undefined): FlashJob | undefined {
    return key === undefined ? undefined : byKey.value.get(key)
  }

  return { byKey, lastProgress, warnings, start, keyOf, apply, reconcile, get }
})

function lostJob(job: FlashJob): FinalJob {
  return {
    jobId: job.jobId,
    port: job.port,
    deviceId: job.deviceId,
    operation: job.operation,
    type: 'failed',
    error: { code: 'UNAVAILABLE', message: "PairKit's background service restarted while this job was running", hint: job.operation === 'flash' ? 'Flash the device again.' : 'Run it again.' },
    deviceState: job.operation === 'flash' ? 'the flash may be partly written: flash it again before using the device' : 'the device may still be in its bootloader',
  }
}
