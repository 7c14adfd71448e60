// Candidate pairs as RFC 8445 forms them (§6.1.2), for agents that do not log their pairs
// (libjuice logs none at INFO; esp-peer logs its sorted pairs, which are taken as they are).
import { addressFamily } from '../logs/endpoint'
import type { CandidateTypeName } from '../logs/events'

export interface PairingCandidate {
  address: string
  port: number
  type: CandidateTypeName
  component: number
  /** null where the log does not say (esp-peer's remote candidates). */
  priority: number | null
  relatedAddress?: string
  relatedPort?: number
}

export interface FormedPair<C extends PairingCandidate = PairingCandidate> {
  /** The local candidate the pair sends from: a server-reflexive candidate is replaced by its base. */
  local: C
  remote: C
  /** RFC 8445 §6.1.2.3; null when either priority is unknown. */
  priority: bigint | null
}

const TWO_POW_32 = 4294967296n

/**
 * RFC 8445 §6.1.2.3: 2^32·MIN(G,D) + 2·MAX(G,D) + (G>D ? 1 : 0), G the controlling agent's
 * candidate priority, D the controlled agent's. Both sides compute the same value for a pair.
 */
export function pairPriority(controlling: number, controlled: number): bigint {
  const g = BigInt(controlling)
  const d = BigInt(controlled)
  const min = g < d ? g : d
  const max = g < d ? d : g
  return TWO_POW_32 * min + 2n * max + (g > d ? 1n : 0n)
}

/**
 * RFC 8445 §6.1.2.2 and §6.1.2.4: every local candidate with every remote one of the same
 * component and address family; a server-reflexive local candidate replaced by its base; of pairs
 * with the same local base and remote candidate the one of highest priority kept; highest
 * priority first (unknown priorities last, in the order formed).
 */
export function formPairs<C extends PairingCandidate>(local: readonly C[], remote: readonly C[], localIsControlling: boolean): FormedPair<C>[] {
  const byKey = new Map<string, FormedPair<C>>()
  for (const candidate of local) {
    // A log may lack the base (a host candidate not printed): then the candidate stands for itself.
    const base = candidate.type === 'srflx' ? (baseOf(candidate, local) ?? candidate) : candidate
    for (const far of remote) {
      if (far.component !== candidate.component || addressFamily(far.address) !== addressFamily(base.address)) continue
      const priority =
        candidate.priority === null || far.priority === null
          ? null
          : localIsControlling
            ? pairPriority(candidate.priority, far.priority)
            : pairPriority(far.priority, candidate.priority)
      const key = `${base.address}|${base.port}|${far.address}|${far.port}|${far.type}`
      const existing = byKey.get(key)
      if (!existing || comparePriority(priority, existing.priority) < 0) byKey.set(key, { local: base, remote: far, priority })
    }
  }
  return [...byKey.values()].sort((a, b) => comparePriority(a.priority, b.priority))
}

/** Sort order: higher priority first, unknown last. */
export function comparePriority(a: bigint | null, b: bigint | null): number {
  if (a === null) return b === null ? 0 : 1
  if (b === null) return -1
  return a > b ? -1 : a < b ? 1 : 0
}

/**
 * The base of a server-reflexive candidate: the host candidate its raddr/rport name, or, as
 * libjuice writes "raddr 0.0.0.0 rport 0" and binds one address, the first host candidate of the
 * same component and address family.
 */
function baseOf<C extends PairingCandidate>(candidate: C, local: readonly C[]): C | undefined {
  const hosts = local.filter((other) => other.type === 'host' && other.component === candidate.component)
  const named = hosts.find((host) => host.address === candidate.relatedAddress && host.port === candidate.relatedPort)
  return named ?? hosts.find((host) => addressFamily(host.address) === addressFamily(candidate.address))
}
