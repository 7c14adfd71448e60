// RFC 8445 candidate pairs: the pair priority formula, its ordering properties (seeded
// property tests), and pairing with pruning as formPairs does it for agents that log no pairs.
import { describe, expect, it } from 'vitest'
import { comparePriority, formPairs, pairPriority, type PairingCandidate } from '../../../src/common/ice'
import { seededRandom } from '../../../src/common/seeded-random'

const candidate = (address: string, port: number, type: PairingCandidate['type'], priority: number | null, component = 1): PairingCandidate => ({ address, port, type, priority, component })

describe('pairPriority', () => {
  it('is 2^32·MIN(G,D) + 2·MAX(G,D) + (G>D ? 1 : 0)', () => {
    expect(pairPriority(5, 3)).toBe(3n * 4294967296n + 10n + 1n)
    expect(pairPriority(3, 5)).toBe(3n * 4294967296n + 10n)
    expect(pairPriority(2122317823, 2122317823)).toBe(2122317823n * 4294967296n + 2n * 2122317823n)
    // Candidate priorities are below 2^31 (RFC 8445 §5.1.2), so a pair's fits 64 bits.
    expect(pairPriority(2 ** 31 - 1, 2 ** 31 - 1) < 1n << 64n).toBe(true)
  })

  it('orders pairs by the smaller priority, then the larger, then the controlling side being larger', () => {
    const random = seededRandom(8445)
    const draw = () => (random() < 0.2 ? Math.floor(random() * 8) : Math.floor(random() * 2 ** 31))
    for (let i = 0; i < 5000; i++) {
      const [g1, d1, g2, d2] = [draw(), draw(), draw(), draw()]
      const key = (g: number, d: number) => [Math.min(g, d), Math.max(g, d), g > d ? 1 : 0] as const
      const [a, b] = [key(g1, d1), key(g2, d2)]
      const expected = a[0] !== b[0] ? Math.sign(a[0] - b[0]) : a[1] !== b[1] ? Math.sign(a[1] - b[1]) : Math.sign(a[2] - b[2])
      const p1 = pairPriority(g1, d1)
      const p2 = pairPriority(g2, d2)
      expect(p1 > p2 ? 1 : p1 < p2 ? -1 : 0).toBe(expected)
    }
  })

  it('grows with either candidate\'s priority, and differs between the roles only in the lowest bit', () => {
    const random = seededRandom(17)
    for (let i = 0; i < 5000; i++) {
      const g = Math.floor(random() * 2 ** 31)
      const d = Math.floor(random() * 2 ** 31)
      expect(pairPriority(g + 1, d) > pairPriority(g, d)).toBe(true)
      expect(pairPriority(g, d + 1) > pairPriority(g, d)).toBe(true)
      const swapped = pairPriority(d, g)
      expect(pairPriority(g, d) - swapped).toBe(g === d ? 0n : g > d ? 1n : -1n)
    }
  })

  it('gives both agents the same priority for the same pair, whichever of them forms it', () => {
    const random = seededRandom(99)
    for (let round = 0; round < 200; round++) {
      const make = (prefix: string) =>
        Array.from({ length: 1 + Math.floor(random() * 4) }, (_, i) => candidate(`${prefix}.${i}`, 1000 + i, 'host', Math.floor(random() * 2 ** 31)))
      const a = make('10.0.0')
      const b = make('10.0.1')
      const fromA = formPairs(a, b, true).map((pair) => `${pair.local.address}>${pair.remote.address}=${pair.priority}`).sort()
      const fromB = formPairs(b, a, false).map((pair) => `${pair.remote.address}>${pair.local.address}=${pair.priority}`).sort()
      expect(fromB).toEqual(fromA)
    }
  })
})

describe('formPairs', () => {
  it('pairs within a component and an address family, replaces a srflx candidate by its base and keeps the best of redundant pairs', () => {
    const local = [candidate('192.168.0.40', 62703, 'host', 2122317823), candidate('185.194.44.31', 62703, 'srflx', 1686109951), candidate('fe80::1', 5000, 'host', 2122252543), candidate('192.168.0.40', 62704, 'host', 2122317822, 2)]
    const remote = [candidate('10.0.0.7', 50123, 'host', 2122317823), candidate('203.0.113.9', 41000, 'srflx', 1686109951), candidate('fe80::2', 6000, 'host', 2122252543)]
    const pairs = formPairs(local, remote, true)
    expect(pairs.map((pair) => `${pair.local.type} ${pair.local.address}:${pair.local.port} → ${pair.remote.type} ${pair.remote.address}`)).toEqual([
      'host 192.168.0.40:62703 → host 10.0.0.7',
      'host fe80::1:5000 → host fe80::2',
      'host 192.168.0.40:62703 → srflx 203.0.113.9',
    ])
    expect(pairs[0]?.priority).toBe(pairPriority(2122317823, 2122317823))
    // The srflx candidate's pairs were redundant with the host's and had lower priority.
    expect(pairs[2]?.priority).toBe(pairPriority(2122317823, 1686109951))
    for (let i = 1; i < pairs.length; i++) expect(comparePriority(pairs[i - 1]?.priority ?? null, pairs[i]?.priority ?? null)).toBeLessThanOrEqual(0)
  })

  it('uses the base a srflx candidate names, and puts pairs of unknown priority last', () => {
    const local = [candidate('10.0.0.2', 1111, 'host', 100), candidate('10.0.0.3', 2222, 'host', 90), { ...candidate('1.2.3.4', 2222, 'srflx', 80), relatedAddress: '10.0.0.3', relatedPort: 2222 }]
    const remote = [candidate('5.6.7.8', 3333, 'host', null), candidate('5.6.7.9', 4444, 'relay', 5)]
    const pairs = formPairs(local, remote, false)
    expect(pairs.map((pair) => `${pair.local.address}→${pair.remote.address} ${pair.priority === null ? 'unknown' : 'known'}`)).toEqual([
      '10.0.0.2→5.6.7.9 known',
      '10.0.0.3→5.6.7.9 known',
      '10.0.0.2→5.6.7.8 unknown',
      '10.0.0.3→5.6.7.8 unknown',
    ])
  })
})
