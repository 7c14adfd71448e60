// The twin's shaping of the peer's firmware lines: the firmware's order around gathering, the
// STUN result taken from the srflx candidate, the stock receive bug, and the failure chains.
import { describe, expect, it } from 'vitest'
import { FIRMWARE_MESSAGES, JUICE_MESSAGES } from '../../../src/common/serverless/firmware-log'
import { FirmwareConsole } from '../../../src/main/peer/firmware-console'
import { NO_LOCAL_CLIENT, PeerConsole, type ReceiveQuirk } from '../../../src/twin/firmware/peer-console'
import { classifyPeerError, failurePlan } from '../../../src/twin/firmware/peer-failure'

const SDP = 'a=ice-ufrag:sGdl\r\na=ice-pwd:R4IPGsFctITbT1dCZbfQTL\r\na=ice-options:ice2,trickle\r\n'
const JSON_DESC = `{\n\t"desc":\t${JSON.stringify(SDP)},\n\t"cand0":\t"a=candidate:1 1 UDP 2122317823 192.168.0.40 62703 typ host",\n\t"cand1":\t"a=candidate:2 1 UDP 1686109951 185.194.44.31 62703 typ srflx raddr 0.0.0.0 rport 0"\n}`

/** The console as text lines: ESP records as "L tag: message", libjuice as "file:line: message". */
function harness(receive: ReceiveQuirk = 'forward') {
  const out: string[] = []
  const shaped = new PeerConsole(
    {
      esp: (level, tag, message) => out.push(`${level} ${tag}: ${message}`),
      juice: (_level, file, line, message) => out.push(`${file}:${line}: ${message}`),
      raw: (text) => out.push(text),
    },
    1,
    receive,
  )
  // The peer's own console, as startPeer drives it for a round (src/main/peer/peer.ts).
  const fw = new FirmwareConsole(1, (line) => shaped.line(line))
  return { out, shaped, fw }
}

function gatherRound(fw: FirmwareConsole, json = JSON_DESC): void {
  fw.juice('INFO', JUICE_MESSAGES.stunServer, '127.0.0.1:3478')
  fw.peer('I', FIRMWARE_MESSAGES.desc(SDP))
  fw.juice('INFO', JUICE_MESSAGES.gatheringDone)
  fw.peer('I', FIRMWARE_MESSAGES.gatheringDone)
  fw.peer('I', FIRMWARE_MESSAGES.desc(json))
  fw.peer('I', 'MQTT_EVENT_CONNECTED')
}

describe('PeerConsole', () => {
  it('prints the gathering phase in the firmware order, with the STUN result from the srflx candidate', () => {
    const { out, fw } = harness()
    gatherRound(fw)
    expect(out).toEqual([
      `I serverless_mqtt1: desc: ${SDP}`,
      'agent.c:1100: Changing state to gathering',
      'I serverless_mqtt1: JUICE state change: gathering',
      'agent.c:1100: Changing state to connecting',
      'I serverless_mqtt1: JUICE state change: connecting',
      'agent.c:422: Using STUN server 127.0.0.1:3478',
      'agent.c:1378: STUN server binding successful',
      'agent.c:1397: Got STUN mapped address 185.194.44.31:62703 from server',
      'agent.c:2428: Candidate gathering done',
      'I serverless_mqtt1: Gathering done',
      `I serverless_mqtt1: desc: ${JSON_DESC}`,
      'I serverless_mqtt1: Other event id:7',
      'I serverless_mqtt1: MQTT_EVENT_CONNECTED',
    ])
  })

  it('says the STUN binding failed when gathering found no srflx candidate', () => {
    const { out, fw } = harness()
    gatherRound(fw, '{\n\t"desc":\t"x",\n\t"cand0":\t"a=candidate:1 1 UDP 2122317823 192.168.0.40 62703 typ host"\n}')
    expect(out).toContain('agent.c:841: STUN server binding failed')
    expect(out.some((line) => line.includes('mapped address'))).toBe(false)
  })

  it('turns the peer\'s second "connecting" into the connectivity timer, as libjuice logs it', () => {
    const { out, fw } = harness()
    gatherRound(fw)
    out.length = 0
    fw.peer('I', FIRMWARE_MESSAGES.juiceState('connecting'))
    expect(out).toEqual(['agent.c:2412: Connectivity timer started'])
  })

  it('forwards remote messages by default and drops every one with the stock line under quirks stock', () => {
    for (const receive of ['forward', 'drop-all'] as const) {
      const { out, fw } = harness(receive)
      gatherRound(fw)
      out.length = 0
      fw.bridge('I', FIRMWARE_MESSAGES.forwardTopic('site/a'))
      fw.bridge('I', FIRMWARE_MESSAGES.forwardPayload('21.5'))
      fw.bridge('E', FIRMWARE_MESSAGES.invalidMessage)
      if (receive === 'forward') {
        expect(out).toEqual(['I serverless_mqtt: forwarding remote message: topic:site/a', 'I serverless_mqtt: forwarding remote message: payload:21.5', 'E serverless_mqtt: Received invalid message'])
      } else {
        expect(out).toEqual([`I serverless_mqtt1: ${NO_LOCAL_CLIENT}`, `I serverless_mqtt1: ${NO_LOCAL_CLIENT}`])
      }
    }
  })

  it('prints held lines when a round fails before its description', () => {
    const { out, fw, shaped } = harness()
    fw.juice('INFO', JUICE_MESSAGES.stunServer, 'stun.example.com:19302')
    expect(out).toEqual([])
    shaped.flush()
    expect(out).toEqual(['agent.c:422: Using STUN server stun.example.com:19302'])
  })

  it('passes printf lines through unchanged', () => {
    const { out, fw } = harness()
    gatherRound(fw)
    out.length = 0
    fw.raw('TOPIC=/topic/serverless_mqtt2')
    expect(out).toEqual(['TOPIC=/topic/serverless_mqtt2'])
  })
})

describe('peer failures', () => {
  it('reads the peer errors as the firmware failures', () => {
    expect(classifyPeerError('Failed to connect to the sync broker: connect ECONNREFUSED 127.0.0.1:1')).toBe('sync-connect')
    expect(classifyPeerError('The other peer did not answer the sync handshake within 61 s')).toBe('sync-timeout')
    expect(classifyPeerError("The other peer's description did not arrive within 10 s of the sync")).toBe('description-timeout')
    expect(classifyPeerError('ICE found no working candidate pair within 40 s')).toBe('ice-timeout')
    expect(classifyPeerError('No IPv4 address to gather ICE candidates on')).toBe('gathering')
    expect(classifyPeerError('The signalling broker closed the connection during the handshake')).toBe('sync-lost')
  })

  it('deep-sleeps after setup errors and restarts at once after an ICE failure', () => {
    const sync = failurePlan('sync-timeout', 2)
    expect(sync.then).toBe('deep-sleep')
    expect(sync.records.map((r) => `${r.kind === 'esp' ? r.tag : r.file}: ${r.message}`)).toEqual([
      'serverless_mqtt2: peer_init(266): Failed to sync with the other peer',
      'serverless_mqtt: app_main(87): Failed to init peer library',
      'serverless_mqtt: Non recoverable error, going to sleep for some time (random, max 20s)',
    ])
    const ice = failurePlan('ice-timeout', 1)
    expect(ice.then).toBe('restart')
    expect(ice.records.map((r) => r.message)).toEqual(['Connectivity timer expired', 'Changing state to failed', 'JUICE state change: failed'])
    expect(failurePlan('ice-failed', 1)).toEqual({ records: [], then: 'restart' })
  })
})
