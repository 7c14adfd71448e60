import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { SignallingMessage, SignallingWatch } from '../../../common/contract'
import { onReconnected, useBackend } from '../api/client'
import { errorView, type ErrorView } from '../data/error-view'

/** Messages kept per pair, newest last: a handshake and two descriptions fit many times over. */
const KEPT_MESSAGES = 50

/**
 * The signalling watches: PairKit subscribes to a pair's sync topics and shows the handshake and
 * both descriptions as they pass, read-only. The one door for signalling.watch, signalling.unwatch,
 * signalling.watches and their events.
 */
export const useSignallingStore = defineStore('signalling', () => {
  const watches = shallowRef<Record<string, SignallingWatch>>({})
  const messages = shallowRef<Record<string, SignallingMessage[]>>({})
  const errors = ref<Record<string, ErrorView>>({})
  let started = false

  async function start(): Promise<void> {
    if (started) return
    started = true
    const backend = useBackend()
    backend.on('signalling.status', (watch) => (watches.value = { ...watches.value, [watch.pairId]: watch }))
    backend.on('signalling.message', (message) => {
      messages.value = { ...messages.value, [message.pairId]: [...(messages.value[message.pairId] ?? []), message].slice(-KEPT_MESSAGES) }
    })
    onReconnected(() => void refresh())
    await refresh()
  }

  async function refresh(): Promise<void> {
    try {
      const listed = await useBackend().request('signalling.watches', {})
      watches.value = Object.fromEntries(listed.map((watch) => [watch.pairId, watch]))
    } catch {
      // The connection dropped again; the next reconnect asks again.
    }
  }

  async function watch(pairId: string): Promise<void> {
    const { [pairId]: _previous, ...others } = errors.value
    errors.value = others
    try {
      const watching = await useBackend().request('signalling.watch', { pairId })
      watches.value = { ...watches.value, [pairId]: watching }
    } catch (caught) {
      errors.value = { ...errors.value, [pairId]: errorView(caught) }
    }
  }

  async function unwatch(pairId: string): Promise<void> {
    try {
      await useBackend().request('signalling.unwatch', { pairId })
      const { [pairId]: _stopped, ...others } = watches.value
      watches.value = others
    } catch (caught) {
      errors.value = { ...errors.value, [pairId]: errorView(caught) }
    }
  }

  /** Watching now (connecting, watching or reconnecting). */
  function isWatching(pairId: string): boolean {
    const state = watches.value[pairId]?.state
    return state === 'connecting' || state === 'watching' || state === 'reconnecting'
  }

  return { watches, messages, errors, start, refresh, watch, unwatch, isWatching }
})
