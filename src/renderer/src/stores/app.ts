import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { AppInfo } from '../../../common/contract'
import { onReconnected, useBackend } from '../api/client'

/**
 * What the backend says about itself: where passwords are kept (the Configure view says so),
 * the data folder, and when it started — a page that reconnects to a restarted backend sees
 * another start time.
 */
export const useAppStore = defineStore('app', () => {
  const info = ref<AppInfo>()
  /** The backend restarted while this page was open (passwords kept in memory only are gone). */
  const restarted = ref(false)
  let started = false

  async function refresh(): Promise<void> {
    try {
      const next = await useBackend().request('app.info', {})
      if (info.value && info.value.startedAt !== next.startedAt) restarted.value = true
      info.value = next
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

  return { info, restarted, start, refresh }
})
