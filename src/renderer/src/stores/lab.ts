import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { LabFault, LabState } from '../../../common/contract'
import { onReconnected, useBackend } from '../api/client'
import { errorView, type ErrorView } from '../data/error-view'

/**
 * The virtual lab: the one door for lab.state and lab.changed. `asking` covers the moment
 * between a click and the backend's answer; an action that was refused keeps its error here,
 * shown next to the button.
 */
export const useLabStore = defineStore('lab', () => {
  const state = ref<LabState>({ status: 'stopped', items: [], twins: [] })
  const loaded = ref(false)
  const asking = ref(false)
  const actionError = ref<ErrorView>()
  let started = false

  function start(): void {
    if (started) return
    started = true
    useBackend().on('lab.changed', (next) => {
      state.value = next
      loaded.value = true
    })
    onReconnected(() => void refresh())
    void refresh()
  }

  async function refresh(): Promise<void> {
    try {
      state.value = await useBackend().request('lab.state', {})
      loaded.value = true
    } catch {
      // The connection banner says the background service is not answering.
    }
  }

  async function run(action: () => Promise<LabState>): Promise<boolean> {
    actionError.value = undefined
    asking.value = true
    try {
      state.value = await action()
      return true
    } catch (caught) {
      actionError.value = errorView(caught)
      return false
    } finally {
      asking.value = false
    }
  }

  /** `blank`: erased twins and a stored pair, for the technician to commission. */
  function startLab(chip: 'esp32' | 'esp32s3' | 'esp32c3', fault?: LabFault, blank = false): Promise<boolean> {
    return run(() => useBackend().request('lab.start', { chip, ...(fault ? { fault } : {}), ...(blank ? { blank } : {}) }))
  }

  function stopLab(): Promise<boolean> {
    return run(() => useBackend().request('lab.stop', {}))
  }

  return { state, loaded, asking, actionError, start, refresh, startLab, stopLab }
})
