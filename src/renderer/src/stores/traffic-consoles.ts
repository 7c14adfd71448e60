import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { MonitorSession } from '../../../common/contract'
import { deviceIdOf } from '../../../common/devices/device-id'
import { onReconnected, useBackend } from '../api/client'
import { errorView, type ErrorView } from '../data/error-view'

/**
 * Whose console the serial monitor reads now, as far as the Traffic view needs it: a site's
 * console source hears the firmware's forward lines only while a monitor session is open on
 * that device, so the view says so and offers to open it. The sessions come from
 * monitor.sessions and monitor.status; opening one is monitor.open without a reset, so a
 * running bridge is not restarted.
 */
export const useTrafficConsolesStore = defineStore('trafficConsoles', () => {
  const sessions = shallowRef<MonitorSession[]>([])
  const opening = ref<ReadonlySet<string>>(new Set())
  const errors = ref<Record<string, ErrorView>>({})
  let started = false

  const byDevice = computed(() => {
    const map = new Map<string, MonitorSession>()
    // The newest session of a device wins.
    for (const session of sessions.value) map.set(session.deviceId, session)
    return map
  })

  function start(): void {
    if (started) return
    started = true
    useBackend().on('monitor.status', ({ session }) => {
      sessions.value = sessions.value.some((known) => known.sessionId === session.sessionId)
        ? sessions.value.map((known) => (known.sessionId === session.sessionId ? session : known))
        : [...sessions.value, session]
    })
    onReconnected(() => void refresh())
    void refresh()
  }

  async function refresh(): Promise<void> {
    try {
      sessions.value = await useBackend().request('monitor.sessions', {})
    } catch {
      // The next reconnect reads them again.
    }
  }

  function idOf(link: string): string {
    try {
      return deviceIdOf(link)
    } catch {
      return link
    }
  }

  /** 'open' while the monitor reads the device's console (also while a job has the port for a moment). */
  function stateOf(link: string): 'open' | 'opening' | 'closed' {
    const id = idOf(link)
    if (opening.value.has(id)) return 'opening'
    const session = byDevice.value.get(id)
    if (!session) return 'closed'
    return session.status.state === 'ended' ? 'closed' : session.status.state === 'connecting' ? 'opening' : 'open'
  }

  async function open(link: string): Promise<void> {
    const id = idOf(link)
    const { [id]: _previous, ...others } = errors.value
    errors.value = others
    opening.value = new Set(opening.value).add(id)
    try {
      await useBackend().request('monitor.open', { deviceId: link, reset: false })
      await refresh()
    } catch (caught) {
      errors.value = { ...errors.value, [id]: errorView(caught) }
    } finally {
      const next = new Set(opening.value)
      next.delete(id)
      opening.value = next
    }
  }

  function errorOf(link: string): ErrorView | undefined {
    return errors.value[idOf(link)]
  }

  return { sessions, start, refresh, stateOf, open, errorOf }
})
