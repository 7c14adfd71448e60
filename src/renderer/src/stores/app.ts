import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { AppInfo } from '../../../common/contract'
import { onReconnected, useBackend } from '../api/client'

/**
 * What the backend says about itself: where passwords are kept (the Configure view says so)
 * and the data folder; asked again after every reconnect, since the backend may have restarted
 * (every store reads its list again then).
 */
export const useAppStore = defineStore('app', () => {
  const info = ref<AppInfo>()
  let started = false

  async function refresh(): Promise<void> {
    try {
      info.value = await useBackend().request('app.info', {})
    } catch {
      // The connection dropped again; the next reconnect asks again.
    }
  }

  function start(): Promise<void> {
    if (started) return Promise.resolve()
    started = true
    onReconnected(() => void refresh())
    return refresh()
  }

  return { info, start, refresh }
})
