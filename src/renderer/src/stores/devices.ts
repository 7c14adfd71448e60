import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { Device } from '../../../common/contract'
import { deviceIdOf } from '../../../common/devices/device-id'
import { onReconnected, useBackend } from '../api/client'
import { errorView, type ErrorView } from '../data/error-view'

/** The device id of a link, or the text itself when it is not one (the backend then says why). */
export function safeDeviceId(link: string): string {
  try {
    return deviceIdOf(link)
  } catch {
    return link
  }
}

/**
 * The devices PairKit knows — probed, flashed or added — and what it learnt about each: the
 * one door for devices.list and devices.changed, read by every view. A device's busy state
 * comes from the backend, which allows one operation per device; `asking` covers the moment
 * between a click and the backend's answer.
 */
export const useDevicesStore = defineStore('devices', () => {
  const list = ref<Device[]>([])
  const loaded = ref(false)
  const error = ref<ErrorView>()
  /** Why the last action asked from this page on a device did not start, by device id. */
  const actionErrors = ref<Record<string, ErrorView>>({})
  const asking = ref<ReadonlySet<string>>(new Set())
  const byId = computed(() => new Map(list.value.map((device) => [device.id, device])))
  let started = false

  async function start(): Promise<void> {
    if (started) return
    started = true
    useBackend().on('devices.changed', (devices) => {
      list.value = devices
      loaded.value = true
    })
    // Devices may have been probed, flashed or unplugged while the connection was down.
    onReconnected(() => void refresh())
    await refresh()
  }

  async function refresh(): Promise<void> {
    try {
      list.value = await useBackend().request('devices.list', {})
      loaded.value = true
      error.value = undefined
    } catch (caught) {
      error.value = errorView(caught)
    }
  }

  function get(id: string): Device | undefined {
    return byId.value.get(id)
  }

  /** Probes a device (adding it when new); its progress shows through its busy state. Throws when it did not start. */
  async function probe(link: string): Promise<void> {
    await act(link, async () => {
      await useBackend().request('devices.probe', { deviceId: link })
    })
  }

  /** Makes a link a known device without contacting it. Throws when the link is not one. */
  async function add(link: string): Promise<Device> {
    const device = await useBackend().request('devices.add', { link })
    if (!byId.value.has(device.id)) list.value = [...list.value, device]
    return device
  }

  async function forget(id: string): Promise<void> {
    await act(id, async () => {
      await useBackend().request('devices.forget', { deviceId: id })
      list.value = list.value.filter((device) => device.id !== id)
    })
  }

  /** Runs a request about one device, keeping its error by the device (and throwing it on). */
  async function act(link: string, work: () => Promise<void>): Promise<void> {
    const id = safeDeviceId(link)
    const { [id]: _previous, ...others } = actionErrors.value
    actionErrors.value = others
    asking.value = new Set(asking.value).add(id)
    try {
      await work()
    } catch (caught) {
      actionErrors.value = { ...actionErrors.value, [id]: errorView(caught) }
      throw caught
    } finally {
      const next = new Set(asking.value)
      next.delete(id)
      asking.value = next
    }
  }

  return { list, loaded, error, actionErrors, asking, start, refresh, get, probe, add, forget }
})
