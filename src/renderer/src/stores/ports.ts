import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { PortInfo } from '../../../common/contract'
import { onReconnected, useBackend } from '../api/client'
import { errorView, type ErrorView } from '../data/error-view'

/** The serial ports the system lists, kept live by the backend's ports.changed event. */
export const usePortsStore = defineStore('ports', () => {
  const ports = ref<PortInfo[]>([])
  const loaded = ref(false)
  const error = ref<ErrorView>()
  const likelyEsp32 = computed(() => ports.value.filter((port) => port.likelyEsp32))
  let started = false

  async function start(): Promise<void> {
    if (started) return
    started = true
    useBackend().on('ports.changed', (list) => {
      ports.value = list
      loaded.value = true
      error.value = undefined
    })
    // Ports may have come and gone while the connection was down.
    onReconnected(() => void refresh())
    await refresh()
  }

  async function refresh(): Promise<void> {
    try {
      ports.value = await useBackend().request('ports.list', {})
      loaded.value = true
      error.value = undefined
    } catch (caught) {
      error.value = errorView(caught)
    }
  }

  return { ports, loaded, error, likelyEsp32, start, refresh }
})
