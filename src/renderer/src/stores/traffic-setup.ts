import { defineStore } from 'pinia'
import { reactive } from 'vue'
import { defaultSetup, keptSetup, restoreSetup } from '../data/traffic-setup'
import { useUiStateStore } from './ui-state'

/** What the Traffic view watches (and the bridge test's brokers start from): kept across reloads, never with passwords. */
export const useTrafficSetupStore = defineStore('trafficSetup', () => {
  const inputs = reactive(defaultSetup())
  let restored = false

  async function restore(): Promise<void> {
    if (restored) return
    restored = true
    await useUiStateStore().keep('traffic.setup', () => keptSetup(inputs), (kept) => kept, (kept) => restoreSetup(inputs, kept))
  }

  return { inputs, restore }
})
