// The ICE view's words: states and their tones, the selected pair (as logged, or the one libjuice
// most probably uses, since it does not log its choice), the signalling handshake's steps.
import type { Finding } from '../../../common/diagnosis'
import type { IceSession, IceStateEntry, ModelPair } from '../../../common/ice'
import type { IceStateName } from '../../../common/logs'
import type { SignallingMessage } from '../../../common/contract'
import type { Tone } from './device-view'

const STATE_TONES: Record<IceStateName, Tone> = {
  gathering: 'neutral',
  connecting: 'warning',
  connected: 'ok',
  completed: 'ok',
  failed: 'danger',
  disconnected: 'danger',
}

export function stateTone(state: IceStateName | null | undefined): Tone {
  return state ? STATE_TONES[state] : 'neutral'
}

export const SEVERITY_TONES: Record<Finding['severity'], Tone> = { error: 'danger', warning: 'warning', info: 'neutral' }

/** "127.0.0.1:55679". */
export function endpointText(endpoint: { address: string; port: number }): string {
  return endpoint.address.includes(':') ? `[${endpoint.address}]:${endpoint.port}` : `${endpoint.address}:${endpoint.port}`
}

/**
 * Which pair the device uses: the one its log marks selected, or, for a connected libjuice session
 * (libjuice does not log its selected pair), the one it most probably nominated — the pair of
 * highest priority that can work: a host pair only between addresses of one network (same /24, or
 * loopback), since host candidates behind different NATs cannot reach each other.
 */
export function selectedPair(session: IceSession | undefined, pairs: readonly ModelPair[] = session?.pairs ?? []): { index: number; logged: boolean } | undefined {
  const logged = pairs.findIndex((pair) => pair.selected)
  if (logged !== -1) return { index: logged, logged: true }
  if (!session?.connected || session.variant !== 'libjuice' || pairs.length === 0) return undefined
  const index = pairs.findIndex((pair) => pair.remote.type !== 'host' || sameNetwork(pair.local.address, pair.remote.address))
  return index === -1 ? undefined : { index, logged: false }
}

function sameNetwork(a: string, b: string): boolean {
  if (a.startsWith('127.') && b.startsWith('127.')) return true
  const prefix = (address: string) => /^(\d+\.\d+\.\d+)\.\d+$/.exec(address)?.[1]
  const first = prefix(a)
  return first !== undefined && first === prefix(b)
}

/** The timelines of a pair's devices in one list, oldest first, each entry with its site. */
export function mergedTimeline(a: readonly IceStateEntry[], b: readonly IceStateEntry[]): (IceStateEntry & { site: 'A' | 'B' })[] {
  const entries = [...a.map((entry) => ({ ...entry, site: 'A' as const })), ...b.map((entry) => ({ ...entry, site: 'B' as const }))]
  return entries.sort((x, y) => (x.hostTime ?? 0) - (y.hostTime ?? 0))
}

/** What a signalling message says, in a few words. */
export function signallingSummary(message: SignallingMessage): string {
  const { message: body, from } = message
  if (body.kind === 'handshake') {
    if (body.step === '0') return `Site A asks whether site B is there ("0")`
    if (body.step === '1') return `Site B answers that it is there ("1")`
    return `Site A confirms: the sync is done ("2")`
  }
  if (body.kind === 'description') {
    const count = body.candidates.length
    return `Site ${from === 1 ? 'A' : 'B'}'s description: ufrag ${body.ufrag}, ${count} candidate${count === 1 ? '' : 's'}${body.rejected.length ? `, ${body.rejected.length} the firmware would refuse` : ''}`
  }
  return `Not for the firmware (${body.reason}): ${body.detail}`
}
