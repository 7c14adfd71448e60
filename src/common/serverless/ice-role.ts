// Which side of a pair runs ICE as controlling. The firmware never chooses: libjuice starts
// controlling on both ESPs and RFC 8445 role-conflict repair settles it (reference §4.4).
// PairKit decides from the remote description, without extending the protocol:
//  - a libjuice peer (an ESP) numbers its candidate foundations 1, 2, … (§4.2) and is
//    controlling, so PairKit is controlled: no role conflict, as §10.1 recommends;
//  - another PairKit peer (werift foundations are hex hashes) starts controlled too, so one side
//    must switch: the firmware's PEER1, the side that opens the handshake, becomes controlling.
// A wrong guess costs only a role-conflict round trip: werift and libjuice both repair it.
import type { PeerRole } from './constants'
import type { RemoteDescription } from './signal-message'

export type IceRoleReason = 'remote-is-libjuice' | 'pairkit-peer1' | 'pairkit-peer2'

export function looksLikeLibjuice(remote: RemoteDescription): boolean {
  return remote.candidates.length > 0 && remote.candidates.every((candidate) => /^\d+$/.test(candidate.foundation))
}

export function chooseIceRole(role: PeerRole, remote: RemoteDescription): { controlling: boolean; reason: IceRoleReason } {
  if (looksLikeLibjuice(remote)) return { controlling: false, reason: 'remote-is-libjuice' }
  return role === 1 ? { controlling: true, reason: 'pairkit-peer1' } : { controlling: false, reason: 'pairkit-peer2' }
}
