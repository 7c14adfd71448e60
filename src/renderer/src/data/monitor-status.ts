// A monitor session's state in the technician's words, with the tone of its tag.
import type { MonitorSession } from '../../../common/contract'
import type { Tone } from './device-view'
import { formatTime } from './format'

const HANDED_TO: Record<string, string> = {
  probe: 'a probe',
  flash: 'the flasher',
  erase: 'an erase',
  'read-flash': 'a flash read',
  provision: 'the pair-settings write',
  monitor: 'another monitor',
}

export interface MonitorStatusView {
  label: string
  tone: Tone
  /** A sentence about it: why it ended, who has the port, since when. */
  detail: string
  /** The session can be opened again in place (Resume). */
  resumable: boolean
  /** The session still holds or waits for the port (Close stops it). */
  live: boolean
}

export function monitorStatusView(session: MonitorSession, now = Date.now()): MonitorStatusView {
  const status = session.status
  const since = formatTime(status.since, now)
  switch (status.state) {
    case 'connecting':
      return { label: 'connecting', tone: 'neutral', detail: `Opening the port since ${since}.`, resumable: false, live: true }
    case 'open':
      return { label: 'open', tone: 'ok', detail: `Reading the console since ${since}, at ${session.baud} baud.`, resumable: false, live: true }
    case 'yielded':
      return { label: 'handed over', tone: 'warning', detail: `The port is with ${HANDED_TO[status.to] ?? status.to} since ${since}; the monitor takes it back when that ends.`, resumable: false, live: true }
    case 'ended': {
      const why = status.message ? `${status.message.charAt(0).toUpperCase()}${status.message.slice(1)}` : status.reason === 'closed' ? 'Closed' : 'Ended'
      const waiting = status.waitingForPort ? ' PairKit opens it again when the port is back.' : ''
      return { label: status.reason === 'closed' ? 'closed' : 'ended', tone: status.reason === 'closed' ? 'neutral' : 'danger', detail: `${why.replace(/\.$/, '')} (${since}).${waiting}`, resumable: status.resumable, live: false }
    }
  }
}
