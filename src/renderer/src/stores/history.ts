import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { historyEntryOf, type HistoryEntry } from '../data/history'
import type { FinalJob } from './jobs'

/** Entries kept for this session; the oldest go first. */
const MAX_ENTRIES = 500

/**
 * What happened to each device in this session: every probe and flash job that ended.
 * The backend's persisted history will arrive as the same HistoryEntry records.
 */
export const useHistoryStore = defineStore('history', () => {
  const entries = ref<HistoryEntry[]>([])
  const seen = new Set<string>()

  /** Adds a job's final state once (a job re-read after a reconnect is not counted twice). */
  function record(key: string, job: FinalJob, time = Date.now()): void {
    if (seen.has(key)) return
    seen.add(key)
    entries.value = [historyEntryOf(job, time), ...entries.value].slice(0, MAX_ENTRIES)
  }

  const count = computed(() => entries.value.length)
  return { entries, count, record }
})
