// A payload hashes the same whether it comes from an MQTT subscriber (bytes) or from the
// firmware's console as the log parser reads it back (text): checked through the real LogParser
// on console bytes made the way the firmware makes them ("%.*s", then "\n" → "\r\n").
import { describe, expect, it } from 'vitest'
import { MONITOR_LIMITS } from '../../../src/common/contract/monitor'
import { LogParser, type LogEventOf } from '../../../src/common/logs'
import { byteHash, consoleText, textHash } from '../../../src/common/traffic/payload-hash'

const enc = new TextEncoder()

function consoleBytes(topic: string, payload: Uint8Array): Uint8Array {
  // printf("%.*s") stops at a NUL; the console turns every "\n" into "\r\n".
  const nul = payload.indexOf(0)
  const printed = nul >= 0 ? payload.subarray(0, nul) : payload
  const out: number[] = [...enc.encode(`I (100) serverless_mqtt: handle_message topic:${topic}\r\nI (100) serverless_mqtt: handle_message data:`)]
  for (const byte of printed) {
    if (byte === 10) out.push(13)
    out.push(byte)
  }
  out.push(...enc.encode('\r\nI (101) serverless_mqtt: handle_message qos=0, retain=0\r\n'))
  return Uint8Array.from(out)
}

function parsedPayload(topic: string, payload: Uint8Array): string {
  const events = new LogParser().push(consoleBytes(topic, payload))
  const forward = events.find((event): event is LogEventOf<'forward'> => event.kind === 'forward')
  expect(forward?.topic).toBe(topic)
  return forward?.payload ?? ''
}

describe('payload hashes', () => {
  it.each([
    ['plain text', enc.encode('21.5')],
    ['JSON over several lines', enc.encode('{\n  "state": "open",\n  "since": 12\n}')],
    ['Windows line ends', enc.encode('first\r\nsecond\r\n')],
    ['a NUL inside', Uint8Array.from([0x68, 0x69, 0x00, 0x7a, 0x7a])],
    ['invalid UTF-8', Uint8Array.from([0x41, 0xff, 0xfe, 0x42, 0xc3])],
    ['UTF-8 text', enc.encode('Température 21,5 °C ✓')],
  ])('match between MQTT bytes and the console line for %s', (_name, payload) => {
    const text = parsedPayload('site/x', payload)
    expect(consoleText(payload)).toBe(text)
    expect(textHash(payload)).toBe(textHash(text))
  })

  it('match a long payload whose console lines the monitor cut, on the sending and the receiving side', () => {
    // The firmware's largest message: the monitor cuts both lines at 4096 characters, at
    // different places in the payload (their prefixes differ).
    const payload = enc.encode('x'.repeat(4000) + 'tail that no cut line keeps'.repeat(2))
    const cut = (line: string) => {
      const events = new LogParser({ lineCap: MONITOR_LIMITS.lineChars }).push(enc.encode(line))
      return events.find((event): event is LogEventOf<'forward'> => event.kind === 'forward')?.payload ?? ''
    }
    const text = new TextDecoder().decode(payload)
    const sent = cut(`I (100) serverless_mqtt: handle_message topic:site/big\r\nI (100) serverless_mqtt: handle_message data:${text}\r\nI (101) serverless_mqtt: handle_message qos=0, retain=0\r\n`)
    const received = cut(`I (200) serverless_mqtt: forwarding remote message: topic:site/big\r\nI (200) serverless_mqtt: forwarding remote message: payload:${text}\r\n`)
    expect(sent.length).toBeLessThan(payload.length)
    expect(received.length).toBeLessThan(payload.length)
    expect(sent.length).not.toBe(received.length)
    expect(textHash(sent)).toBe(textHash(payload))
    expect(textHash(received)).toBe(textHash(payload))
  })

  it('tell apart payloads that differ in one byte or in length', () => {
    const seen = new Set<number>()
    for (let i = 0; i < 2000; i++) seen.add(byteHash(enc.encode(`payload ${i}`)))
    seen.add(byteHash(new Uint8Array(0)))
    seen.add(byteHash(new Uint8Array(1)))
    seen.add(byteHash(new Uint8Array(2)))
    expect(seen.size).toBe(2003)
    expect(Number.isSafeInteger(byteHash(enc.encode('x')))).toBe(true)
  })
})
