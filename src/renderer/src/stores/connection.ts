import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { connectionStatus, onConnectionStatus } from '../api/client'

/** Attempts after which the notice also says how to open PairKit again if it was restarted elsewhere. */
const ATTEMPTS_BEFORE_ADVICE = 6

/** Whether the page reaches the backend; the banner at the top of every view reads this. */
export const useConnectionStore = defineStore('connection', () => {
  const status = ref(connectionStatus())
  onConnectionStatus((next) => (status.value = next))
  const lost = computed(() => status.value.state === 'disconnected')
  const longLost = computed(() => lost.value && status.value.failedAttempts >= ATTEMPTS_BEFORE_ADVICE)
  return { status, lost, longLost }
})
