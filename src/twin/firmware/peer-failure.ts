// What the firmware prints and does when the peer fails (reference §2.7, §8.2, §8.4). Setup
// errors travel up peer_init → app_main, which logs "Non recoverable error" and deep-sleeps
// 0–19 s before rebooting; a libjuice state of "failed" calls esp_restart() at once.
import type { EspLogLevel, JuiceLogLevel } from '../../common/serverless/firmware-log'
import { FIRMWARE_MESSAGES, JUICE_MESSAGES } from '../../common/serverless/firmware-log'
import { peerLogTag, type PeerRole } from '../../common/serverless/constants'
import { JUICE_EXTRA } from './peer-console'

export type PeerFailure = 'gathering' | 'sync-connect' | 'sync-timeout' | 'description-timeout' | 'sync-lost' | 'ice-timeout' | 'ice-failed'

export type ConsoleRecord =
  | { kind: 'esp'; level: EspLogLevel; tag: string; message: string }
  | { kind: 'juice'; level: JuiceLogLevel; file: string; line: number; message: string }

export interface FailurePlan {
  records: ConsoleRecord[]
  /** esp_restart() at once, or esp_deep_sleep() for 0–19 s and then a reboot. */
  then: 'restart' | 'deep-sleep'
}

/**
 * esp_check line numbers of the current example. Only sync_peers(176) is attested (reference
 * §8.1); the others are assumptions. The reference says to match on function name and text.
 */
const LINE = { syncPeers: 176, createCandidates: 120, peerInit: 266, appMain: 87 } as const
const MAIN_TAG = 'serverless_mqtt'
export const NON_RECOVERABLE = 'Non recoverable error, going to sleep for some time (random, max 20s)'

/** Reads the peer's error message (src/main/peer) as the firmware's failure. */
export function classifyPeerError(message: string): PeerFailure {
  if (message.startsWith('No IPv4 address')) return 'gathering'
  if (message.startsWith('Failed to connect to the sync broker')) return 'sync-connect'
  if (message.startsWith('The other peer did not answer the sync handshake')) return 'sync-timeout'
  if (message.startsWith("The other peer's description did not arrive")) return 'description-timeout'
  if (message.startsWith('ICE ')) return 'ice-timeout'
  // The broker closed the connection, a publish failed, anything else: PEER_FAIL.
  return 'sync-lost'
}

export function failurePlan(failure: PeerFailure, role: PeerRole): FailurePlan {
  const tag = peerLogTag(role)
  const esp = (level: EspLogLevel, t: string, message: string): ConsoleRecord => ({ kind: 'esp', level, tag: t, message })
  const juice = (file: string, line: number, message: string): ConsoleRecord => ({ kind: 'juice', level: 'INFO', file, line, message })
  const setupFailed = (first: ConsoleRecord[], peerInitText: string): FailurePlan => ({
    records: [
      ...first,
      esp('E', tag, `peer_init(${LINE.peerInit}): ${peerInitText}`),
      esp('E', MAIN_TAG, `app_main(${LINE.appMain}): Failed to init peer library`),
      esp('E', MAIN_TAG, NON_RECOVERABLE),
    ],
    then: 'deep-sleep',
  })
  switch (failure) {
    case 'gathering':
      return setupFailed([esp('E', tag, `create_candidates(${LINE.createCandidates}): Failed to start gathering candidates`)], 'Failed to create juice candidates')
    case 'sync-connect':
      return setupFailed([esp('E', tag, `sync_peers(${LINE.syncPeers}): Failed to connect to the sync broker`)], 'Failed to sync with the other peer')
    // The peer already printed the sync_peers line of these two.
    case 'sync-timeout':
    case 'description-timeout':
      return setupFailed([], 'Failed to sync with the other peer')
    case 'sync-lost':
      return setupFailed([esp('I', tag, 'MQTT_EVENT_DISCONNECTED'), esp('E', tag, `sync_peers(${LINE.syncPeers}): Failed to sync with the other peer`)], 'Failed to sync with the other peer')
    case 'ice-timeout':
      return {
        records: [
          juice(JUICE_EXTRA.connectivityExpired.file, JUICE_EXTRA.connectivityExpired.line, JUICE_EXTRA.connectivityExpired.text),
          juice(JUICE_MESSAGES.changingState.file, JUICE_MESSAGES.changingState.line, JUICE_MESSAGES.changingState.text('failed')),
          esp('I', tag, FIRMWARE_MESSAGES.juiceState('failed')),
        ],
        then: 'restart',
      }
    case 'ice-failed':
      // The peer printed "Lost connectivity" and "JUICE state change: failed" itself.
      return { records: [], then: 'restart' }
  }
}
