import { defineStore } from 'pinia'
import { ref, watch, type Ref, type WatchSource } from 'vue'
import type { RequestParams } from '../../../common/contract'
import { useBackend } from '../api/client'

export type UiValue = RequestParams<'ui.setState'>['value']

/** Typing in a box stores its text once it rests this long, not on every key. */
const SAVE_DELAY_MS = 300

/**
 * Each view's inputs (chosen devices, baud rate, the pair wizard's site names, the address
 * boxes, the view shown), kept by the backend in the data folder so they come back after a
 * reload and a restart. Never passwords: what a view keeps leaves them out, and the backend
 * refuses a value that names one.
 */
export const useUiStateStore = defineStore('uiState', () => {
  let values: Record<string, unknown> = {}
  let loading: Promise<void> | undefined
  const timers = new Map<string, ReturnType<typeof setTimeout>>()
  const pending = new Map<string, UiValue>()

  /** Reads the stored inputs once per page; a failure leaves the views with their defaults. */
  function load(): Promise<void> {
    loading ??= useBackend()
      .request('ui.getState', {})
      .then((state) => void (values = state.values))
      .catch(() => undefined)
    return loading
  }

  function get(key: string): unknown {
    return values[key]
  }

  function set(key: string, value: UiValue): void {
    values[key] = value
    pending.set(key, value)
    clearTimeout(timers.get(key))
    timers.set(key, setTimeout(() => send(key), SAVE_DELAY_MS))
  }

  function send(key: string): void {
    timers.delete(key)
    const value = pending.get(key)
    if (value === undefined) return
    pending.delete(key)
    // A lost write only means the view starts with older inputs next time.
    useBackend().request('ui.setState', { key, value }).catch(() => undefined)
  }

  /** Sends what is waiting now: the page is being left or reloaded. */
  function flush(): void {
    for (const key of [...pending.keys()]) {
      clearTimeout(timers.get(key))
      send(key)
    }
  }
  window.addEventListener('pagehide', flush)

  /**
   * Restores `key` through `restore` once the stored inputs are read, then keeps it: every
   * change of `source` is stored (nothing is stored before the restore, so defaults never
   * overwrite what was kept).
   */
  async function keep<T>(key: string, source: WatchSource<T>, toValue: (value: T) => UiValue, restore: (kept: unknown) => void): Promise<void> {
    await load()
    const kept = get(key)
    if (kept !== undefined) restore(kept)
    watch(source, (value) => set(key, toValue(value)), { deep: true })
  }

  return { load, get, set, flush, keep }
})

/**
 * A component's input kept across reloads and restarts (an address box): restored from the
 * stored inputs, stored on every change while the component lives.
 */
export function useKeptInput<T extends UiValue>(key: string, initial: T, accept: (kept: unknown) => kept is T): Ref<T> {
  const ui = useUiStateStore()
  const value = ref(initial) as Ref<T>
  let restored = false
  watch(value, (next) => restored && ui.set(key, next), { deep: true })
  void ui.load().then(() => {
    const kept = ui.get(key)
    if (accept(kept)) value.value = kept
    restored = true
  })
  return value
}

export const isText = (value: unknown): value is string => typeof value === 'string'
