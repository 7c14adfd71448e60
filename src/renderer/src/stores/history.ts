import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { HistoryEntry } from '../../../common/contract'
import { onReconnected, useBackend } from '../api/client'
import { errorView, type ErrorView } from '../data/error-view'

/** The entries the page shows; the backend keeps more. */
const SHOWN_ENTRIES = 500

/**
 * Every firmware flash and pair-settings write made from the UI, as the backend records and
 * keeps them (history.list, then history.added as each one ends): newest first.
 */
export const useHistoryStore = defineStore('history', () => {
  const entries = ref<HistoryEntry[]>([])
  const error = ref<ErrorView>()
  let started = false

  async function start(): Promise<void> {
    if (started) return
    started = true
    useBackend().on('history.added', (entry) => {
      if (entries.value.some((known) => known.id === entry.id)) return
      entries.value = [entry, ...entries.value].slice(0, SHOWN_ENTRIES)
    })
    onReconnected(() => void refresh())
    await refresh()
  }

  async function refresh(): Promise<void> {
    try {
      entries.value = await useBackend().request('history.list', { limit: SHOWN_ENTRIES })
      error.value = undefined
    } catch (caught) {
      error.value = errorView(caught)
    }
  }

  return { entries, error, start, refresh }
})
