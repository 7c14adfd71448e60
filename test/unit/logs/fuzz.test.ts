// Seeded fuzzing of LogParser: whatever the bytes (random, real lines cut and re-chunked, broken
// UTF-8, a 1 MB line, ANSI sequences cut in the middle), it never throws, every event matches the
// schema, and nothing is dropped: the events' source lines give back the input (accountedText =
// expectedText, see log-helpers.ts for the exact definition).
import { describe, expect, it } from 'vitest'
import { LogParser, type LogEvent } from '../../../src/common/logs'
import { randomBytes, seededRandom } from '../serverless/seeded-random'
import { accountedText, colourise, crlf, expectedText, fixture, parseInChunks } from './log-helpers'

/** Lines of every format, as a device prints them. */
const REAL_LINES = [
  ...crlf(colourise(fixture('readme-libjuice.txt'))).split('\r\n'),
  ...crlf(colourise(fixture('readme-esp-peer.txt'))).split('\r\n'),
  'I (9100) serverless_mqtt: handle_message topic:site/temp',
  'I (9101) serverless_mqtt: handle_message data:21.5',
  'I (9102) serverless_mqtt: handle_message qos=1, retain=0',
  'I (9300) serverless_mqtt: forwarding remote message: topic:site/cmd',
  'I (9301) serverless_mqtt: forwarding remote message: payload:ON',
  'I (9400) serverless_mqtt1: No local mqtt client, dropping data',
  'TOPIC=/topic/serverless_mqtt2',
  'DATA={',
  '\t"desc":\t"a=ice-ufrag:AbCd\\r\\n",',
  '}',
  'desc->valuestring:a=ice-ufrag:AbCd',
  'a=ice-pwd:0123456789012345678901',
  '',
  'cand0: cand->valuestring:a=candidate:1 1 UDP 2122317823 192.168.1.9 50000 typ host',
  '\x1b[93m00:00:05 WARN    agent.c:1303: ICE role conflict (both controlling)\x1b[0m\x1b[0K',
  '00:00:45 INFO    agent.c:1076: Connectivity timer expired',
  "Guru Meditation Error: Core  0 panic'ed (LoadProhibited). Exception was unhandled.",
  'Backtrace: 0x400d2f3b:0x3ffb5e60 0x400d2f61:0x3ffb5e90',
  'Rebooting...',
  'ets Jun  8 2016 00:22:57',
  'rst:0xc (SW_CPU_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)',
  '\x1b[0;31mE (22000) serverless_mqtt1: sync_peers(176): Failed to sync after 61 seconds\x1b[0m',
  '\x1b[0;31mE (9000) serverless_mqtt: Non recoverable error, going to sleep for some time (random, max 20s)\x1b[0m',
]
const BREAKS = ['\n', '\r\n', '\r', '\r\r\n']

function chunkSizes(random: () => number, count = 50): number[] {
  return Array.from({ length: count }, () => 1 + Math.floor(random() * (random() < 0.3 ? 8 : 600)))
}

/** The events as plain data, to compare parses of the same input. */
function plain(events: LogEvent[]): unknown[] {
  return events.map((event) => JSON.parse(JSON.stringify(event)) as unknown)
}

function checkAccounted(input: Uint8Array | string, events: LogEvent[]): void {
  expect(accountedText(events)).toBe(expectedText(input))
}

describe('LogParser fuzzing', () => {
  it('never throws on random bytes and accounts for all of them', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const random = seededRandom(seed)
      // Some inputs with many line breaks and escape characters, some with few.
      const bytes = randomBytes(random, 1 + Math.floor(random() * 20_000))
      if (seed % 2 === 0) for (let i = 0; i < bytes.length; i += 1 + Math.floor(random() * 40)) bytes[i] = [0x0a, 0x0d, 0x1b, 0x5b][Math.floor(random() * 4)] as number
      const events = parseInChunks(bytes, chunkSizes(random))
      checkAccounted(bytes, events)
    }
  })

  it('gives the same events for real lines however they are cut into chunks, with any line breaks', () => {
    for (let seed = 1; seed <= 25; seed++) {
      const random = seededRandom(1000 + seed)
      const lines = Array.from({ length: 300 }, () => REAL_LINES[Math.floor(random() * REAL_LINES.length)] as string)
      const text = lines.map((line) => line + BREAKS[Math.floor(random() * BREAKS.length)]).join('')
      const whole = parseInChunks(text)
      const chunked = parseInChunks(text, chunkSizes(random))
      expect(plain(chunked)).toEqual(plain(whole))
      checkAccounted(text, chunked)
      expect(whole.filter((event) => event.kind !== 'raw').length).toBeGreaterThan(100)
    }
  })

  it('reads real lines cut at random points, with bytes lost or garbled, without losing a byte of what arrived', () => {
    for (let seed = 1; seed <= 25; seed++) {
      const random = seededRandom(2000 + seed)
      const bytes: number[] = []
      for (let i = 0; i < 200; i++) {
        const line = new TextEncoder().encode((REAL_LINES[Math.floor(random() * REAL_LINES.length)] as string) + '\r\n')
        // A line cut short (a reset in the middle of printing), or with bytes turned into invalid UTF-8.
        const keep = random() < 0.2 ? Math.floor(random() * line.length) : line.length
        for (let k = 0; k < keep; k++) bytes.push(random() < 0.01 ? 0x80 + Math.floor(random() * 0x80) : (line[k] as number))
      }
      const input = Uint8Array.from(bytes)
      checkAccounted(input, parseInChunks(input, chunkSizes(random)))
    }
  })

  it('survives ANSI sequences cut in the middle', () => {
    const random = seededRandom(3000)
    const fragments = ['\x1b', '\x1b[', '\x1b[0;3', '\x1b[0;31', '\x1b[9', '\x1b[0m\x1b[0']
    let text = ''
    for (let i = 0; i < 400; i++) {
      const line = REAL_LINES[Math.floor(random() * REAL_LINES.length)] as string
      const at = Math.floor(random() * (line.length + 1))
      text += line.slice(0, at) + (random() < 0.5 ? fragments[Math.floor(random() * fragments.length)] : '') + line.slice(at) + '\r\n'
    }
    const events = parseInChunks(text, chunkSizes(random))
    checkAccounted(text, events)
  })

  it('reads a 1 MB line in pieces with bounded memory, and the lines around it normally', () => {
    const random = seededRandom(4000)
    let long = 'I (5000) serverless_mqtt: handle_message data:'
    while (long.length < 1_000_000) long += random() < 0.01 ? '\x1b[0;32m€' : String.fromCharCode(0x41 + Math.floor(random() * 26))
    const text = `I (4999) serverless_mqtt1: Sync done\r\n${long}\r\nI (5001) serverless_mqtt1: Peer is connected!\r\n`
    const bytes = new TextEncoder().encode(text)
    const parser = new LogParser()
    const events: LogEvent[] = []
    for (let offset = 0; offset < bytes.length; offset += 4096) events.push(...parser.push(bytes.subarray(offset, offset + 4096)))
    events.push(...parser.flush())
    const pieces = events.filter((event) => event.kind === 'raw' && event.continued)
    expect(pieces.length).toBeGreaterThanOrEqual(Math.floor(1_000_000 / 65536))
    for (const event of events) for (const line of event.source ?? []) expect(line.length).toBeLessThanOrEqual(65536)
    expect(events[0]).toMatchObject({ kind: 'signalling', event: 'sync-done' })
    expect(events.at(-1)).toMatchObject({ kind: 'peer', event: 'connected' })
    checkAccounted(text, events)
  })
})
