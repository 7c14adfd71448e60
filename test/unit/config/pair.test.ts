import { describe, expect, it } from 'vitest'
import {
  configFromNvsImage, pairImages, pairingProblems, provisionPair, type SiteSettings,
} from '../../../src/common/config'
import { PairKitError } from '../../../src/common/errors'
import { seededBytes } from './seeded-random'

const siteA: SiteSettings = { staSsid: 'Plant A office', staPassword: 'office-pass-a', apSsid: 'sensors-a', apPassword: 'sensor-pass-a' }
const siteB: SiteSettings = { staSsid: 'Plant B', staPassword: 'office-pass-b', apSsid: 'sensors-b', apPassword: 'sensor-pass-b', apChannel: 11 }

describe('pair provisioning', () => {
  it('gives roles 1 and 2, one pair id and one unique sync topic, and keeps each site\'s Wi-Fi', () => {
    const pair = provisionPair(siteA, siteB, seededBytes(1))
    expect(pair.pairId).toMatch(/^[0-9a-f]{16}$/)
    expect([pair.a.role, pair.b.role]).toEqual([1, 2])
    expect(pair.a.syncTopic).toBe(`/topic/serverless_mqtt/${pair.pairId}/`)
    expect(pair.b.syncTopic).toBe(pair.a.syncTopic)
    expect(pair.a).toMatchObject(siteA)
    expect(pair.b).toMatchObject(siteB)
    expect(pairingProblems(pair.a, pair.b)).toEqual([])
  })

  it('gives two pairs different topics (different random draws)', () => {
    const first = provisionPair(siteA, siteB, seededBytes(1))
    const second = provisionPair(siteA, siteB, seededBytes(2))
    expect(first.a.syncTopic).not.toBe(second.a.syncTopic)
    // Same source, same pair: the randomness is the only input that varies.
    expect(provisionPair(siteA, siteB, seededBytes(1)).pairId).toBe(first.pairId)
  })

  it('shares STUN, TURN and signalling settings given at either site', () => {
    const pair = provisionPair(
      { ...siteA, stunHost: 'stun.example.net', stunPort: 3478, turnHost: 'turn.example.net', turnUser: 'u', turnPassword: 'p', syncTopic: '/acme/bridges' },
      { ...siteB, stunHost: 'stun.example.net', signallingUri: 'mqtts://broker.example.net:8883' },
      seededBytes(3),
    )
    for (const config of [pair.a, pair.b]) {
      expect(config).toMatchObject({ stunHost: 'stun.example.net', stunPort: 3478, turnHost: 'turn.example.net', signallingUri: 'mqtts://broker.example.net:8883' })
      expect(config.syncTopic).toBe(`/acme/bridges/${pair.pairId}/`)
    }
  })

  it('uses the esp-peer signalling default when the sites choose webrtc', () => {
    const pair = provisionPair({ ...siteA, peerLibrary: 'webrtc' }, siteB, seededBytes(4))
    expect(pair.b).toMatchObject({ peerLibrary: 'webrtc', signallingUri: 'https://webrtc.espressif.com/join/' })
  })

  it('refuses sites that disagree on a shared setting, without showing secrets', () => {
    expect(() => provisionPair({ ...siteA, stunHost: 'a.example' }, { ...siteB, stunHost: 'b.example' }, seededBytes(5))).toThrow(/different values for "STUN server" \("a.example" and "b.example"\)/)
    let message = ''
    try {
      provisionPair({ ...siteA, turnPassword: 'secret-one' }, { ...siteB, turnPassword: 'secret-two' }, seededBytes(5))
    } catch (error) {
      expect(error).toBeInstanceOf(PairKitError)
      message = (error as Error).message
    }
    expect(message).toMatch(/TURN password/)
    expect(message).not.toMatch(/secret/)
  })

  it('refuses role or pair id in a site file, unknown settings and invalid values, naming the site', () => {
    expect(() => provisionPair({ ...siteA, role: 2 }, siteB, seededBytes(6))).toThrow(/site A sets role/)
    expect(() => provisionPair(siteA, { ...siteB, wifi: 'x' }, seededBytes(6))).toThrow(/site B has unknown settings: wifi/)
    expect(() => provisionPair(siteA, { ...siteB, apPassword: 'short' }, seededBytes(6))).toThrow(/site B is not valid: The IoT network password/)
    expect(() => provisionPair('nope', siteB, seededBytes(6))).toThrow(/site A must be a JSON object/)
  })

  it('writes two NVS images that read back as the two configurations', () => {
    const pair = provisionPair(siteA, siteB, seededBytes(7))
    const images = pairImages(pair, 0x3000)
    const [backA, backB] = [configFromNvsImage(images.a), configFromNvsImage(images.b)]
    expect(backA).toMatchObject({ config: pair.a, problems: [] })
    expect(backB).toMatchObject({ config: pair.b, problems: [] })
    expect(pairingProblems(backA.config, backB.config)).toEqual([])
  })

  it('explains why two configurations would not pair', () => {
    const pair = provisionPair(siteA, siteB, seededBytes(8))
    const problems = pairingProblems(pair.a, { ...pair.b, role: 1, stunPort: 1234, pairId: 'ffffffffffffffff' })
    expect(problems).toContain('both devices have role 1; one must be 1 and the other 2')
    expect(problems.some((problem) => /pair ids differ/.test(problem))).toBe(true)
    expect(problems).toContain('STUN port differs between the devices (19302 and 1234)')
  })
})
