import { describe, expect, it } from 'vitest'
import { formatCandidateLine, formatIceDescription, parseCandidateLine, parseIceDescription } from '../../../src/common/serverless/ice-description'
import { randomBytes, seededRandom } from './seeded-random'

// Reference §3.5 (ESP output) and §10.9 (werift output) examples.
const ESP_HOST = 'a=candidate:1 1 UDP 2122317823 192.168.0.40 62703 typ host'
const ESP_SRFLX = 'a=candidate:2 1 UDP 1686109951 185.194.44.31 62703 typ srflx raddr 0.0.0.0 rport 0'
const ESP_DESC = 'a=ice-ufrag:sGdl\r\na=ice-pwd:R4IPGsFctITbT1dCZbfQTL\r\na=ice-options:ice2,trickle\r\n'

describe('ICE description', () => {
  it('reads the ESP desc and writes the same three CRLF lines', () => {
    const parsed = parseIceDescription(ESP_DESC)
    expect(parsed).toMatchObject({ ok: true, ufrag: 'sGdl', pwd: 'R4IPGsFctITbT1dCZbfQTL', iceLite: false, endOfCandidates: false })
    expect(formatIceDescription({ ufrag: 'sGdl', pwd: 'R4IPGsFctITbT1dCZbfQTL' })).toBe(ESP_DESC)
    expect(formatIceDescription({ ufrag: 'a', pwd: 'b' })).not.toContain('end-of-candidates')
  })

  it('finds candidates, ice-lite and end-of-candidates inside desc, and requires ufrag and pwd', () => {
    const parsed = parseIceDescription(`a=ice-lite\na=ice-ufrag:u\na=ice-pwd:p\n${ESP_HOST}\na=end-of-candidates\n`)
    expect(parsed).toMatchObject({ ok: true, iceLite: true, endOfCandidates: true, candidateLines: [ESP_HOST] })
    expect(parseIceDescription('a=ice-pwd:p')).toMatchObject({ ok: false, reason: 'missing-ufrag' })
    expect(parseIceDescription('a=ice-ufrag:u\r\n')).toMatchObject({ ok: false, reason: 'missing-pwd' })
  })
})

describe('candidate lines', () => {
  it('parses the ESP host and srflx lines and writes them back unchanged', () => {
    for (const line of [ESP_HOST, ESP_SRFLX]) {
      const parsed = parseCandidateLine(line)
      expect(parsed.ok).toBe(true)
      if (parsed.ok) expect(formatCandidateLine(parsed.candidate)).toBe(line)
    }
    expect(parseCandidateLine(ESP_SRFLX)).toMatchObject({ candidate: { type: 'srflx', priority: 1686109951, address: '185.194.44.31', port: 62703 } })
  })

  it('accepts werift lines with lower-case udp and trailing tokens, as libjuice does', () => {
    const line = 'a=candidate:6815297761 1 udp 659136 1.2.3.4 31102 typ srflx raddr 10.0.0.2 rport 5000 generation 0 ufrag b7l3'
    expect(parseCandidateLine(line)).toMatchObject({ ok: true, candidate: { relatedAddress: '10.0.0.2', relatedPort: 5000 } })
  })

  it.each([
    ['no-prefix', '1 1 UDP 2122317823 192.168.0.40 62703 typ host'],
    ['too-few-fields', 'a=candidate:1 1 UDP 2122317823 192.168.0.40 62703'],
    ['not-udp', 'a=candidate:1 1 TCP 2122317823 192.168.0.40 62703 typ host'],
    ['prflx-ignored', 'a=candidate:1 1 UDP 2122317823 192.168.0.40 62703 typ prflx'],
    ['unknown-type', 'a=candidate:1 1 UDP 2122317823 192.168.0.40 62703 typ magic'],
    ['not-numeric-ipv4', 'a=candidate:1 1 UDP 2122317823 3f2a1b.local 62703 typ host'],
    ['not-numeric-ipv4', 'a=candidate:1 1 UDP 2122317823 fe80::1 62703 typ host'],
    ['bad-number', 'a=candidate:1 1 UDP 99999999999 192.168.0.40 62703 typ host'],
    ['bad-number', 'a=candidate:1 1 UDP 2122317823 192.168.0.40 70000 typ host'],
    ['field-too-long', `a=candidate:${'f'.repeat(40)} 1 UDP 1 1.2.3.4 5 typ host`],
    ['field-too-long', `a=candidate:1 1 UDP 1 1.2.3.4 5 typ host ${'x'.repeat(600)}`],
  ])('reports %s', (reason, line) => {
    expect(parseCandidateLine(line)).toMatchObject({ ok: false, reason })
  })

  it('survives seeded fuzzing of candidate lines and descriptions', () => {
    const random = seededRandom(42)
    for (let i = 0; i < 3000; i++) {
      const chars = [...ESP_SRFLX]
      const edits = 1 + Math.floor(random() * 4)
      for (let e = 0; e < edits; e++) chars[Math.floor(random() * chars.length)] = String.fromCharCode(32 + Math.floor(random() * 95))
      const line = i % 3 === 0 ? new TextDecoder().decode(randomBytes(random, Math.floor(random() * 100))) : chars.join('').slice(0, Math.floor(random() * 120))
      const parsed = parseCandidateLine(line)
      if (parsed.ok) expect(parseCandidateLine(formatCandidateLine(parsed.candidate)).ok).toBe(true)
      else expect(typeof parsed.reason).toBe('string')
      expect(() => parseIceDescription(line)).not.toThrow()
    }
  })
})
