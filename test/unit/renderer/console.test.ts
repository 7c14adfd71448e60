// The Monitor view's consoles in the page: each line's level and tag from its own prefix (or its
// colour), the filter, a bounded buffer that keeps the filtered view current as lines come and go,
// search, and a session's exact counts (received here + missed = the backend's count).
import { describe, expect, it } from 'vitest'
import type { MonitorLine, MonitorLinesEvent } from '../../../src/common/contract'
import { ConsoleBuffer, findMatches, FrozenLines } from '../../../src/renderer/src/data/console-buffer'
import { ALL_LEVELS, consoleLine, consoleText, passesFilter, type ConsoleFilter } from '../../../src/renderer/src/data/console-line'
import { SessionFeed } from '../../../src/renderer/src/data/session-feed'

const line = (seq: number, text: string, extra: Partial<MonitorLine> = {}): MonitorLine => ({ seq, hostTime: Date.UTC(2030, 0, 1, 12, 0, 0, seq), text, ...extra })
const filter = (levels: string[], tag = ''): ConsoleFilter => ({ levels: new Set(levels) as ConsoleFilter['levels'], tag })

describe('console lines', () => {
  it('takes level and tag from ESP-IDF, libjuice and mosquitto prefixes, and the level from the colour otherwise', () => {
    expect(consoleLine(line(1, 'W (1234) serverless_mqtt1: Waiting for the other peer...'))).toMatchObject({ level: 'W', tag: 'serverless_mqtt1' })
    expect(consoleLine(line(2, 'I (12:03:04.567) boot: ESP-IDF v5.2'))).toMatchObject({ level: 'I', tag: 'boot' })
    expect(consoleLine(line(3, '00:00:01 WARN    agent.c:979: Lost connectivity'))).toMatchObject({ level: 'W', tag: 'agent.c' })
    expect(consoleLine(line(4, '00:00:00 INFO    agent.c:1100: Changing state to gathering'))).toMatchObject({ level: 'I', tag: 'agent.c' })
    expect(consoleLine(line(5, '1: New client connected from 127.0.0.1:36822 as local_mqtt'))).toMatchObject({ tag: 'mosquitto' })
    expect(consoleLine(line(5, '1: New client connected from 127.0.0.1:36822 as local_mqtt')).level).toBeUndefined()
    expect(consoleLine(line(6, 'Guru Meditation Error: Core  0 panic\'ed (LoadProhibited)', { colour: 'red' }))).toMatchObject({ level: 'E' })
    expect(consoleLine(line(7, 'rst:0xc (SW_CPU_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)'))).toEqual({ seq: 7, hostTime: line(7, '').hostTime, text: 'rst:0xc (SW_CPU_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)', marker: false })
    expect(consoleLine(line(8, '— port handed to the flasher (flash) —', { marker: true }))).toEqual({ seq: 8, hostTime: line(8, '').hostTime, text: '— port handed to the flasher (flash) —', marker: true })
  })

  it('filters by level (lines without one under "other") and by tag, and always shows PairKit\'s own lines', () => {
    const error = consoleLine(line(1, 'E (10) serverless_mqtt1: sync_peers(176): Failed to connect to the sync broker'))
    const info = consoleLine(line(2, 'I (11) boot: Loaded app'))
    const rom = consoleLine(line(3, 'ets Jun  8 2016 00:22:57'))
    const marker = consoleLine(line(4, '— the port went away: check the cable —', { marker: true }))
    const errorsOnly = filter(['E'])
    expect([error, info, rom, marker].filter((item) => passesFilter(item, errorsOnly))).toEqual([error, marker])
    expect([error, info, rom].filter((item) => passesFilter(item, filter(['other'])))).toEqual([rom])
    expect([error, info, rom].filter((item) => passesFilter(item, { levels: ALL_LEVELS, tag: 'SERVERLESS' }))).toEqual([error])
  })

  it('saves the lines as text, with this computer\'s time when asked', () => {
    const lines = [consoleLine(line(5, 'I (1) boot: a')), consoleLine(line(6, 'b'))]
    expect(consoleText(lines, false)).toBe('I (1) boot: a\nb\n')
    expect(consoleText(lines, true)).toMatch(/^\d\d:\d\d:\d\d\.005 I \(1\) boot: a\n\d\d:\d\d:\d\d\.006 b\n$/)
  })
})

describe('console buffer', () => {
  it('keeps the newest lines only, and the filtered view follows as old lines leave', () => {
    const buffer = new ConsoleBuffer(10)
    buffer.setFilter(filter(['E']))
    const lines = Array.from({ length: 25 }, (_, index) => consoleLine(line(index + 1, `${index % 3 === 0 ? 'E' : 'I'} (${index}) tag: line ${index}`)))
    for (let at = 0; at < lines.length; at += 4) buffer.append(lines.slice(at, at + 4))
    expect(buffer.kept).toBe(10)
    expect(buffer.all().map((item) => item.seq)).toEqual([16, 17, 18, 19, 20, 21, 22, 23, 24, 25])
    // Errors are every third line (index 0, 3, 6 …): of seq 16–25, those of index 15, 18, 21, 24.
    expect(Array.from({ length: buffer.length }, (_, index) => buffer.at(index).seq)).toEqual([16, 19, 22, 25])
    buffer.setFilter({ levels: ALL_LEVELS, tag: '' })
    expect(buffer.length).toBe(10)
    expect(buffer.longest).toBe('E (24) tag: line 24'.length)
  })

  it('stays bounded over a long run: the filtered view does not grow without end', () => {
    const buffer = new ConsoleBuffer(100)
    for (let seq = 1; seq <= 50_000; seq++) buffer.append([consoleLine(line(seq, `I (${seq}) flood: line ${seq}`))])
    expect(buffer.length).toBe(100)
    expect(buffer.at(0).seq).toBe(49_901)
    expect((buffer as unknown as { view: number[] }).view.length).toBeLessThan(10_000)
  })

  it('clears what it shows', () => {
    const buffer = new ConsoleBuffer(10)
    buffer.append([consoleLine(line(1, 'a'))])
    buffer.clear()
    expect([buffer.length, buffer.kept, buffer.longest]).toEqual([0, 0, 0])
    buffer.append([consoleLine(line(2, 'b'))])
    expect(buffer.at(0).text).toBe('b')
  })

  it('finds a text in any case, in the live lines or a paused copy, which new lines do not change', () => {
    const buffer = new ConsoleBuffer(10)
    buffer.append(['I (1) a: Peer is connected!', 'I (2) a: other', 'W (3) b: peer IS CONNECTED again'].map((text, index) => consoleLine(line(index + 1, text))))
    expect(findMatches(buffer, 'peer is connected')).toEqual([0, 2])
    const paused = new FrozenLines(buffer.all(), { levels: ALL_LEVELS, tag: '' })
    buffer.append([consoleLine(line(4, 'I (4) a: Peer is connected!'))])
    expect(findMatches(paused, 'peer is connected')).toEqual([0, 2])
    expect(findMatches(paused.withFilter(filter(['W'])), 'connected')).toEqual([0])
    expect(findMatches(buffer, '')).toEqual([])
  })
})

describe('a session\'s feed', () => {
  const batch = (fromSeq: number, lines: MonitorLine[], dropped = 0, total = fromSeq + lines.length - 1): MonitorLinesEvent => ({ sessionId: 's', fromSeq, lines, dropped, events: [], droppedEvents: 0, totals: { bytes: 0, lines: total } })

  it('counts device lines received and lines missed, so that together they are the backend\'s count', () => {
    const feed = new SessionFeed()
    feed.take(batch(1, [line(1, '— reset into the app (DTR/RTS) —', { marker: true }), line(2, 'ets Jun  8 2016'), line(3, 'rst:0x1')], 0, 2))
    // The connection was behind: 40 lines skipped, said by the batch after them.
    feed.take(batch(44, [line(44, 'x'), line(45, 'y')], 40, 44))
    expect(feed.complete).toBe(true)
    expect({ received: feed.received, dropped: feed.dropped, backend: feed.backendLines }).toEqual({ received: 4, dropped: 40, backend: 44 })
    expect(feed.received + feed.dropped).toBe(feed.backendLines)
  })

  it('counts lines lost with a connection that dropped, which nobody else counted', () => {
    const feed = new SessionFeed()
    feed.take(batch(1, [line(1, 'a'), line(2, 'b')]))
    feed.take(batch(10, [line(10, 'j')], 0))
    expect(feed.dropped).toBe(7)
  })

  it('takes no line twice', () => {
    const feed = new SessionFeed()
    feed.take(batch(1, [line(1, 'a'), line(2, 'b')]))
    feed.take(batch(2, [line(2, 'b'), line(3, 'c')]))
    expect(feed.buffer.all().map((item) => item.text)).toEqual(['a', 'b', 'c'])
    expect(feed.received).toBe(3)
  })

  it('reads back the newest lines of a session that began before the page saw it, and holds live batches meanwhile', async () => {
    const feed = new SessionFeed()
    feed.take(batch(5000, [line(5000, 'live 1')], 0))
    expect(feed.complete).toBe(false)
    const ring = Array.from({ length: 5000 }, (_, index) => line(index + 1, `ring ${index + 1}`))
    const asked: unknown[] = []
    await feed.readBack(async ({ fromSeq, limit }) => {
      asked.push({ fromSeq, limit })
      // A live batch arrives while the read is under way.
      if (fromSeq === 3001) feed.take(batch(5001, [line(5001, 'live 2')]))
      const from = fromSeq ?? 1
      return { lines: fromSeq === undefined ? [] : ring.slice(from - 1, from - 1 + limit), nextSeq: 5001 }
    })
    expect(asked).toEqual([{ fromSeq: undefined, limit: 1 }, { fromSeq: 3001, limit: 2000 }])
    const texts = feed.buffer.all().map((item) => item.text)
    expect(texts.slice(0, 2)).toEqual(['ring 3001', 'ring 3002'])
    expect(texts.slice(-2)).toEqual(['ring 5000', 'live 2'])
    expect(texts).toHaveLength(2001)
    expect(feed.complete).toBe(true)
  })
})
