import { describe, expect, it } from 'vitest'
import { FIRMWARE_MESSAGES, formatEspLog, formatJuiceLog, parseEspLog, parseJuiceLog } from '../../../src/common/serverless/firmware-log'

describe('firmware log lines', () => {
  it('formats ESP-IDF records as the firmware prints them', () => {
    expect(formatEspLog({ level: 'I', timestamp: 1234, tag: 'serverless_mqtt1', message: FIRMWARE_MESSAGES.syncDone })).toBe('I (1234) serverless_mqtt1: Sync done')
    expect(FIRMWARE_MESSAGES.handleQos(1, false)).toBe('handle_message qos=1, retain=0')
  })

  it('formats libjuice records with the level padded to 7 characters plus a space', () => {
    expect(formatJuiceLog({ level: 'INFO', seconds: 4.7, file: 'agent.c', line: 1100, message: 'Changing state to connected' })).toBe('00:00:04 INFO    agent.c:1100: Changing state to connected')
    expect(formatJuiceLog({ level: 'WARN', seconds: 3723, file: 'agent.c', line: 979, message: 'Lost connectivity' })).toBe('01:02:03 WARN    agent.c:979: Lost connectivity')
  })

  it('parses real device lines, with and without colours', () => {
    expect(parseEspLog('\x1b[0;32mI (5678) serverless_mqtt2: Peer is connected!\x1b[0m')).toEqual({ level: 'I', timestamp: 5678, tag: 'serverless_mqtt2', message: 'Peer is connected!' })
    expect(parseEspLog('E (1234) serverless_mqtt1: sync_peers(176): Failed to connect to the sync broker')?.message).toBe('sync_peers(176): Failed to connect to the sync broker')
    expect(parseEspLog('I (12:01:02.345) wifi:connected')).toMatchObject({ timestamp: '12:01:02.345', tag: 'wifi', message: 'connected' })
    expect(parseJuiceLog('\x1b[93m00:00:31 WARN    agent.c:1303: ICE role conflict (both controlling)\x1b[0m\x1b[0K')).toEqual({ level: 'WARN', seconds: 31, file: 'agent.c', line: 1303, message: 'ICE role conflict (both controlling)' })
    expect(parseEspLog('TOPIC=/topic/serverless_mqtt1')).toBeUndefined()
    expect(parseJuiceLog('I (1) x: y')).toBeUndefined()
  })

  it('round-trips its own output', () => {
    const esp = { level: 'W' as const, timestamp: 99, tag: 'serverless_mqtt', message: 'handle_message topic:a/b' }
    expect(parseEspLog(formatEspLog(esp))).toEqual(esp)
    const juice = { level: 'ERROR' as const, seconds: 61, file: 'agent.c', line: 595, message: 'Send while ICE is not connected' }
    expect(parseJuiceLog(formatJuiceLog(juice))).toEqual(juice)
  })
})
