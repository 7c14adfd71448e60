import { defineStore } from 'pinia'
import { markRaw, shallowRef } from 'vue'
import type { MonitorSession } from '../../../common/contract'
import { onReconnected, useBackend } from '../api/client'
import { SessionFeed } from '../data/session-feed'

export type { SessionFeed } from '../data/session-feed'

/**
 * The serial monitor's sessions and their consoles: the one door for monitor.sessions,
 * monitor.status and monitor.lines. Lines go into each session's SessionFeed as they arrive,
 * whatever view is shown, so a console opened later has what came meanwhile.
 */
export const useMonitorStore = defineStore('monitor', () => {
  const sessions = shallowRef<MonitorSession[]>([])
  /** Notices by session (the disk is behind, the chip was not reset …), newest last. */
  const notices = shallowRef<Record<string, string[]>>({})
  const feeds = new Map<string, SessionFeed>()
  let started = false

  async function start(): Promise<void> {
    if (started) return
    started = true
    const backend = useBackend()
    backend.on('monitor.lines', (batch) => feedOf(batch.sessionId).take(batch))
    backend.on('monitor.status', ({ session, notice }) => {
      upsert(session)
      if (notice) notices.value = { ...notices.value, [session.sessionId]: [...(notices.value[session.sessionId] ?? []), notice.message].slice(-5) }
    })
    onReconnected(() => void refresh())
    await refresh()
  }

  async function refresh(): Promise<void> {
    try {
      const listed = await useBackend().request('monitor.sessions', {})
      sessions.value = listed
      // A session this page has not seen from its start: its recent lines are read back from the backend's ring.
      await Promise.all(listed.filter((session) => !feeds.get(session.sessionId)?.complete).map((session) => feedOf(session.sessionId).readBack((params) => useBackend().request('monitor.read', { sessionId: session.sessionId, ...params })).catch(() => undefined)))
    } catch {
      // The connection dropped again; the next reconnect asks again.
    }
  }

  function feedOf(sessionId: string): SessionFeed {
    let feed = feeds.get(sessionId)
    if (!feed) {
      feed = markRaw(new SessionFeed())
      feeds.set(sessionId, feed)
    }
    return feed
  }

  function upsert(session: MonitorSession): void {
    const others = sessions.value.filter((known) => known.sessionId !== session.sessionId)
    sessions.value = [...others, session].sort((a, b) => a.startedAt - b.startedAt)
  }

  /** The device's newest session, open or ended. */
  function sessionOf(deviceId: string): MonitorSession | undefined {
    return sessions.value.filter((session) => session.deviceId === deviceId).at(-1)
  }

  /** Opens a monitor on the device; throws when the backend refuses (busy, no such port). */
  async function open(deviceId: string, options: { baud: number; reset: boolean }): Promise<void> {
    const { sessionId } = await useBackend().request('monitor.open', { deviceId, baud: options.baud, reset: options.reset })
    feedOf(sessionId)
    if (!sessions.value.some((session) => session.sessionId === sessionId)) await refresh()
  }

  async function close(sessionId: string): Promise<void> {
    await useBackend().request('monitor.close', { sessionId })
  }

  async function resume(sessionId: string): Promise<void> {
    await useBackend().request('monitor.resume', { sessionId })
  }

  return { sessions, notices, start, refresh, feedOf, sessionOf, open, close, resume }
})
