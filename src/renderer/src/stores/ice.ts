import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { DeviceIce, PairIce } from '../../../common/contract'
import { onReconnected, useBackend } from '../api/client'
import { errorView, type ErrorView } from '../data/error-view'
import type { Target } from '../data/targets'

/**
 * What the ICE view shows: the model and findings of one device or one pair, the one door for
 * ice.device, ice.pair and ice.changed. The backend computes them from every console event and
 * says when they changed (at most every 250 ms); this asks again only for the target shown, one
 * request at a time.
 */
export const useIceStore = defineStore('ice', () => {
  const target = shallowRef<Target>()
  const device = shallowRef<DeviceIce>()
  const pair = shallowRef<PairIce>()
  const error = ref<ErrorView>()
  let started = false
  let fetching = false
  let again = false

  function start(): void {
    if (started) return
    started = true
    useBackend().on('ice.changed', (change) => {
      const shown = target.value
      if (!shown) return
      if ((change.kind === 'device' && shown.kind === 'device' && change.deviceId === shown.deviceId) || (change.kind === 'pair' && shown.kind === 'pair' && change.pairId === shown.pairId)) void fetch()
    })
    onReconnected(() => void fetch())
  }

  /** Shows `next` (fetching it when it differs from what is shown). */
  function show(next: Target | undefined): void {
    if (JSON.stringify(next) === JSON.stringify(target.value) && (device.value || pair.value)) return
    target.value = next
    device.value = undefined
    pair.value = undefined
    void fetch()
  }

  async function fetch(): Promise<void> {
    if (fetching) {
      again = true
      return
    }
    fetching = true
    try {
      do {
        again = false
        const shown = target.value
        if (!shown) return
        try {
          if (shown.kind === 'device') {
            const result = await useBackend().request('ice.device', { deviceId: shown.deviceId })
            if (target.value === shown) device.value = result
          } else {
            const result = await useBackend().request('ice.pair', { pairId: shown.pairId })
            if (target.value === shown) pair.value = result
          }
          error.value = undefined
        } catch (caught) {
          error.value = errorView(caught)
        }
      } while (again)
    } finally {
      fetching = false
    }
  }

  return { target, device, pair, error, start, show, fetch }
})
