import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { PortInfo } from '../../../common/contract'
import { useBackend } from '../api/client'

/** The serial ports the backend sees, kept live by its ports.changed event. */
export const useDevicesStore = defineStore('devices', () => {
  const ports = ref<PortInfo[]>([])
  const loaded = ref(false)
  const error = ref<string>()
  const likelyEsp32 = computed(() => ports.value.filter((port) => port.likelyEsp32))

  async function start(): Promise<void> {
    const backend = useBackend()
    backend.on('ports.changed', (list) => {
      ports.value = list
      loaded.value = true
    })
    try {
      ports.value = await backend.request('ports.list', {})
      loaded.value = true
    } catch (caught) {
      error.value = caught instanceof Error ? caught.message : String(caught)
    }
  }

  return { ports, loaded, error, likelyEsp32, start }
})
