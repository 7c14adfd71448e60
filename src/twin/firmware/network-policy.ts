// Where the twin's firmware may connect. A real board set to the example's defaults talks to
// public servers (mqtt.eclipseprojects.io, stun.l.google.com); a practice device on a laptop,
// or in a test, must not do that unless asked. By default the twin reaches loopback only and
// says plainly what it skipped; `--network any` lets it use the configured servers.
import type { DeviceConfig } from '../../common/config'

export type TwinNetwork = 'loopback' | 'any'

export interface Reach {
  signalling: boolean
  stun: boolean
  turn: boolean
  /** Lines for the console (tag "twin"), saying what was not reached and why. */
  lines: { level: 'E' | 'W'; message: string }[]
}

export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase()
  return bare === 'localhost' || bare === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare)
}

export function hostOfUri(uri: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?(\[[^\]]+\]|[^:/?#]+)/i.exec(uri)?.[1] ?? ''
}

const HOW = 'start the twin with --network any to let it reach the network'

export function checkReach(config: DeviceConfig, network: TwinNetwork): Reach {
  if (network === 'any') return { signalling: true, stun: true, turn: config.turnHost !== '', lines: [] }
  const lines: Reach['lines'] = []
  const signallingHost = hostOfUri(config.signallingUri)
  const signalling = isLoopbackHost(signallingHost)
  if (!signalling) lines.push({ level: 'E', message: `the signalling broker ${signallingHost || config.signallingUri} is not on this computer and this twin reaches loopback addresses only; no peer link (${HOW})` })
  const stun = isLoopbackHost(config.stunHost)
  if (signalling && !stun) lines.push({ level: 'W', message: `the STUN server ${config.stunHost} is not on this computer: gathering host candidates only (${HOW})` })
  const turn = config.turnHost !== '' && isLoopbackHost(config.turnHost)
  if (signalling && config.turnHost !== '' && !turn) lines.push({ level: 'W', message: `the TURN server ${config.turnHost} is not on this computer: not used (${HOW})` })
  return { signalling, stun, turn, lines }
}
