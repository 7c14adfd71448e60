// Each diagnosis rule fires on real-looking firmware output of its failure and stays quiet on a
// healthy log.
import { describe, expect, it } from 'vitest'
import { Diagnoser, diagnose, diagnosePair, FindingSchema, type Finding } from '../../../src/common/diagnosis'
import { LogParser, parseLog, peerEventToLogEvents, type LogEvent } from '../../../src/common/logs'
import type { PeerEvent } from '../../../src/common/serverless/peer-events'
import { crlf, fixture } from '../logs/log-helpers'
import { consoleText, HOST_A, HOST_B, juiceRound, romReset, SRFLX_A, SRFLX_B, type RoundOptions } from './device-log'

function findings(lines: string[], options?: Parameters<typeof diagnose>[1]): Finding[] {
  const result = diagnose(parseLog(consoleText(lines)), options)
  for (const finding of result) FindingSchema.parse(finding)
  return result
}

const ids = (list: Finding[]) => list.map((finding) => `${finding.severity}:${finding.id}`)

const HEALTHY: RoundOptions = { ufrag: 'AAAA', local: [HOST_A, SRFLX_A], remote: [HOST_B, SRFLX_B], outcome: 'connected', received: [{ topic: 'site/cmd', payload: 'ON' }] }

describe('diagnosis on healthy logs', () => {
  it('finds nothing in the README\'s two device outputs and in a connected round', () => {
    expect(diagnose(parseLog(crlf(fixture('readme-libjuice.txt'))))).toEqual([])
    expect(diagnose(parseLog(crlf(fixture('readme-esp-peer.txt'))))).toEqual([])
    expect(findings([...romReset('power-on'), ...juiceRound(HEALTHY)])).toEqual([])
  })
})

describe('each rule', () => {
  it('no-srflx: the STUN binding failed, or gathering timed out, and a srflx candidate never came', () => {
    const failed = findings(juiceRound({ ...HEALTHY, local: [HOST_A], stun: 'failed' }))
    expect(ids(failed)).toEqual(['warning:no-srflx'])
    expect(failed[0]?.title).toBe('No server-reflexive candidate: the STUN server stun.l.google.com did not answer')
    expect(failed[0]?.action).toMatch(/^Check that the network lets UDP out to the STUN server stun\.l\.google\.com/)
    expect(failed[0]?.evidence.map((item) => item.summary)).toEqual(['server stun.l.google.com:19302', 'binding-failed', 'local host 192.168.0.40:62703 prio 2122317823'])
    expect(failed[0]?.evidence.every((item) => typeof item.sourceLine === 'number')).toBe(true)
    expect(ids(findings(juiceRound({ ...HEALTHY, outcome: 'gathering-timeout' })))).toEqual(['warning:no-srflx'])
    // Host candidates only, with no STUN server set (a practice setup on one machine): nothing wrong.
    const noStun: PeerEvent[] = [
      { at: 1, type: 'ice-state', state: 'gathering', controlling: false },
      { at: 2, type: 'local-candidate', candidate: HOST_B },
    ]
    expect(diagnose(noStun.flatMap(peerEventToLogEvents))).toEqual([])
  })

  it('signalling-broker-unreachable: sync_peers could not connect, or the connection failed before it was up', () => {
    const result = findings(juiceRound({ ...HEALTHY, outcome: 'broker-unreachable' }))
    expect(ids(result)).toEqual(['error:signalling-broker-unreachable'])
    expect(result[0]?.action).toMatch(/CONFIG_EXAMPLE_MQTT_BROKER_URI/)
    const dropped = findings([
      'I (5000) serverless_mqtt1: MQTT_EVENT_ERROR',
      'I (5001) serverless_mqtt1: MQTT_EVENT_DISCONNECTED',
      'E (5002) serverless_mqtt1: sync_peers(176): Failed to sync with the other peer',
    ])
    expect(ids(dropped)).toEqual(['error:signalling-broker-unreachable'])
    // The same failure after the client was connected is not the broker being out of reach.
    expect(findings(['I (5000) serverless_mqtt1: MQTT_EVENT_CONNECTED', 'I (6000) serverless_mqtt1: MQTT_EVENT_DISCONNECTED', 'E (6002) serverless_mqtt1: sync_peers(176): Failed to sync with the other peer'])).toEqual([])
    const peer = diagnose(peerEventToLogEvents({ at: 5, type: 'signalling', step: 'failed', attempt: 1, detail: 'Failed to connect to the sync broker within 10 s' }))
    expect(ids(peer)).toEqual(['error:signalling-broker-unreachable'])
  })

  it('sync-unanswered: 61 s without an answer to the handshake', () => {
    const result = findings(juiceRound({ ...HEALTHY, outcome: 'sync-timeout' }))
    expect(ids(result)).toEqual(['error:sync-unanswered'])
    expect(result[0]?.action).toMatch(/one device has role PEER1 and the other PEER2/)
  })

  it('description-timeout: no description within 10 s of the sync', () => {
    expect(ids(findings(juiceRound({ ...HEALTHY, outcome: 'description-timeout' })))).toEqual(['error:description-timeout'])
  })

  it('connectivity-failed: ICE failed before it was ever connected', () => {
    const result = findings(juiceRound({ ...HEALTHY, outcome: 'checks-failed' }))
    expect(ids(result)).toEqual(['error:connectivity-failed'])
    expect(result[0]?.action).toMatch(/TURN relay is needed/)
    expect(result[0]?.evidence.map((item) => item.summary)).toEqual(['timer-expired'])
  })

  it('consent-lost: ICE failed after it was connected', () => {
    const result = findings(juiceRound({ ...HEALTHY, outcome: 'consent-lost' }))
    expect(ids(result)).toEqual(['warning:consent-lost'])
    expect(result[0]?.evidence.map((item) => item.summary)).toEqual(['consent-expired'])
  })

  it('reboot-loop: 3 reboots within 5 minutes by default, configurable, power-on resets not counted', () => {
    const failing = (n: number) => Array.from({ length: n }, (_, i) => [...romReset(i === 0 ? 'power-on' : 'software'), ...juiceRound({ ...HEALTHY, ufrag: `R${i}xx`, outcome: 'checks-failed' })]).flat()
    const three = findings(failing(3))
    expect(ids(three)).toEqual(['error:connectivity-failed', 'error:reboot-loop'])
    expect(three[1]?.title).toBe('The device rebooted 3 times within 5 minutes (ice-failure)')
    expect(ids(findings(failing(2)))).toEqual(['error:connectivity-failed'])
    expect(ids(findings(failing(2), { rebootLoop: { reboots: 2, minutes: 1 } }))).toEqual(['error:connectivity-failed', 'error:reboot-loop'])
  })

  it('reboot-loop: uses the host time the monitor stamped, so reboots far apart are not a loop', () => {
    const round = (i: number) => consoleText([...romReset('software'), ...juiceRound({ ...HEALTHY, ufrag: `H${i}xx`, outcome: 'checks-failed' })])
    const run = (gapMs: number) => {
      const parser = new LogParser()
      const events: LogEvent[] = []
      for (let i = 0; i < 4; i++) events.push(...parser.push(round(i), 1_700_000_000_000 + i * gapMs))
      events.push(...parser.flush())
      return ids(diagnose(events))
    }
    expect(run(60_000)).toContain('error:reboot-loop')
    expect(run(10 * 60_000)).not.toContain('error:reboot-loop')
  })

  it('stock-receive-bug: every received datagram dropped, and only then', () => {
    const bug = findings(juiceRound({ ...HEALTHY, received: [1, 2, 3].map((n) => ({ topic: `t/${n}`, payload: 'x' })), receiveBug: true }))
    expect(ids(bug)).toEqual(['error:stock-receive-bug'])
    expect(bug[0]?.title).toBe('Every message from the other device was dropped (3 × "No local mqtt client, dropping data")')
    expect(bug[0]?.count).toBe(3)
    expect(findings(juiceRound(HEALTHY))).toEqual([])
    // One message that did arrive means the drops have another cause.
    expect(findings([...juiceRound({ ...HEALTHY, receiveBug: true }), 'I (9000) serverless_mqtt: forwarding remote message: topic:a', 'I (9001) serverless_mqtt: forwarding remote message: payload:b'])).toEqual([])
  })

  it('wifi-association: a failed join is an error, a slow one a warning, a few retries nothing', () => {
    const retries = (n: number) => Array.from({ length: n }, (_, i) => `I (${1000 + i * 1000}) serverless_wifi: retry to connect to the AP`)
    const failed = findings([...retries(30), 'I (31000) serverless_wifi: Connect to the AP fail', 'E (31001) serverless_wifi: wifi_connect(95): Failed to obtain IP address from WiFi station'])
    expect(ids(failed)).toEqual(['error:wifi-association'])
    expect(failed[0]?.action).toMatch(/2\.4 GHz/)
    expect(ids(findings([...retries(6), 'I (7000) serverless_wifi: Got ip:192.168.1.50']))).toEqual(['warning:wifi-association'])
    expect(findings([...retries(2), 'I (3000) serverless_wifi: Got ip:192.168.1.50'])).toEqual([])
    // Still retrying when the log ends.
    expect(ids(findings(retries(8)))).toEqual(['error:wifi-association'])
  })

  it('panic: one finding per kind of crash, with its backtrace as evidence', () => {
    const panic = ["Guru Meditation Error: Core  0 panic'ed (LoadProhibited). Exception was unhandled.", 'Backtrace: 0x400d2f3b:0x3ffb5e60 0x400d2f61:0x3ffb5e90', 'Rebooting...', ...romReset('software')]
    const result = findings([...panic, ...panic, 'abort() was called at PC 0x40081a2b on core 1'])
    expect(ids(result)).toEqual(['error:panic', 'error:panic'])
    expect(result[0]?.title).toBe('The firmware crashed: LoadProhibited (2 times)')
    expect(result[0]?.evidence.map((item) => item.kind)).toEqual(['panic', 'backtrace', 'panic', 'backtrace'])
    expect(result[1]?.title).toBe('The firmware crashed: abort')
  })
})

describe('Diagnoser', () => {
  it('gives findings while events still come, without counting one twice', () => {
    const diagnoser = new Diagnoser()
    const events = parseLog(consoleText(juiceRound({ ...HEALTHY, local: [HOST_A], stun: 'failed' })))
    for (const event of events) {
      diagnoser.push(event)
      diagnoser.findings()
    }
    expect(diagnoser.findings().map((finding) => [finding.id, finding.count])).toEqual([['no-srflx', 1]])
  })

  it('labels a pair\'s findings with the device they belong to', () => {
    const a = parseLog(consoleText(juiceRound({ ...HEALTHY, outcome: 'checks-failed' })))
    const b = parseLog(consoleText(juiceRound({ ...HEALTHY, role: 2, outcome: 'checks-failed' })))
    expect(diagnosePair({ name: 'roof', events: a }, { name: 'cellar', events: b }).map((finding) => [finding.device, finding.id, finding.evidence[0]?.device])).toEqual([
      ['roof', 'connectivity-failed', 'roof'],
      ['cellar', 'connectivity-failed', 'cellar'],
    ])
  })
})
